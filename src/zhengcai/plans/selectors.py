"""Reads of plans, change requests and intentions, with visibility built in."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhengcai.accounts.models import Organisation
from zhengcai.audit.models import AuditEvent
from zhengcai.budgets import selectors as budget_selectors
from zhengcai.budgets.refs import ref_label
from zhengcai.budgets.services import reservation_outstanding
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.calendar import PLATFORM_TZ
from zhengcai.core.errors import NotFound, ValidationFailed
from zhengcai.core.money import ZERO
from zhengcai.plans import permissions
from zhengcai.plans.decision import Decision
from zhengcai.plans.free import plan_line_held
from zhengcai.plans.inputs import ItemInput, clean_items
from zhengcai.plans.models import MethodChangeRequest, PlanHold, ProcurementPlan
from zhengcai.plans.services import decision_for
from zhengcai.plans.states import RESERVING, ChangeStatus, PlanStatus
from zhengcai.rules.models import Region
from zhengcai.rules.selectors import working_calendar


def plans_visible(
    *, actor: Actor, status: str = "", q: str = "", fiscal_year: int | None = None, method: str = ""
) -> QuerySet[ProcurementPlan]:
    qs = permissions.plans.visible(actor, ProcurementPlan.objects.select_related("organisation"))
    if status:
        qs = qs.filter(status=status)
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    if method:
        qs = qs.filter(chosen_method=method)
    if q.strip():
        qs = qs.filter(Q(title__icontains=q.strip()) | Q(organisation__name__icontains=q.strip()))
    return qs


def plan_get(*, actor: Actor, pk: int) -> ProcurementPlan:
    """One visible plan with its items and fundings; missing and not visible: NotFound."""
    return permissions.plans.get_visible(
        actor, ProcurementPlan.objects.select_related("organisation", "rule_set"), pk=pk
    )


def plan_fundings(*, actor: Actor, plan: ProcurementPlan) -> list[dict[str, Any]]:
    """The plan's fundings with the line's name and balance where the actor sees the line."""
    rows = []
    for funding in plan.fundings.all():
        row: dict[str, Any] = {"line_id": funding.budget_line_id, "amount": funding.amount, "line": None}
        line = budget_selectors.budget_lines_visible(actor=actor).filter(pk=funding.budget_line_id).first()
        if line is not None:
            row["line"] = line
            row["balance"] = budget_selectors.line_balance(line)
        if plan.status in RESERVING:
            row["reserved"] = reservation_outstanding(funding.budget_line_id, plan.ref)
            row["held"] = plan_line_held(plan_id=plan.pk, line_id=funding.budget_line_id)
            row["free"] = max(row["reserved"] - row["held"], ZERO)  # = plans.free.plan_line_free
        rows.append(row)
    return rows


def plan_execution(*, actor: Actor, plan: ProcurementPlan) -> dict[str, Any]:
    """What the plan's money is doing (for the plan page): the active holds of open
    inquiries and auctions, and the commitments (orders, contracts) drawn from it, each with
    the label its owning app registered (``budgets.refs``: "order:DD..." reads as the order
    number) and the commitment page where the actor may see it."""
    holds = [
        {"hold": hold, "label": ref_label(hold.ref)}
        for hold in PlanHold.objects.filter(plan=plan, released_at__isnull=True).order_by("created_at", "pk")
    ]
    reduced = commitments_reduced(plan)
    commitments = [
        {"commitment": c, "label": ref_label(c.commitment_ref), "released": reduced.get(c.commitment_ref)}
        for c in budget_selectors.commitments_visible(actor=actor).filter(ref=plan.ref).order_by("created_at", "pk")
    ]
    return {"holds": holds, "commitments": commitments, "money": plan_money(plan)}


def commitments_reduced(plan: ProcurementPlan) -> dict[str, Decimal]:
    """{commitment ref: what lowering it released} (a partial acceptance, from the plan's
    ``plans.plan.reduce`` audit events), for the plan page."""
    released: dict[str, Decimal] = {}
    events = AuditEvent.objects.filter(
        action="plans.plan.reduce", object_type=ProcurementPlan._meta.label_lower, object_id=str(plan.pk)
    ).values_list("data", flat=True)
    for data in events:
        ref = str((data or {}).get("commitment_ref") or "")
        with contextlib.suppress(ArithmeticError, TypeError, ValueError):
            released[ref] = released.get(ref, ZERO) + Decimal(str(data.get("released") or "0"))
    return {ref: amount for ref, amount in released.items() if ref and amount > 0}


def plan_money(plan: ProcurementPlan) -> dict[str, Decimal]:
    """Where the plan's money is, adding up to what it planned (for the plan page):
    still reserved (free + held by open events) + committed to orders and contracts +
    released back to the budget lines (savings, partial acceptances, cancellations) = planned."""
    planned = sum((f.amount for f in plan.fundings.all()), ZERO)
    reserved = (
        sum((reservation_outstanding(f.budget_line_id, plan.ref) for f in plan.fundings.all()), ZERO)
        if plan.status in RESERVING
        else ZERO
    )
    held = sum((h.amount for h in PlanHold.objects.filter(plan=plan, released_at__isnull=True)), ZERO)
    return {
        "planned": planned,
        "reserved": reserved,
        "held": held,
        "free": reserved - held,
        "committed": plan.committed_amount or ZERO,
        "released": plan.released_amount or ZERO,
    }


def lines_for_plans(*, actor: Actor, fiscal_year: int | None = None, keep: Iterable[int] = ()) -> list[dict[str, Any]]:
    """The actor's own budget lines with money available, for the plan wizard; lines in
    ``keep`` (already chosen on the form or the draft) are listed even when nothing is left."""
    if not permissions.is_unit(actor):
        return []
    kept = set(keep)
    rows = []
    for line in budget_selectors.budget_lines_visible(actor=actor, fiscal_year=fiscal_year).order_by("pk"):
        balance = budget_selectors.line_balance(line)
        if balance.available > 0 or line.pk in kept:
            rows.append({"line": line, "balance": balance})
    return rows


def decision_preview(
    *, actor: Actor, items: list[ItemInput], organisation_form: str = ""
) -> tuple[Decision | None, dict[str, list[Any]]]:
    """The live decision for items being typed: (decision, field errors). Nothing is written."""
    region: Region | None = None
    if actor.organisation_id:
        org = Organisation.objects.select_related("region").filter(pk=actor.organisation_id).first()
        region = org.region if org else None
    try:
        clean = clean_items(items)
    except ValidationFailed as exc:
        return None, exc.fields
    return decision_for(items=clean, region=region, form=organisation_form), {}


def changes_visible(*, actor: Actor, status: str = "", q: str = "", method: str = "") -> QuerySet[MethodChangeRequest]:
    qs = permissions.changes.visible(actor, MethodChangeRequest.objects.select_related("plan", "plan__organisation"))
    if status:
        qs = qs.filter(status=status)
    if method:
        qs = qs.filter(requested_method=method)
    if q.strip():
        qs = qs.filter(Q(plan__title__icontains=q.strip()) | Q(plan__organisation__name__icontains=q.strip()))
    return qs


def change_get(*, actor: Actor, pk: int) -> MethodChangeRequest:
    return permissions.changes.get_visible(
        actor, MethodChangeRequest.objects.select_related("plan", "plan__organisation"), pk=pk
    )


def _local_date(at: dt.datetime) -> dt.date:
    return timezone.localtime(at, PLATFORM_TZ).date()


def with_sla(requests: Any, today: dt.date | None = None) -> list[tuple[MethodChangeRequest, int]]:
    cal = working_calendar()
    today = today or clock.today()
    rows = []
    for request in requests:
        end = _local_date(request.decided_at) if request.decided_at else today
        rows.append((request, max(cal.working_days_between(_local_date(request.requested_at), end), 0)))
    return rows


def intentions_public(*, q: str = "", region_code: str = "") -> QuerySet[ProcurementPlan]:
    """Published procurement intentions (public): never cancelled plans' ones."""
    qs = (
        ProcurementPlan.objects.select_related("organisation")
        .filter(intention_published_on__isnull=False)
        .exclude(status=PlanStatus.CANCELLED)
        .order_by("-intention_published_on", "-pk")
    )
    if region_code:
        qs = qs.filter(region_code__startswith=region_code)
    if q.strip():
        qs = qs.filter(Q(title__icontains=q.strip()) | Q(organisation__name__icontains=q.strip()))
    return qs


def notices_public(*, q: str = "", today: dt.date | None = None) -> QuerySet[MethodChangeRequest]:
    """Single-source notices (单一来源公示) in their public period: requests still pending
    whose notice runs today. Public: no actor, no visibility rules."""
    today = today or clock.today()
    qs = (
        MethodChangeRequest.objects.select_related("plan", "plan__organisation")
        .filter(
            status=ChangeStatus.PENDING,
            notice_starts_on__isnull=False,
            notice_starts_on__lte=today,
            notice_ends_on__gte=today,
        )
        .order_by("-notice_starts_on", "-pk")
    )
    if q.strip():
        qs = qs.filter(Q(plan__title__icontains=q.strip()) | Q(plan__organisation__name__icontains=q.strip()))
    return qs


def intention_get(pk: int) -> ProcurementPlan:
    plan = intentions_public().filter(pk=pk).first()
    if plan is None:
        raise NotFound()
    return plan


# -- figures -----------------------------------------------------------------------------------


@dataclass
class PlanFigures:
    label: str
    plans: int = 0
    budget: Decimal = ZERO
    committed: Decimal = ZERO
    savings: Decimal = ZERO
    days_to_commit: float | None = None
    days_to_complete: float | None = None

    @property
    def savings_rate(self) -> float | None:
        base = self.committed + self.savings
        return float(self.savings / base * 100) if base else None


def _avg(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _filed_plans(actor: Actor, fiscal_year: int | None) -> QuerySet[ProcurementPlan]:
    return plans_visible(actor=actor, fiscal_year=fiscal_year).exclude(
        status__in=[PlanStatus.DRAFT, PlanStatus.CANCELLED]
    )


def plan_figures(*, actor: Actor, fiscal_year: int | None = None) -> tuple[PlanFigures, list[PlanFigures]]:
    """Totals and per-unit rows over the plans the actor sees that were filed.

    Savings = reserved budget of completed plans minus what they committed (released as
    savings); cycle times in calendar days from filing to the first commitment (contract or
    order) and to completion (acceptance closed).
    """
    return _rolled_up(_filed_plans(actor, fiscal_year), lambda plan: (plan.organisation_id, plan.organisation.name))


def plan_figures_by_region(*, actor: Actor, fiscal_year: int | None = None) -> list[PlanFigures]:
    """A regulator's plan figures per sub-region (cities for a province, counties for a city)
    and its own level, in that order; regions without filed plans are left out."""
    rows = budget_selectors.region_rows(actor=actor)
    if not rows:
        return []

    def key(plan: ProcurementPlan) -> tuple[Any, str]:
        for n, row in enumerate(rows):
            if row.contains(plan.region_code):
                return n, row.label
        return len(rows), ""  # pragma: no cover - visibility keeps plans inside the rows

    _total, per = _rolled_up(_filed_plans(actor, fiscal_year), key, order=lambda r: r[0])
    return per


def _rolled_up(qs: QuerySet[ProcurementPlan], key: Any, order: Any = None) -> tuple[PlanFigures, list[PlanFigures]]:
    """Totals and one row per ``key(plan)`` = (group id, label); rows by label unless ``order``
    (a function of (group id, row)) says otherwise."""
    per: dict[Any, PlanFigures] = {}
    commit_days: dict[Any, list[float]] = defaultdict(list)
    complete_days: dict[Any, list[float]] = defaultdict(list)
    for plan in qs:
        group, label = key(plan)
        row = per.setdefault(group, PlanFigures(label))
        row.plans += 1
        row.budget += plan.total_amount
        row.committed += plan.committed_amount
        if plan.status == PlanStatus.COMPLETED:
            # Savings are what the plan reserved and did not need, counted when it completes;
            # cancellations and revisions release money too but save nothing.
            row.savings += max(plan.total_amount - plan.committed_amount, ZERO)
        if plan.filed_at and plan.first_committed_at:
            commit_days[group].append((plan.first_committed_at - plan.filed_at).total_seconds() / 86400)
        if plan.filed_at and plan.completed_at:
            complete_days[group].append((plan.completed_at - plan.filed_at).total_seconds() / 86400)
    total = PlanFigures("")
    for org_id, row in per.items():
        row.days_to_commit = _avg(commit_days[org_id])
        row.days_to_complete = _avg(complete_days[org_id])
        total.plans += row.plans
        total.budget += row.budget
        total.committed += row.committed
        total.savings += row.savings
    total.days_to_commit = _avg([d for v in commit_days.values() for d in v])
    total.days_to_complete = _avg([d for v in complete_days.values() for d in v])
    if order is not None:
        return total, [row for _group, row in sorted(per.items(), key=order)]
    return total, sorted(per.values(), key=lambda r: r.label)


def plan_status_counts(*, actor: Actor) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in plans_visible(actor=actor).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def pending_changes_count(*, actor: Actor) -> int:
    return changes_visible(actor=actor, status=ChangeStatus.PENDING).count()
