"""The write path for budget money: lines, adjustments, reservations, commitments.

Every service runs in one transaction: lock the line row (``select_for_update`` by pk),
check permission, check the amounts against the locked balances, append a ledger entry,
move the cached balances, write the audit event. Payment requests are in ``payments.py``;
loading lines from a file is in ``importers.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from zhengcai.accounts.models import Organisation
from zhengcai.audit.services import audit_record
from zhengcai.budgets import permissions
from zhengcai.budgets.amounts import amount_exact
from zhengcai.budgets.errors import FiscalYearClosed, InsufficientBudget
from zhengcai.budgets.ledger import RESERVATION_EFFECTS, apply_entry
from zhengcai.budgets.models import (
    ZERO,
    BudgetLine,
    Commitment,
    EntryKind,
    FundSource,
    LedgerEntry,
    ReleaseReason,
    economic_code_validator,
    functional_code_validator,
)
from zhengcai.budgets.refs import ref_is_managed, ref_label
from zhengcai.budgets.states import COMMITMENT_MACHINE, PAYMENT_LIVE, CommitmentStatus, PaymentStatus
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import Conflict, InvalidTransition, NotFound, NotPermitted, ValidationFailed
from zhengcai.core.money import MAX_AMOUNT, format_cny
from zhengcai.core.roles import OrgType
from zhengcai.rules.selectors import ruleset_for, working_calendar

# -- helpers shared with payments.py and importers.py ------------------------------------------


def positive_amount(value: Any, *, field: str = "amount") -> Decimal:
    """A Decimal amount in yuan > 0; floats, text that is not a number, negatives and digits past
    the fen (1.005) refused."""
    try:
        amount = amount_exact(value)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, code=exc.code, fields={field: [exc.message]}) from exc
    if amount <= 0:
        message = _("The amount must be greater than zero.")
        raise ValidationFailed(message, code="amount_not_positive", fields={field: [message]})
    return amount


def lock_line(*, actor: Actor, line_id: int, action: str) -> BudgetLine:
    """The line, locked for this transaction; NotFound unless the actor sees it, NotPermitted
    when the actor sees it but may not do ``action``."""
    line = BudgetLine.objects.select_for_update().filter(pk=line_id).first()
    if line is None:
        raise NotFound()
    line.budget_unit = Organisation.objects.select_related("region").get(pk=line.budget_unit_id)
    if not permissions.lines.can(actor, permissions.VIEW, line):
        raise NotFound()
    if not permissions.lines.can(actor, action, line):
        raise NotPermitted()
    return line


def append_entry(
    *,
    actor: Actor,
    line: BudgetLine,
    kind: str,
    amount: Decimal,
    ref: str = "",
    commitment: Commitment | None = None,
    note: str = "",
    reason: str = "",
) -> LedgerEntry:
    """Append one entry to a locked line and move its cached balances in the same transaction."""
    apply_entry(line, kind, amount)
    line.save(update_fields=["allocated", "reserved", "committed", "paid"])
    return LedgerEntry.objects.create(
        line=line,
        kind=kind,
        amount=amount,
        ref=ref,
        commitment=commitment,
        note=note[:300],
        reason=reason,
        actor_label=actor.label[:300],
        created_at=clock.now(),
    )


def audit_money(actor: Actor, action: str, obj: Any, line: BudgetLine, **data: Any) -> None:
    """Audit a money event in the region of the line's budget unit (its regulator sees it)."""
    payload = {k: str(v) if isinstance(v, Decimal | dt.date) else v for k, v in data.items()}
    audit_record(actor=actor, action=action, obj=obj, data=payload, region_code=line.budget_unit.region.code)


def _require_open_year(line: BudgetLine) -> None:
    if line.fiscal_year < clock.today().year:
        raise FiscalYearClosed(
            _("The fiscal year %(year)s is closed: no new reservations or commitments on its lines.")
            % {"year": line.fiscal_year}
        )


def _ref(ref: str, field: str = "ref") -> str:
    ref = (ref or "").strip()
    if not ref or len(ref) > 64:
        message = _("A reference such as “plan:123” (at most 64 characters) is required.")
        raise ValidationFailed(message, fields={field: [message]})
    return ref


def reservation_outstanding(line_id: int, ref: str) -> Decimal:
    """What ``ref`` still holds reserved on the line: reserved + returned from cancelled
    commitments - released - committed."""
    sums = (
        LedgerEntry.objects.filter(line_id=line_id, ref=ref, kind__in=list(RESERVATION_EFFECTS))
        .values_list("kind")
        .annotate(total=Sum("amount"))
    )
    return sum((RESERVATION_EFFECTS[kind] * total for kind, total in sums), ZERO)


def payment_due_on(*, unit: Organisation, accepted_on: dt.date) -> dt.date:
    """Acceptance date plus the payment period of the rule set in force for the unit's region."""
    period = ruleset_for(region=unit.region, on=accepted_on).rule_values.payment_due.period
    return working_calendar().period_end(accepted_on, period)


# -- lines -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineData:
    """A budget line as loaded from the budget system (file row or API body), validated."""

    fiscal_year: int
    budget_unit_id: int
    functional_code: str
    economic_code: str
    fund_source: str
    project_code: str
    project_name: str
    amount: Decimal
    external_id: str = ""
    source_system: str = ""


def fund_source_code(text: str) -> str:
    """The stable code of a source of funds given as its code or its Chinese or English label,
    whatever the active language (budget-system files are not written in the reader's language).
    Unknown text comes back unchanged for the caller to refuse."""
    wanted = text.strip().casefold()
    for value, label in FundSource.choices:
        names = {value}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names.add(str(label))
        if wanted in {name.casefold() for name in names}:
            return value
    return text.strip()


def line_data_clean(raw: dict[str, Any]) -> tuple[LineData | None, list[tuple[str, str]]]:
    """Validate one raw line; returns (data, []) or (None, [(column, message), ...]).

    ``raw`` keys: fiscal_year, budget_unit (credit code), functional_code, economic_code,
    fund_source, project_code, project_name, amount, external_id, source_system. Every
    problem of the row is reported, not only the first.
    """
    errors: list[tuple[str, str]] = []
    today = clock.today()

    def text(key: str) -> str:
        value = raw.get(key)
        return "" if value is None else str(value).strip()

    year: int | None = None
    try:
        year = int(text("fiscal_year"))
    except ValueError:
        errors.append(
            ("fiscal_year", str(_("The fiscal year must be a year such as %(year)s.") % {"year": today.year}))
        )
    if year is not None and year not in (today.year, today.year + 1):
        errors.append(
            (
                "fiscal_year",
                str(
                    _("Only lines of the current or the next fiscal year (%(a)s, %(b)s) can be loaded.")
                    % {"a": today.year, "b": today.year + 1}
                ),
            )
        )
    unit = Organisation.objects.select_related("region").filter(credit_code=text("budget_unit").upper()).first()
    if unit is None or unit.org_type != OrgType.BUDGET_UNIT or not unit.is_active:
        errors.append(
            (
                "budget_unit",
                str(_("“%(code)s” is not the credit code of a budget unit.") % {"code": text("budget_unit")}),
            )
        )
    for key, validator in (("functional_code", functional_code_validator), ("economic_code", economic_code_validator)):
        if not re.match(validator.regex, text(key)):
            errors.append((key, str(validator.message)))
    fund_source = fund_source_code(text("fund_source")) if text("fund_source") else FundSource.GENERAL
    if fund_source not in FundSource.values:
        errors.append(("fund_source", str(_("“%(value)s” is not a known source of funds.") % {"value": fund_source})))
    if not text("project_name"):
        errors.append(("project_name", str(_("The project name is required."))))
    elif len(text("project_name")) > 200:
        errors.append(("project_name", str(_("The project name is too long (at most 200 characters)."))))
    for key, limit in (("project_code", 40), ("external_id", 64), ("source_system", 40)):
        if len(text(key)) > limit:
            errors.append((key, str(_("At most %(n)s characters.") % {"n": limit})))
    amount: Decimal | None = None
    try:
        amount = positive_amount(text("amount"))
    except ValidationFailed as exc:
        errors.append(("amount", str(exc.message)))
    if errors or unit is None or year is None or amount is None:
        return None, errors
    return (
        LineData(
            fiscal_year=year,
            budget_unit_id=unit.pk,
            functional_code=text("functional_code"),
            economic_code=text("economic_code"),
            fund_source=fund_source,
            project_code=text("project_code"),
            project_name=text("project_name"),
            amount=amount,
            external_id=text("external_id"),
            source_system=text("source_system"),
        ),
        [],
    )


def require_may_load(actor: Actor, data: LineData) -> Organisation:
    """The unit of ``data``; NotFound when the unit is neither the actor's nor in its region
    (not naming it), NotPermitted when the actor sees it but is not its finance bureau."""
    unit = Organisation.objects.select_related("region").get(pk=data.budget_unit_id)
    if not permissions.lines.can_see_unit(actor, unit_id=unit.pk, unit_region_code=unit.region.code):
        raise NotFound()
    if not permissions.lines.can_load_for(actor, unit_id=unit.pk, unit_region_code=unit.region.code):
        raise NotPermitted(
            _("Only the finance bureau of “%(unit)s” loads and adjusts its budget lines.") % {"unit": unit.name}
        )
    return unit


def line_create(*, actor: Actor, data: LineData) -> BudgetLine:
    """Create a line with its ``allocate`` entry. Caller holds the transaction and checked
    ``require_may_load``. Audit event: ``budgets.line.create``."""
    line = BudgetLine.objects.create(
        **{k: v for k, v in asdict(data).items() if k != "amount"},
        created_at=clock.now(),
    )
    line.budget_unit = Organisation.objects.select_related("region").get(pk=line.budget_unit_id)
    append_entry(actor=actor, line=line, kind=EntryKind.ALLOCATE, amount=data.amount, ref=f"line:{line.pk}")
    audit_money(actor, "budgets.line.create", line, line, amount=data.amount, external_id=data.external_id)
    return line


_COMPARED = (
    "fiscal_year",
    "budget_unit_id",
    "functional_code",
    "economic_code",
    "fund_source",
    "project_code",
    "project_name",
)


def budget_line_upsert(*, actor: Actor, data: dict[str, Any]) -> tuple[BudgetLine, bool]:
    """Load one line from the budget system, idempotent on (source_system, external_id).

    Preconditions: the actor is the unit's finance bureau (its people or its system token);
    ``external_id`` is given. Effects: a new line with its ``allocate`` entry, or, when
    the external id is known and the line is identical, nothing. A known external id with a
    different amount (or other fields) is refused (``Conflict``): amounts change by
    adjustment entries only. Returns (line, created). Audit event: ``budgets.line.create``.
    """
    clean, errors = line_data_clean(data)
    if clean is None:
        raise ValidationFailed(fields={column: [message] for column, message in errors})
    if not clean.external_id:
        message = _("The external id of the line in the budget system is required.")
        raise ValidationFailed(message, fields={"external_id": [message]})
    require_may_load(actor, clean)
    try:
        with transaction.atomic():
            return line_create(actor=actor, data=clean), True
    except IntegrityError:
        pass  # same external id, maybe loaded a moment ago by a parallel call: compare below
    existing = BudgetLine.objects.filter(source_system=clean.source_system, external_id=clean.external_id).first()
    if existing is None:  # pragma: no cover - the IntegrityError had another cause
        raise Conflict()
    if not permissions.lines.can(actor, permissions.VIEW, existing):
        raise Conflict(_("This external id is already used by another budget unit's line."))
    allocated = existing.entries.filter(kind=EntryKind.ALLOCATE).aggregate(t=Sum("amount"))["t"] or ZERO
    different = [f for f in _COMPARED if getattr(existing, f) != getattr(clean, f)]
    if allocated != clean.amount:
        raise Conflict(
            _(
                "Line %(ext)s was loaded with %(old)s; a different amount (%(new)s) is refused. "
                "Change the amount of a loaded line with an adjustment (追加/调减)."
            )
            % {"ext": clean.external_id, "old": format_cny(allocated), "new": format_cny(clean.amount)},
            code="amount_changed_use_adjustment",
        )
    if different:
        raise Conflict(
            _("Line %(ext)s was already loaded with other values (%(fields)s).")
            % {"ext": clean.external_id, "fields": ", ".join(different)},
            code="line_changed",
        )
    return existing, False


def budget_line_adjust(*, actor: Actor, line_id: int, kind: str, amount: Decimal, reason: str) -> LedgerEntry:
    """Increase (追加, ``kind="up"``) or reduce (调减, ``"down"``) a line's allocation.

    Preconditions: the actor is the unit's finance bureau; a reason is given; a reduction
    never takes the allocation below what is reserved, committed and paid; an increase
    never takes it above ``core.money.MAX_AMOUNT`` (the largest amount the platform keeps,
    also the column's range). Effects: an
    ``adjust_up``/``adjust_down`` entry. Audit event: ``budgets.line.adjust``.
    """
    amount = positive_amount(amount)
    reason = (reason or "").strip()
    if kind not in ("up", "down"):
        raise ValidationFailed(fields={"kind": [_("Choose an increase or a reduction.")]})
    if not reason:
        message = _("Give the reason for the adjustment.")
        raise ValidationFailed(message, fields={"reason": [message]})
    with transaction.atomic():
        line = lock_line(actor=actor, line_id=line_id, action=permissions.LOAD)
        if kind == "down" and amount > line.available:
            raise InsufficientBudget(
                _("The reduction (%(amount)s) is more than the available amount (%(available)s).")
                % {"amount": format_cny(amount), "available": format_cny(line.available)}
            )
        if kind == "up" and line.allocated + amount > MAX_AMOUNT:
            too_large = _(
                "A line's allocation may not exceed %(max)s: this line has %(allocated)s, so at most "
                "%(room)s can be added."
            ) % {
                "max": format_cny(MAX_AMOUNT),
                "allocated": format_cny(line.allocated),
                "room": format_cny(MAX_AMOUNT - line.allocated),
            }
            raise ValidationFailed(too_large, code="allocation_too_large", fields={"amount": [too_large]})
        entry_kind = EntryKind.ADJUST_UP if kind == "up" else EntryKind.ADJUST_DOWN
        entry = append_entry(actor=actor, line=line, kind=entry_kind, amount=amount, ref=f"line:{line.pk}", note=reason)
        audit_money(actor, "budgets.line.adjust", line, line, kind=kind, amount=amount, reason=reason)
    return entry


# -- reservations and commitments (the calls plans, mall and tendering use) ---------------------


def budget_reserve(*, actor: Actor, line_id: int, amount: Decimal, ref: str) -> LedgerEntry:
    """Reserve ``amount`` of the line for ``ref`` (e.g. "plan:123").

    Preconditions: the actor's unit owns the line; its fiscal year is not closed; amount > 0;
    available >= amount, checked under the line's row lock. Raises ``InsufficientBudget``
    otherwise. Effects: a ``reserve`` entry. Audit event: ``budgets.line.reserve``.
    """
    amount = positive_amount(amount)
    ref = _ref(ref)
    with transaction.atomic():
        line = lock_line(actor=actor, line_id=line_id, action=permissions.MANAGE)
        _require_open_year(line)
        if amount > line.available:
            raise InsufficientBudget(
                _("Insufficient budget: %(amount)s requested, %(available)s available on this line.")
                % {"amount": format_cny(amount), "available": format_cny(line.available)}
            )
        entry = append_entry(actor=actor, line=line, kind=EntryKind.RESERVE, amount=amount, ref=ref)
        audit_money(actor, "budgets.line.reserve", line, line, amount=amount, ref=ref)
    return entry


def budget_release(
    *, actor: Actor, line_id: int, amount: Decimal, ref: str, reason: str = ReleaseReason.OTHER
) -> LedgerEntry:
    """Give back part or all of what ``ref`` reserved on the line (savings, cancellation).

    ``reason`` says why, for the figures: ``"savings"`` when the procurement completed (or
    needs less) and the rest of the reservation was not needed - only these count as
    savings; ``"cancelled"`` when the plan is cancelled or withdrawn; ``"revised"`` when it
    goes back to draft; ``"other"`` (the default) otherwise.
    Preconditions: as ``budget_reserve`` (a closed year does not stop a release); never more
    than ref's outstanding reservation. Effects: a ``release`` entry carrying the reason.
    Audit event: ``budgets.line.release``.
    """
    amount = positive_amount(amount)
    ref = _ref(ref)
    if reason not in ReleaseReason.values:
        message = _("“%(reason)s” is not a reason for a release.") % {"reason": reason}
        raise ValidationFailed(message, fields={"reason": [message]})
    with transaction.atomic():
        line = lock_line(actor=actor, line_id=line_id, action=permissions.MANAGE)
        outstanding = reservation_outstanding(line.pk, ref)
        if amount > outstanding:
            raise ValidationFailed(
                _("%(ref)s holds only %(outstanding)s reserved on this line; %(amount)s cannot be released.")
                % {"ref": ref_label(ref), "outstanding": format_cny(outstanding), "amount": format_cny(amount)},
                code="release_exceeds_reservation",
            )
        entry = append_entry(actor=actor, line=line, kind=EntryKind.RELEASE, amount=amount, ref=ref, reason=reason)
        audit_money(actor, "budgets.line.release", line, line, amount=amount, ref=ref, reason=reason)
    return entry


def budget_commit(
    *,
    actor: Actor,
    line_id: int,
    amount: Decimal,
    ref: str,
    commitment_ref: str,
    supplier_org_id: int | None,
    description: str,
) -> Commitment:
    """Move ``amount`` of ref's reservation to committed for an order or a contract.

    Preconditions: as ``budget_reserve``; ref's outstanding reservation on the line covers
    the amount (``InsufficientBudget`` otherwise). Effects: a ``Commitment`` (status open)
    and a ``commit`` entry. Audit event: ``budgets.commitment.create``.
    """
    amount = positive_amount(amount)
    ref = _ref(ref)
    commitment_ref = _ref(commitment_ref, "commitment_ref")
    with transaction.atomic():
        line = lock_line(actor=actor, line_id=line_id, action=permissions.MANAGE)
        _require_open_year(line)
        # One order or contract is one commitment per line: a repeat (a retried call, a
        # double click) must not commit the money twice. The line lock serialises the check.
        if (
            Commitment.objects.filter(line=line, commitment_ref=commitment_ref)
            .exclude(status=CommitmentStatus.CANCELLED)
            .exists()
        ):
            raise Conflict(
                _("%(commitment_ref)s is already committed on this line.")
                % {"commitment_ref": ref_label(commitment_ref)}
            )
        outstanding = reservation_outstanding(line.pk, ref)
        if amount > outstanding:
            raise InsufficientBudget(
                _("Insufficient budget: %(ref)s holds %(outstanding)s reserved on this line, %(amount)s is needed.")
                % {"ref": ref_label(ref), "outstanding": format_cny(outstanding), "amount": format_cny(amount)}
            )
        commitment = Commitment.objects.create(
            line=line,
            ref=ref,
            commitment_ref=commitment_ref,
            supplier_org_id=supplier_org_id,
            description=(description or "")[:300],
            amount=amount,
            created_at=clock.now(),
        )
        append_entry(actor=actor, line=line, kind=EntryKind.COMMIT, amount=amount, ref=ref, commitment=commitment)
        audit_money(
            actor, "budgets.commitment.create", commitment, line, amount=amount, ref=ref, commitment_ref=commitment_ref
        )
    return commitment


def lock_commitment(*, actor: Actor, commitment_id: int, action: str) -> tuple[BudgetLine, Commitment]:
    """Lock the commitment's line, then the commitment (always in that order)."""
    line_id = Commitment.objects.filter(pk=commitment_id).values_list("line_id", flat=True).first()
    if line_id is None:
        raise NotFound()
    line = lock_line(actor=actor, line_id=line_id, action=action)
    commitment = Commitment.objects.select_for_update().get(pk=commitment_id)
    commitment.line = line
    return line, commitment


def commitment_cancel(*, actor: Actor, commitment_id: int, to_reservation: bool = False) -> Commitment:
    """Cancel what is left of a commitment (an order declined or cancelled, a contract ended).

    The unpaid part (amount - paid) goes back to the line's available money (an ``uncommit``
    entry) or, with ``to_reservation``, to the reservation it was committed from (a
    ``return`` entry on the same ref: the plan holds it again and may commit it to another
    order). Preconditions: the actor manages the unit's money; no payment request in
    progress (``Conflict``); not cancelled already; with ``to_reservation``, the fiscal year
    is open (``FiscalYearClosed``: nothing can be committed from a closed year's reservation).
    Effects: the entry, status cancelled. Audit event: ``budgets.commitment.cancel``
    (``returned`` = the unpaid part, ``to`` = "available" or "reservation").
    """
    with transaction.atomic():
        line, commitment = lock_commitment(actor=actor, commitment_id=commitment_id, action=permissions.MANAGE)
        if commitment.payments.filter(
            status__in=[PaymentStatus.DRAFT, PaymentStatus.SUBMITTED, PaymentStatus.APPROVED]
        ).exists():
            raise Conflict(_("A payment request for this commitment is in progress: decide it first."))
        COMMITMENT_MACHINE.apply(commitment, "cancel")
        if to_reservation:
            _require_open_year(line)
        remainder = commitment.amount - commitment.paid
        if remainder > 0:
            append_entry(
                actor=actor,
                line=line,
                kind=EntryKind.RETURN if to_reservation else EntryKind.UNCOMMIT,
                amount=remainder,
                ref=commitment.ref,
                commitment=commitment,
            )
        commitment.save(update_fields=["status"])
        audit_money(
            actor,
            "budgets.commitment.cancel",
            commitment,
            line,
            returned=remainder,
            to="reservation" if to_reservation else "available",
        )
    return commitment


def _reduce(*, actor: Actor, line: BudgetLine, commitment: Commitment, amount: Decimal, reason: str) -> Decimal:
    """Lower a locked commitment to ``amount``: one ``reduce`` entry for the difference,
    carrying ``reason``; the commitment's amount is saved; audit event
    ``budgets.commitment.reduce``. Returns the difference."""
    before = commitment.amount
    difference = before - amount
    append_entry(
        actor=actor,
        line=line,
        kind=EntryKind.REDUCE,
        amount=difference,
        ref=commitment.ref,
        commitment=commitment,
        reason=reason,
    )
    commitment.amount = amount
    commitment.save(update_fields=["amount"])
    audit_money(
        actor,
        "budgets.commitment.reduce",
        commitment,
        line,
        amount_before=before,
        amount=amount,
        released=difference,
        reason=reason,
        commitment_ref=commitment.commitment_ref,
    )
    return difference


REDUCIBLE = (CommitmentStatus.OPEN, CommitmentStatus.ACCEPTED, CommitmentStatus.PAID)


def commitment_reduce(
    *, actor: Actor, commitment_id: int, amount: Decimal, reason: str = ReleaseReason.SAVINGS
) -> Commitment:
    """Lower a commitment to ``amount`` (what stays committed, not the reduction), giving
    the difference back to the line's available money in one step.

    For an order or a contract that turned out to need less, e.g. a partial acceptance (验收)
    of an order: the commitment keeps its identity, payments and history; the ledger shows
    one ``reduce`` entry carrying ``reason`` (``savings`` by default: only those count in the
    savings figures, like a savings release of a reservation). The money does not go back to
    the reservation (see ``ledger.py``); cancel the commitment with ``to_reservation`` for that.

    Preconditions: the actor manages the unit's money; the commitment is open, accepted or
    paid (not cancelled); 0 < amount < the committed amount; amount is not below what was
    accepted, paid or asked for by live payment requests; ``reason`` is a release reason.
    Works on a closed fiscal year (it gives money back). Effects: a ``reduce`` entry,
    ``Commitment.amount`` lowered; a paid commitment stays paid. Audit event:
    ``budgets.commitment.reduce`` (from, to, released, reason).
    """
    amount = positive_amount(amount)
    if reason not in ReleaseReason.values:
        message = _("“%(reason)s” is not a reason for a release.") % {"reason": reason}
        raise ValidationFailed(message, fields={"reason": [message]})
    with transaction.atomic():
        line, commitment = lock_commitment(actor=actor, commitment_id=commitment_id, action=permissions.MANAGE)
        if commitment.status not in REDUCIBLE:
            raise InvalidTransition(
                _("You cannot reduce the commitment while the status is “%(status)s”.")
                % {"status": commitment.get_status_display()}
            )
        if amount >= commitment.amount:
            message = _("A reduced commitment must be less than the committed amount (%(amount)s).") % {
                "amount": format_cny(commitment.amount)
            }
            raise ValidationFailed(message, code="reduce_not_lower", fields={"amount": [message]})
        floor = max(
            commitment.paid,
            commitment.accepted_amount if commitment.accepted_on is not None else ZERO,
            commitment_requested(commitment),
        )
        if amount < floor:
            message = _(
                "The commitment cannot go below %(floor)s: that much is accepted, paid or asked for in "
                "payment requests."
            ) % {"floor": format_cny(floor)}
            raise ValidationFailed(message, code="reduce_below_used", fields={"amount": [message]})
        _reduce(actor=actor, line=line, commitment=commitment, amount=amount, reason=reason)
    return commitment


class AcceptedByOwner(InvalidTransition):
    code = "accepted_by_owner"


def commitment_accept(
    *, actor: Actor, commitment_id: int, accepted_amount: Decimal, accepted_on: dt.date, by_owner: bool = False
) -> Commitment:
    """Record the acceptance (验收) of an order or contract; starts the payment clock.

    Preconditions: the commitment is open; 0 < accepted_amount <= amount; accepted_on is not
    in the future. Effects: status accepted, ``due_on`` = accepted_on + the payment period
    of the rule set for the unit's region (30 days by default). Accepting less than was
    committed lowers the commitment to the accepted amount (as ``commitment_reduce``, the
    difference released as savings): nothing more will be paid on it. Callers that keep
    their own figures (plans) reduce first, then accept the whole amount.
    A commitment whose reference is managed by its owning app (``refs.ref_managed_register``,
    e.g. the mall's orders) is accepted only by that app (``by_owner=True``).
    Audit events: ``budgets.commitment.reduce`` when less is accepted, then
    ``budgets.commitment.accept``.
    """
    accepted_amount = positive_amount(accepted_amount, field="accepted_amount")
    with transaction.atomic():
        line, commitment = lock_commitment(actor=actor, commitment_id=commitment_id, action=permissions.MANAGE)
        if accepted_amount > commitment.amount:
            message = _("The accepted amount may not exceed the committed amount (%(amount)s).") % {
                "amount": format_cny(commitment.amount)
            }
            raise ValidationFailed(message, fields={"accepted_amount": [message]})
        if accepted_on > clock.today():
            future = _("The acceptance date may not be in the future.")
            raise ValidationFailed(future, fields={"accepted_on": [future]})
        if not by_owner and ref_is_managed(commitment.commitment_ref):
            raise AcceptedByOwner(
                _("%(ref)s is accepted on its own page, where the delivery is checked; it cannot be accepted here.")
                % {"ref": ref_label(commitment.commitment_ref)}
            )
        COMMITMENT_MACHINE.apply(commitment, "accept")
        if accepted_amount < commitment.amount:
            _reduce(actor=actor, line=line, commitment=commitment, amount=accepted_amount, reason=ReleaseReason.SAVINGS)
        commitment.accepted_amount = accepted_amount
        commitment.accepted_on = accepted_on
        commitment.due_on = payment_due_on(unit=line.budget_unit, accepted_on=accepted_on)
        commitment.save(update_fields=["status", "accepted_amount", "accepted_on", "due_on"])
        audit_money(
            actor,
            "budgets.commitment.accept",
            commitment,
            line,
            accepted_amount=accepted_amount,
            accepted_on=accepted_on,
            due_on=commitment.due_on,
        )
    return commitment


def commitment_requested(commitment: Commitment) -> Decimal:
    """The part of the commitment held by live payment requests (draft to paid)."""
    total = commitment.payments.filter(status__in=PAYMENT_LIVE).aggregate(t=Sum("amount"))["t"]
    return total or ZERO


__all__ = [
    "CommitmentStatus",
    "LineData",
    "ReleaseReason",
    "budget_commit",
    "budget_line_adjust",
    "budget_line_upsert",
    "budget_release",
    "budget_reserve",
    "commitment_accept",
    "commitment_cancel",
    "commitment_reduce",
]
