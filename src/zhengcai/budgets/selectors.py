"""Reads for budgets, with visibility built in (see ``permissions``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from zhengcai.budgets import permissions
from zhengcai.budgets.ledger import Balance, VerifyResult, ledger_verify
from zhengcai.budgets.ledger import line_balance as _line_balance
from zhengcai.budgets.models import ZERO, BudgetLine, Commitment, EntryKind, LedgerEntry, PaymentRequest, ReleaseReason
from zhengcai.budgets.services import reservation_outstanding
from zhengcai.budgets.states import CommitmentStatus
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.roles import Role
from zhengcai.rules.models import Region

DUE_SOON_DAYS = 7

__all__ = ["Balance", "VerifyResult", "ledger_verify"]


def budget_lines_visible(
    *, actor: Actor, fiscal_year: int | None = None, q: str = "", unit_id: int | None = None
) -> QuerySet[BudgetLine]:
    qs = permissions.lines.visible(actor, BudgetLine.objects.select_related("budget_unit", "budget_unit__region"))
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    if unit_id:
        qs = qs.filter(budget_unit_id=unit_id)
    if q.strip():
        text = q.strip()
        qs = qs.filter(
            Q(project_name__icontains=text)
            | Q(project_code__icontains=text)
            | Q(functional_code__startswith=text)
            | Q(economic_code__startswith=text)
            | Q(budget_unit__name__icontains=text)
        )
    return qs


def budget_line_get(*, actor: Actor, pk: int) -> BudgetLine:
    """One line the actor may see; missing and not visible both raise NotFound."""
    return permissions.lines.get_visible(actor, budget_lines_visible(actor=actor), pk=pk)


def line_balance(line: BudgetLine) -> Balance:
    """The line's cached balances: allocated, reserved, committed, paid, available."""
    return _line_balance(line)


def reservations_for_ref(ref: str) -> list[tuple[int, Decimal]]:
    """(line id, outstanding reserved amount) of every line ``ref`` reserved on, outstanding > 0."""
    line_ids = LedgerEntry.objects.filter(ref=ref, kind=EntryKind.RESERVE).values_list("line_id", flat=True).distinct()
    out = [(line_id, reservation_outstanding(line_id, ref)) for line_id in sorted(set(line_ids))]
    return [(line_id, amount) for line_id, amount in out if amount > 0]


def commitment_reservation_ref(commitment_id: int) -> str | None:
    """The reservation ref ("plan:11") a commitment was committed from, or None if there is
    no such commitment. No visibility: for services that then lock it through budgets."""
    return Commitment.objects.filter(pk=commitment_id).values_list("ref", flat=True).first()


def committed_for_ref(ref: str) -> Decimal:
    """What reservation ``ref`` has committed to orders and contracts and not had back, on
    every line, paid part included: committed - reduced - cancelled (uncommit or return)."""
    signs = {EntryKind.COMMIT: 1, EntryKind.REDUCE: -1, EntryKind.UNCOMMIT: -1, EntryKind.RETURN: -1}
    rows = (
        LedgerEntry.objects.filter(ref=ref, kind__in=list(signs), commitment__isnull=False)
        .values_list("kind")
        .annotate(total=Sum("amount"))
    )
    return sum((signs[kind] * total for kind, total in rows), ZERO)


def line_entries(*, actor: Actor, line: BudgetLine) -> QuerySet[LedgerEntry]:
    budget_line_get(actor=actor, pk=line.pk)
    return line.entries.select_related("commitment").order_by("-pk")


def commitments_visible(*, actor: Actor, line_id: int | None = None, status: str = "") -> QuerySet[Commitment]:
    qs = permissions.commitments.visible(
        actor, Commitment.objects.select_related("line", "line__budget_unit", "line__budget_unit__region")
    )
    if line_id:
        qs = qs.filter(line_id=line_id)
    if status:
        qs = qs.filter(status=status)
    return qs


def commitment_get(*, actor: Actor, pk: int) -> Commitment:
    return permissions.commitments.get_visible(actor, commitments_visible(actor=actor), pk=pk)


def commitments_for_ref(*, actor: Actor, commitment_ref: str) -> QuerySet[Commitment]:
    """The commitments of one order or contract ("order:55"), on every line it draws on."""
    return commitments_visible(actor=actor).filter(commitment_ref=commitment_ref)


def payments_visible(*, actor: Actor, status: str = "", q: str = "") -> QuerySet[PaymentRequest]:
    qs = permissions.payments.visible(
        actor,
        PaymentRequest.objects.select_related(
            "commitment", "commitment__line", "commitment__line__budget_unit", "commitment__line__budget_unit__region"
        ),
    )
    if status:
        qs = qs.filter(status=status)
    if q.strip():
        text = q.strip()
        qs = qs.filter(
            Q(commitment__commitment_ref__icontains=text)
            | Q(voucher_no__icontains=text)
            | Q(commitment__line__project_name__icontains=text)
        )
    return qs


def payment_get(*, actor: Actor, pk: int) -> PaymentRequest:
    return permissions.payments.get_visible(actor, payments_visible(actor=actor), pk=pk)


# -- payment deadlines ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DuePayment:
    commitment: Commitment
    outstanding: Decimal
    due_on: dt.date
    days_left: int  # negative: overdue by that many days

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return max(-self.days_left, 0)


def _unpaid_accepted(actor: Actor) -> QuerySet[Commitment]:
    return commitments_visible(actor=actor, status=CommitmentStatus.ACCEPTED).filter(due_on__isnull=False)


def payments_overdue(*, actor: Actor, today: dt.date | None = None) -> list[DuePayment]:
    """Accepted commitments not fully paid whose payment deadline has passed (unit or region)."""
    today = today or clock.today()
    rows = _unpaid_accepted(actor).filter(due_on__lt=today).order_by("due_on", "pk")
    return [DuePayment(c, c.outstanding, c.due_on, (c.due_on - today).days) for c in rows if c.due_on]


def payments_due_soon(*, actor: Actor, today: dt.date | None = None, days: int = DUE_SOON_DAYS) -> list[DuePayment]:
    """Accepted commitments not fully paid, due today or within ``days`` days."""
    today = today or clock.today()
    rows = _unpaid_accepted(actor).filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=days))
    return [
        DuePayment(c, c.outstanding, c.due_on, (c.due_on - today).days) for c in rows.order_by("due_on") if c.due_on
    ]


# -- figures ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    label: str
    allocated: Decimal
    reserved: Decimal
    committed: Decimal
    paid: Decimal
    savings: Decimal  # released as savings when the procurement completed: budget it did not need

    @property
    def available(self) -> Decimal:
        return self.allocated - self.reserved - self.committed - self.paid

    @property
    def executed_percent(self) -> Decimal:
        """Budget executed: paid / allocated."""
        if not self.allocated:
            return ZERO
        return (self.paid * 100 / self.allocated).quantize(Decimal("0.1"))

    @property
    def committed_percent(self) -> Decimal:
        if not self.allocated:
            return ZERO
        return ((self.committed + self.paid) * 100 / self.allocated).quantize(Decimal("0.1"))


def _figures(label: str, lines: QuerySet[BudgetLine]) -> Figures:
    sums = lines.aggregate(a=Sum("allocated"), r=Sum("reserved"), c=Sum("committed"), p=Sum("paid"))
    # Only money given back because the procurement needed less: reservations released when
    # a plan completes (what it reserved minus what it committed) and commitments reduced to
    # what was accepted; cancellations are not savings.
    savings = LedgerEntry.objects.filter(
        line__in=lines.values("pk"), kind__in=[EntryKind.RELEASE, EntryKind.REDUCE], reason=ReleaseReason.SAVINGS
    ).aggregate(t=Sum("amount"))["t"]
    return Figures(
        label=label,
        allocated=sums["a"] or ZERO,
        reserved=sums["r"] or ZERO,
        committed=sums["c"] or ZERO,
        paid=sums["p"] or ZERO,
        savings=savings or ZERO,
    )


def budget_figures(*, actor: Actor, fiscal_year: int | None = None) -> tuple[Figures, list[Figures]]:
    """The total over every line the actor sees and one row per budget unit (a unit sees itself)."""
    fiscal_year = fiscal_year or clock.today().year
    lines = budget_lines_visible(actor=actor, fiscal_year=fiscal_year)
    units = lines.order_by("budget_unit__name").values_list("budget_unit_id", "budget_unit__name").distinct()
    per_unit = [_figures(name, lines.filter(budget_unit_id=unit_id)) for unit_id, name in units]
    return _figures("", lines), per_unit


@dataclass(frozen=True)
class RegionRow:
    """One row of a per-region roll-up: a sub-region's subtree, or the region's own level."""

    label: str
    code: str
    prefix: str  # units whose region code starts with this ...
    exact: bool  # ... or, for the own level, whose region code is exactly ``code``

    def lookup(self, path: str) -> dict[str, str]:
        """The filter for objects whose unit's region is ``path`` (e.g. "budget_unit__region__code")."""
        return {path: self.code} if self.exact else {f"{path}__startswith": self.prefix}

    def contains(self, region_code: str) -> bool:
        return region_code == self.code if self.exact else region_code.startswith(self.prefix)


def region_rows(*, actor: Actor) -> list[RegionRow]:
    """For a regulator: its own level, then each region directly under its own (a province
    regulator: the cities; a city regulator: the counties). Others: none. The rows only
    split what the actor sees; the selectors they are applied to carry the visibility."""
    if not actor.has_role(Role.REGULATOR) or not actor.region_code:
        return []
    region = Region.objects.filter(code=actor.region_code).first()
    if region is None:
        return []
    rows = [RegionRow(str(_("%(region)s (own level)") % {"region": region.name}), region.code, region.code, exact=True)]
    rows += [RegionRow(child.name, child.code, child.prefix, exact=False) for child in region.children.order_by("code")]
    return rows


def budget_figures_by_region(*, actor: Actor, fiscal_year: int | None = None) -> list[Figures]:
    """The regulator's figures split by sub-region (cities for a province, counties for a city)
    and its own level; regions without lines are left out."""
    fiscal_year = fiscal_year or clock.today().year
    lines = budget_lines_visible(actor=actor, fiscal_year=fiscal_year)
    out = []
    for row in region_rows(actor=actor):
        subset = lines.filter(**row.lookup("budget_unit__region__code"))
        if subset.exists():
            out.append(_figures(row.label, subset))
    return out


def usage_bar(money: BudgetLine | Figures) -> list[dict[str, Any]]:
    """A stacked usage bar (paid, committed, reserved, available): each part's amount and its
    x and width in percent of the allocation (drawn as SVG: the CSP forbids style attributes)."""
    allocated = money.allocated
    parts = [
        ("paid", _("Paid"), money.paid, "#198754"),
        ("committed", _("Committed"), money.committed, "#0d6efd"),
        ("reserved", _("Reserved"), money.reserved, "#ffc107"),
        ("available", _("Available"), money.available, "#dee2e6"),
    ]
    out: list[dict[str, Any]] = []
    x = Decimal(0)
    for key, label, amount, colour in parts:
        width = (amount * 100 / allocated).quantize(Decimal("0.01")) if allocated else Decimal(0)
        out.append({"key": key, "label": label, "amount": amount, "x": x, "width": width, "colour": colour})
        x += width
    return out
