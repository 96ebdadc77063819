"""Writes to plans: drafting, filing (备案) with budget reservations, method changes.

Execution (intentions, start, commit, savings, completion) lives in ``execution.py``.
Every service runs in one transaction: lock the plan -> check permission -> check state ->
change -> audit -> notify through the outbox. Budget money moves only through
``zhengcai.budgets.services`` inside the same transaction, so a refused reservation leaves
the plan untouched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhengcai.accounts.models import Membership, Organisation
from zhengcai.audit.services import audit_record
from zhengcai.budgets import selectors as budget_selectors
from zhengcai.budgets import services as budget_services
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import DeadlinePassed, InvalidTransition, NotFound, NotPermitted, ValidationFailed
from zhengcai.core.money import ZERO, format_cny
from zhengcai.core.roles import OrgType
from zhengcai.notify.services import notification_send
from zhengcai.plans import permissions
from zhengcai.plans.decision import Decision, DecisionItem, Limits, decide
from zhengcai.plans.inputs import (
    CleanFunding,
    CleanItem,
    FundingInput,
    ItemInput,
    clean_attachments,
    clean_plan_rows,
)
from zhengcai.plans.methods import Method, OrganisationForm, SingleSourceGround
from zhengcai.plans.models import ChangeAttachment, MethodChangeRequest, PlanFunding, PlanItem, ProcurementPlan
from zhengcai.plans.states import CHANGE_MACHINE, PLAN_MACHINE, ChangeStatus, PlanStatus
from zhengcai.rules.models import Region
from zhengcai.rules.selectors import ruleset_for, ruleset_stamp, working_calendar

__all__ = ["ChangeInput", "FundingInput", "ItemInput"]


@dataclass(frozen=True)
class ChangeInput:
    """What a method-change request carries (采购方式变更申请)."""

    reasons: str = ""
    statutory_ground: str = ""
    supplier_name: str = ""
    attachments: list[UploadedFile] = field(default_factory=list)


# -- helpers ---------------------------------------------------------------------------------


def lock_plan(*, actor: Actor, plan_id: int, action: str = permissions.MANAGE) -> ProcurementPlan:
    """The plan, locked; NotFound unless the actor sees it, NotPermitted unless it may ``action``."""
    plan = ProcurementPlan.objects.select_for_update().filter(pk=plan_id).first()
    if plan is None or not permissions.plans.can(actor, permissions.VIEW, plan):
        raise NotFound()
    if not permissions.plans.can(actor, action, plan):
        raise NotPermitted()
    return plan


def _require_unit(actor: Actor) -> Organisation:
    if not permissions.is_unit(actor):
        raise NotPermitted(_("Only a budget unit's purchasers draw up procurement plans."))
    assert actor.organisation_id is not None  # is_unit guarantees it
    return Organisation.objects.select_related("region").get(pk=actor.organisation_id)


def audit_decimal(value: Decimal) -> str:
    """An amount for the audit data, to the fen ("6709.77", not "6709.77000000000" as a
    database sum may give); a value with digits past the fen is kept as it is."""
    fen = value.quantize(Decimal("0.01"))
    return str(fen) if fen == value else str(value)


def audit_plan(actor: Actor, action: str, plan: ProcurementPlan, **data: Any) -> None:
    payload = {k: audit_decimal(v) if isinstance(v, Decimal) else v for k, v in data.items()}
    audit_record(actor=actor, action=action, obj=plan, data=payload, region_code=plan.region_code)


def _clean_header(*, title: str, fiscal_year: Any, organisation_form: str, chosen_method: str) -> tuple[str, int]:
    fields: dict[str, list[Any]] = {}
    title = (title or "").strip()
    if not title or len(title) > 200:
        fields["title"] = [_("Give the plan a title (at most 200 characters).")]
    year = 0
    today = clock.today()
    with contextlib.suppress(ValueError):
        year = int(str(fiscal_year).strip())
    if year not in (today.year, today.year + 1):
        fields["fiscal_year"] = [
            _("Plans are for the current or the next fiscal year (%(a)s, %(b)s).")
            % {"a": today.year, "b": today.year + 1}
        ]
    if organisation_form and organisation_form not in OrganisationForm.values:
        fields["organisation_form"] = [_("Choose the organisation form.")]
    if chosen_method and chosen_method not in Method.values:
        fields["chosen_method"] = [_("Choose a procurement method.")]
    if fields:
        raise ValidationFailed(fields=fields)
    return title, year


def _clean_all(
    *,
    title: str,
    fiscal_year: Any,
    organisation_form: str,
    chosen_method: str,
    required_by: Any,
    items: list[ItemInput],
    fundings: list[FundingInput],
) -> tuple[str, int, dt.date, list[CleanItem], list[CleanFunding]]:
    """The whole form checked at once: header, date, items and fundings report together."""
    fields: dict[str, list[Any]] = {}
    clean_title, year = "", 0
    try:
        clean_title, year = _clean_header(
            title=title, fiscal_year=fiscal_year, organisation_form=organisation_form, chosen_method=chosen_method
        )
    except ValidationFailed as exc:
        fields.update(exc.fields)
    try:
        rows = clean_plan_rows(items=items, fundings=fundings, required_by=required_by, today=clock.today())
    except ValidationFailed as exc:
        fields.update(exc.fields)
    if fields:
        raise ValidationFailed(fields=fields)
    return clean_title, year, rows[2], rows[0], rows[1]


def _check_lines(*, actor: Actor, fundings: list[CleanFunding], fiscal_year: int) -> None:
    """Each line is the unit's own and of the plan's fiscal year (another unit's: not found)."""
    fields: dict[str, list[Any]] = {}
    for n, funding in enumerate(fundings):
        try:
            line = budget_selectors.budget_line_get(actor=actor, pk=funding.line_id)
        except NotFound:
            fields[f"fundings-{n}-line_id"] = [_("This budget line is not one of your unit's lines.")]
            continue
        if line.fiscal_year != fiscal_year:
            fields[f"fundings-{n}-line_id"] = [
                _("The line is of fiscal year %(line)s, the plan of %(plan)s.")
                % {"line": line.fiscal_year, "plan": fiscal_year}
            ]
    if fields:
        raise ValidationFailed(fields=fields)


def _replace_rows(plan: ProcurementPlan, items: list[CleanItem], fundings: list[CleanFunding]) -> None:
    plan.items.all().delete()
    plan.fundings.all().delete()
    PlanItem.objects.bulk_create(
        [
            PlanItem(
                plan=plan,
                catalogue_item=i.catalogue_item,
                description=i.description,
                quantity=i.quantity,
                unit=i.unit,
                unit_price=i.unit_price,
                amount=i.amount,
            )
            for i in items
        ]
    )
    PlanFunding.objects.bulk_create(
        [PlanFunding(plan=plan, budget_line_id=f.line_id, amount=f.amount) for f in fundings]
    )
    plan.total_amount = sum((i.amount for i in items), ZERO)


def decision_for(*, items: list[CleanItem], region: Region | None, form: str, on: Any = None) -> Decision:
    """The decision for cleaned items under the rule set in force for ``region`` today."""
    rules = ruleset_for(region=region, on=on or clock.today()).rule_values
    decision_items = [
        DecisionItem(
            i.catalogue_item.code,
            i.catalogue_item.kind,
            i.catalogue_item.in_mall,
            i.catalogue_item.is_centralised,
            i.amount,
        )
        for i in items
    ]
    total = sum((i.amount for i in items), ZERO)
    return decide(items=decision_items, total=total, limits=Limits.from_rules(rules), form=form)


def _store_decision(plan: ProcurementPlan, decision: Decision) -> None:
    plan.channel = decision.channel
    plan.default_method = decision.default_method
    plan.allowed_methods = list(decision.allowed_methods)
    plan.mall_modes = list(decision.mall_modes)
    plan.decision_reasons = [dict(r) for r in decision.reasons]


def _regulator_recipients(region_code: str) -> list[int]:
    """Users of the regulator nearest to the region (its own, else the parent's ...)."""
    region = Region.objects.filter(code=region_code).first()
    for node in region.ancestors() if region else []:
        users = list(
            Membership.objects.filter(
                organisation__org_type=OrgType.REGULATOR,
                organisation__region=node,
                organisation__is_active=True,
                is_active=True,
            ).values_list("user_id", flat=True)
        )
        if users:
            return sorted(set(users))
    return []


def _unit_recipients(plan: ProcurementPlan) -> list[int]:
    return sorted(
        set(
            Membership.objects.filter(organisation_id=plan.organisation_id, is_active=True).values_list(
                "user_id", flat=True
            )
        )
    )


def _notify(*, actor: Actor, recipients: list[int], plan: ProcurementPlan, event: str, title: str, url: str) -> None:
    if recipients:
        notification_send(
            actor=actor,
            recipients=recipients,
            title=title,
            url=url,
            key=f"plan:{plan.pk}:{event}",
            organisation_id=plan.organisation_id,
        )


# -- drafting --------------------------------------------------------------------------------


def plan_create(
    *,
    actor: Actor,
    title: str,
    fiscal_year: Any,
    organisation_form: str,
    required_by: Any,
    items: list[ItemInput],
    fundings: list[FundingInput],
    chosen_method: str = "",
) -> ProcurementPlan:
    """Draft a plan for the actor's budget unit.

    Preconditions: a purchaser of a budget unit; title, fiscal year (current or next),
    a future required date; the organisation form (none: the one the decision gives);
    items with known catalogue codes, positive quantities, non-negative prices; fundings on
    the unit's own lines of that fiscal year.
    Effects: a draft plan with its items and fundings and the decision as it stands today.
    Nothing is reserved until filing. Audit event: ``plans.plan.create``.
    """
    org = _require_unit(actor)
    clean_title, year, clean_date, clean_item_rows, clean_funding_rows = _clean_all(
        title=title,
        fiscal_year=fiscal_year,
        organisation_form=organisation_form,
        chosen_method=chosen_method,
        required_by=required_by,
        items=items,
        fundings=fundings,
    )
    decision = decision_for(items=clean_item_rows, region=org.region, form=organisation_form)
    # No form given: the one the rules give (集中采购 for centralised-catalogue items).
    organisation_form = organisation_form or decision.default_form
    with transaction.atomic():
        _check_lines(actor=actor, fundings=clean_funding_rows, fiscal_year=year)
        now = clock.now()
        plan = ProcurementPlan.objects.create(
            organisation=org,
            region_code=org.region.code,
            title=clean_title,
            fiscal_year=year,
            organisation_form=organisation_form,
            required_by=clean_date,
            chosen_method=chosen_method,
            created_by_id=actor.user_id,
            created_by_label=actor.label[:300],
            created_at=now,
            updated_at=now,
        )
        _replace_rows(plan, clean_item_rows, clean_funding_rows)
        _store_decision(plan, decision)
        plan.save()
        audit_plan(actor, "plans.plan.create", plan, total=plan.total_amount, title=plan.title)
    return plan


def plan_update(
    *,
    actor: Actor,
    plan_id: int,
    title: str,
    fiscal_year: Any,
    organisation_form: str,
    required_by: Any,
    items: list[ItemInput],
    fundings: list[FundingInput],
    chosen_method: str = "",
) -> ProcurementPlan:
    """Replace a draft's header, items and fundings (draft only). Audit: ``plans.plan.update``."""
    clean_title, year, clean_date, clean_item_rows, clean_funding_rows = _clean_all(
        title=title,
        fiscal_year=fiscal_year,
        organisation_form=organisation_form,
        chosen_method=chosen_method,
        required_by=required_by,
        items=items,
        fundings=fundings,
    )
    with transaction.atomic():
        plan = lock_plan(actor=actor, plan_id=plan_id)
        if plan.status != PlanStatus.DRAFT:
            raise InvalidTransition(_("Only a draft plan can be edited."))
        _check_lines(actor=actor, fundings=clean_funding_rows, fiscal_year=year)
        region = Region.objects.filter(code=plan.region_code).first()
        decision = decision_for(items=clean_item_rows, region=region, form=organisation_form)
        plan.title, plan.fiscal_year = clean_title, year
        plan.organisation_form = organisation_form or decision.default_form
        plan.required_by, plan.chosen_method = clean_date, chosen_method
        _replace_rows(plan, clean_item_rows, clean_funding_rows)
        _store_decision(plan, decision)
        plan.updated_at = clock.now()
        plan.save()
        audit_plan(actor, "plans.plan.update", plan, total=plan.total_amount)
    return plan


# -- filing ----------------------------------------------------------------------------------


def _items_of(plan: ProcurementPlan) -> list[CleanItem]:
    return [
        CleanItem(i.catalogue_item, i.description, i.quantity, i.unit, i.unit_price, i.amount)
        for i in plan.items.select_related("catalogue_item")
    ]


def plan_file(*, actor: Actor, plan_id: int, change: ChangeInput | None = None) -> ProcurementPlan:
    """File a draft (备案): reserve its money, stamp the rules, and take effect or ask for a change.

    Preconditions: the unit's purchaser; a draft with items and fundings whose sum equals
    the total, each on the unit's own line of the plan's year; an organisation form the
    decision allows. If the chosen method is outside the allowed methods, ``change`` must
    give reasons (and for single source the statutory ground and the supplier).
    Effects: one ``budget_reserve`` per funding (all or nothing: an ``InsufficientBudget``
    rolls everything back); the rule set in force is stamped; the decision is stored; the
    plan becomes ``filed`` (in force at once) or ``change_requested`` with a pending
    ``MethodChangeRequest``; the region's regulator is notified through the outbox.
    Audit events: ``plans.plan.file`` or ``plans.change.request`` (plus the budgets
    app's reservation events).
    """
    with transaction.atomic():
        plan = lock_plan(actor=actor, plan_id=plan_id)
        if plan.status != PlanStatus.DRAFT:
            PLAN_MACHINE.apply(plan, "file")  # raises the translated InvalidTransition
        items = _items_of(plan)
        fundings = [CleanFunding(f.budget_line_id, f.amount) for f in plan.fundings.all()]
        if not items:
            raise ValidationFailed(fields={"items": [_("Add at least one item.")]})
        if not fundings:
            raise ValidationFailed(fields={"fundings": [_("Name at least one budget line that pays for the plan.")]})
        total = sum((i.amount for i in items), ZERO)
        funded = sum((f.amount for f in fundings), ZERO)
        if funded != total:
            message = _("The fundings (%(funded)s) must add up to the plan's total (%(total)s).") % {
                "funded": format_cny(funded),
                "total": format_cny(total),
            }
            raise ValidationFailed(message, fields={"fundings": [message]})
        _check_lines(actor=actor, fundings=fundings, fiscal_year=plan.fiscal_year)
        region = Region.objects.filter(code=plan.region_code).first()
        now = clock.now()
        plan.rule_set = ruleset_stamp(region=region, at=now)
        decision = decide(
            items=[
                DecisionItem(
                    i.catalogue_item.code,
                    i.catalogue_item.kind,
                    i.catalogue_item.in_mall,
                    i.catalogue_item.is_centralised,
                    i.amount,
                )
                for i in items
            ],
            total=total,
            limits=Limits.from_rules(plan.rule_set.rule_values),
            form=plan.organisation_form,
        )
        if not decision.form_allowed(plan.organisation_form):
            message = _("The rules require the organisation form: %(forms)s.") % {
                "forms": ", ".join(str(OrganisationForm(f).label) for f in decision.allowed_forms)
            }
            raise ValidationFailed(message, fields={"organisation_form": [message]})
        _store_decision(plan, decision)
        plan.total_amount = total
        plan.chosen_method = plan.chosen_method or decision.default_method
        for funding in fundings:
            budget_services.budget_reserve(actor=actor, line_id=funding.line_id, amount=funding.amount, ref=plan.ref)
        plan.filed_at = now
        plan.updated_at = now
        if not decision.needs_change_request(plan.chosen_method):
            PLAN_MACHINE.apply(plan, "file")
            plan.save()
            audit_plan(
                actor, "plans.plan.file", plan, total=total, method=plan.chosen_method, rule_set=plan.rule_set_id
            )
            _notify(
                actor=actor,
                recipients=_regulator_recipients(plan.region_code),
                plan=plan,
                event="filed",
                title=str(_("Plan filed: %(title)s (%(total)s)") % {"title": plan.title, "total": format_cny(total)}),
                url=f"/plans/{plan.pk}/",
            )
            return plan
        request = _change_request_create(actor=actor, plan=plan, change=change or ChangeInput())
        PLAN_MACHINE.apply(plan, "request_change")
        plan.save()
        audit_plan(
            actor,
            "plans.change.request",
            plan,
            total=total,
            default_method=plan.default_method,
            requested_method=plan.chosen_method,
            request=request.pk,
        )
        _notify(
            actor=actor,
            recipients=_regulator_recipients(plan.region_code),
            plan=plan,
            event=f"change:{request.pk}",
            title=str(_("Method change requested: %(title)s") % {"title": plan.title}),
            url=f"/plans/changes/{request.pk}/",
        )
    return plan


def _change_request_create(*, actor: Actor, plan: ProcurementPlan, change: ChangeInput) -> MethodChangeRequest:
    fields: dict[str, list[Any]] = {}
    reasons = (change.reasons or "").strip()
    if len(reasons) < 10:
        fields["reasons"] = [_("Explain why the method differs from the rules' default (at least 10 characters).")]
    ground = change.statutory_ground or ""
    supplier = (change.supplier_name or "").strip()
    is_single = plan.chosen_method == Method.SINGLE_SOURCE
    if is_single:
        if ground not in SingleSourceGround.values:
            fields["statutory_ground"] = [_("Single source needs its statutory ground (Law Art 31, Reg Art 27).")]
        if not supplier:
            fields["supplier_name"] = [_("Name the single supplier.")]
    elif ground:
        fields["statutory_ground"] = [_("A statutory ground is given only for single source.")]
    if fields:
        raise ValidationFailed(fields=fields)
    files = clean_attachments(list(change.attachments))
    today = clock.today()
    notice_start = notice_end = None
    if is_single:
        assert plan.rule_set is not None  # stamped by plan_file before this is called
        period = plan.rule_set.rule_values.single_source_notice_period.period
        notice_start, notice_end = today, working_calendar().period_end(today, period)
    request = MethodChangeRequest.objects.create(
        plan=plan,
        region_code=plan.region_code,
        default_method=plan.default_method,
        requested_method=plan.chosen_method,
        reasons=reasons,
        statutory_ground=ground if is_single else "",
        supplier_name=supplier[:200],
        notice_starts_on=notice_start,
        notice_ends_on=notice_end,
        requested_by_id=actor.user_id,
        requested_by_label=actor.label[:300],
        requested_at=clock.now(),
    )
    for f in files:
        ChangeAttachment.objects.create(
            request=request,
            file=f,
            name=(f.name or "")[:200],
            size=f.size or 0,
            content_type=(f.content_type or "")[:100],
        )
    return request


def plan_change_decide(*, actor: Actor, request_id: int, approve: bool, comments: str = "") -> MethodChangeRequest:
    """The regulator of the plan's region approves or rejects a method-change request.

    Preconditions: a regulator whose region contains the plan's (others: NotFound); the
    request pending; a rejection states its reasons in ``comments``; a single-source
    request is approved only after its public notice period has ended.
    Effects: the request and the plan move to approved / rejected; the unit is notified.
    A rejected plan keeps its reservations until the unit revises or cancels it.
    Audit event: ``plans.change.approve`` / ``plans.change.reject``.
    """
    comments = (comments or "").strip()
    with transaction.atomic():
        request = MethodChangeRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None or not permissions.changes.can(actor, permissions.VIEW, request):
            raise NotFound()
        plan = lock_plan(actor=actor, plan_id=request.plan_id, action=permissions.DECIDE)
        if not permissions.changes.can(actor, permissions.DECIDE, request):
            raise NotPermitted()
        if not approve and not comments:
            raise ValidationFailed(fields={"comments": [_("Give the reasons for the rejection.")]})
        if approve and request.notice_ends_on and clock.today() <= request.notice_ends_on:
            raise DeadlinePassed(
                _("The single-source notice runs until %(day)s; it can be approved after that.")
                % {"day": request.notice_ends_on.isoformat()},
                code="notice_period_running",
            )
        action = "approve" if approve else "reject"
        CHANGE_MACHINE.apply(request, action)
        PLAN_MACHINE.apply(plan, action)
        now = clock.now()
        request.decided_by_id, request.decided_by_label = actor.user_id, actor.label[:300]
        request.decided_at, request.comments = now, comments
        request.save()
        plan.updated_at = now
        plan.save()
        audit_plan(actor, f"plans.change.{action}", plan, request=request.pk, comments=comments)
        _notify(
            actor=actor,
            recipients=_unit_recipients(plan),
            plan=plan,
            event=f"change:{request.pk}:{action}",
            title=str(
                (_("Method change approved: %(title)s") if approve else _("Method change rejected: %(title)s"))
                % {"title": plan.title}
            ),
            url=f"/plans/{plan.pk}/",
        )
    return request


def release_all(*, actor: Actor, plan: ProcurementPlan, reason: str) -> Decimal:
    """Give back everything the plan still holds; ``reason`` says whether it counts as savings."""
    released = ZERO
    for line_id, amount in budget_selectors.reservations_for_ref(plan.ref):
        budget_services.budget_release(actor=actor, line_id=line_id, amount=amount, ref=plan.ref, reason=reason)
        released += amount
    return released


def plan_revise(*, actor: Actor, plan_id: int) -> ProcurementPlan:
    """Take a rejected plan back to draft, releasing its reservations. Audit: ``plans.plan.revise``."""
    with transaction.atomic():
        plan = lock_plan(actor=actor, plan_id=plan_id)
        PLAN_MACHINE.apply(plan, "revise")
        released = release_all(actor=actor, plan=plan, reason=budget_services.ReleaseReason.REVISED)
        plan.rule_set = None
        plan.filed_at = None
        plan.updated_at = clock.now()
        plan.save()
        audit_plan(actor, "plans.plan.revise", plan, released=released)
    return plan


def plan_cancel(*, actor: Actor, plan_id: int, reason: str = "") -> ProcurementPlan:
    """Cancel a plan before execution; every outstanding reservation is released.

    Preconditions: the unit's purchaser; draft, filed, approved, rejected or with a pending
    change (which is withdrawn). Effects: reservations released, status ``cancelled``.
    Audit event: ``plans.plan.cancel``.
    """
    with transaction.atomic():
        plan = lock_plan(actor=actor, plan_id=plan_id)
        PLAN_MACHINE.apply(plan, "cancel")
        for request in plan.change_requests.select_for_update().filter(status=ChangeStatus.PENDING):
            CHANGE_MACHINE.apply(request, "withdraw")
            request.save()
        released = release_all(actor=actor, plan=plan, reason=budget_services.ReleaseReason.CANCELLED)
        now = clock.now()
        plan.cancelled_at = plan.updated_at = now
        plan.released_amount = (plan.released_amount or ZERO) + released
        plan.save()
        audit_plan(actor, "plans.plan.cancel", plan, released=released, reason=(reason or "")[:300])
    return plan
