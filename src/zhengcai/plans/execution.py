"""Executing a plan: the intention notice, the start, and the calls the mall and tendering use.

``plan_commit`` turns part of the plan's reservation into a commitment for an order or a
contract; ``plan_uncommit`` cancels one (an order declined or cancelled: the money goes back
to the plan's reservation while it executes); ``plan_commitment_reduce`` lowers one to what
was accepted (the difference released as savings); ``plan_release_savings`` gives back what
is not needed; ``plan_complete`` closes the plan and releases the rest. Each is one
transaction with its audit event; the money moves through ``zhengcai.budgets.services`` in
that same transaction.

The plan's ``committed_amount`` (committed to orders and contracts, paid part included) and
``released_amount`` (given back to the lines: savings, cancellation) are a cache for the
figures. Every call that lowers a commitment re-reads ``committed_amount`` from the budget
ledger (``budgets.selectors.committed_for_ref``) and counts what left the plan as released,
so a commitment lowered directly in budgets (an acceptance of less recorded on the budget
page) is picked up by the next call, at the latest by ``plan_complete``. Invariant: the
plan's outstanding reservations + committed_amount + released_amount = what it reserved.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhengcai.budgets import selectors as budget_selectors
from zhengcai.budgets import services as budget_services
from zhengcai.budgets.amounts import amount_exact
from zhengcai.budgets.errors import FiscalYearClosed
from zhengcai.budgets.refs import ref_label
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from zhengcai.core.money import ZERO, format_cny
from zhengcai.plans import free as plan_holds
from zhengcai.plans.methods import Channel
from zhengcai.plans.models import PlanHold, ProcurementPlan
from zhengcai.plans.services import audit_plan, lock_plan, release_all
from zhengcai.plans.states import INTENTION_OPEN, PLAN_MACHINE, PlanStatus
from zhengcai.rules.models import Region
from zhengcai.rules.selectors import ruleset_for, working_calendar


class PlanHasOpenEvents(Conflict):
    code = "plan_has_open_events"
    default_message = _("The plan still holds money for open inquiries or auctions.")


def open_events_message(plan: ProcurementPlan) -> str:
    """Why the plan cannot complete yet, naming its open inquiries and auctions, or ""."""
    holds = plan_holds.plan_holds_active(plan_id=plan.pk)
    if not holds:
        return ""
    names = ", ".join(ref_label(hold.ref) for hold in holds)
    return str(
        _(
            "The plan still has open inquiries or auctions (%(events)s). Finish (award) or cancel them "
            "first, then complete the plan."
        )
        % {"events": names}
    )


class IntentionPeriodRunning(Conflict):
    code = "intention_period_running"
    default_message = _("The procurement intention has not been public long enough.")


def _rules_of(plan: ProcurementPlan) -> Any:
    if plan.rule_set is not None:
        return plan.rule_set.rule_values
    return ruleset_for(region=Region.objects.filter(code=plan.region_code).first(), on=clock.today()).rule_values


def intention_required(plan: ProcurementPlan) -> bool:
    """Whether the plan must publish an intention before it starts (财库〔2020〕10号).

    Project procurement (at or above the limit, or centralised items outside the mall) must;
    e-mall purchases below the limit and purchases the unit makes itself need not. A rule
    set with a zero period requires none.
    """
    return plan.channel == Channel.PROJECT and _rules_of(plan).intention_notice_before_start.n > 0


def plan_intention_publish(*, actor: Actor, plan_id: int, summary: str = "") -> ProcurementPlan:
    """Publish the procurement intention (采购意向公开) on the public portal.

    Preconditions: the unit's purchaser; the plan not yet executing, closed or cancelled; not
    published before. Effects: ``intention_published_on`` = today and ``earliest_start`` =
    today plus the intention period of the rules (days, the start day not counted, a rest
    day rolling to the next working day). Audit event: ``plans.intention.publish``.
    """
    with transaction.atomic():
        plan = lock_plan(actor=actor, plan_id=plan_id)
        if plan.status not in INTENTION_OPEN:
            raise InvalidTransition(_("An intention can only be published before the plan is executed."))
        if plan.intention_published_on is not None:
            raise Conflict(_("The intention of this plan is already published."), code="intention_published")
        today = clock.today()
        period = _rules_of(plan).intention_notice_before_start.period
        plan.intention_published_on = today
        plan.earliest_start = working_calendar().period_end(today, period)
        plan.intention_summary = (summary or "").strip()[:2000] or plan.title
        plan.updated_at = clock.now()
        plan.save()
        audit_plan(actor, "plans.intention.publish", plan, earliest_start=plan.earliest_start.isoformat())
    return plan


def _check_may_start(plan: ProcurementPlan) -> None:
    if not intention_required(plan):
        return
    if plan.intention_published_on is None or plan.earliest_start is None:
        raise IntentionPeriodRunning(
            _(
                "Publish the procurement intention first: procurement may start only after it has "
                "been public for the period the rules require."
            )
        )
    if clock.today() < plan.earliest_start:
        raise IntentionPeriodRunning(
            _("The intention was published on %(published)s; procurement may start on %(start)s at the earliest.")
            % {"published": plan.intention_published_on.isoformat(), "start": plan.earliest_start.isoformat()}
        )


def _start(plan: ProcurementPlan) -> None:
    _check_may_start(plan)
    PLAN_MACHINE.apply(plan, "start")
    plan.started_at = clock.now()


def plan_start_execution(*, actor: Actor, plan_id: int) -> ProcurementPlan:
    """Start executing a plan in force (filed or approved).

    Preconditions: the unit's purchaser; where the rules require an intention notice, it was
    published and the period has run (``IntentionPeriodRunning`` otherwise).
    Effects: status ``executing``. Audit event: ``plans.plan.start``.
    """
    with transaction.atomic():
        plan = lock_plan(actor=actor, plan_id=plan_id)
        _start(plan)
        plan.updated_at = clock.now()
        plan.save()
        audit_plan(actor, "plans.plan.start", plan)
    return plan


def _funded_line(plan: ProcurementPlan, line_id: Any) -> int:
    try:
        line = int(line_id)
    except (TypeError, ValueError):
        line = -1
    if not plan.fundings.filter(budget_line_id=line).exists():
        raise ValidationFailed(fields={"line_id": [_("The plan does not draw on this budget line.")]})
    return line


def plan_commit(
    *,
    actor: Actor,
    plan_id: int,
    line_id: int,
    amount: Decimal,
    commitment_ref: str,
    supplier_org_id: int | None,
    description: str,
    hold_ref: str | None = None,
) -> Any:
    """Commit part of the plan's reservation on one line to an order or a contract.

    Preconditions: the unit's purchaser; the plan in force (a filed or approved plan is
    started first, with the intention check); the line one of the plan's fundings; the
    amount is at most what is free on the line (reserved less the active holds of open
    inquiries and auctions, ``plans.holds``) plus, with ``hold_ref``, that hold's amount -
    ``InsufficientBudget`` otherwise. ``hold_ref`` must name an active hold of this plan on
    this line (``ValidationFailed`` otherwise); it is released in the same transaction.
    Effects: ``budgets.budget_commit`` (a Commitment); the plan's committed amount grows and
    the first commitment's time is kept for the cycle-time figures. Returns the Commitment.
    Audit events: ``plans.plan.commit`` (plus ``budgets.commitment.create``, and
    ``plans.hold.release`` with ``hold_ref``).
    """
    with transaction.atomic():
        plan = lock_plan(actor=actor, plan_id=plan_id)
        if plan.status in (PlanStatus.FILED, PlanStatus.APPROVED):
            _start(plan)
        elif plan.status != PlanStatus.EXECUTING:
            raise InvalidTransition(_("Only a plan in force can be committed to an order or a contract."))
        line = _funded_line(plan, line_id)
        hold = _hold_of(plan, line, hold_ref)
        free = plan_holds.plan_line_free(plan_id=plan.pk, line_id=line)
        usable = free + (hold.amount if hold is not None else ZERO)
        value = budget_services.positive_amount(amount)
        if value > usable:
            raise plan_holds.insufficient_free(plan, line_id=line, amount=value, free=usable, own_ref=hold_ref or "")
        if hold is not None:
            plan_holds.release_locked(actor, plan, hold, reason="committed")
        commitment = budget_services.budget_commit(
            actor=actor,
            line_id=line,
            amount=amount,
            ref=plan.ref,
            commitment_ref=commitment_ref,
            supplier_org_id=supplier_org_id,
            description=description,
        )
        now = clock.now()
        plan.committed_amount = (plan.committed_amount or ZERO) + commitment.amount
        plan.first_committed_at = plan.first_committed_at or now
        plan.updated_at = now
        plan.save()
        audit_plan(actor, "plans.plan.commit", plan, line=line, amount=commitment.amount, commitment_ref=commitment_ref)
    return commitment


def _hold_of(plan: ProcurementPlan, line: int, hold_ref: str | None) -> Any:
    """The plan's active hold ``hold_ref`` on the line (locked), or None without a ref."""
    if not hold_ref:
        return None
    hold = (
        PlanHold.objects.select_for_update()
        .filter(plan=plan, budget_line_id=line, ref=hold_ref, released_at__isnull=True)
        .first()
    )
    if hold is None:
        message = _("%(ref)s holds no money of this plan on this line.") % {"ref": hold_ref}
        raise ValidationFailed(message, code="hold_not_found", fields={"hold_ref": [message]})
    return hold


def _plan_commitment(plan: ProcurementPlan, commitment_id: Any) -> int:
    """The id of one of the plan's commitments; NotFound for a missing one or another plan's."""
    try:
        pk = int(commitment_id)
    except (TypeError, ValueError):
        pk = 0
    if budget_selectors.commitment_reservation_ref(pk) != plan.ref:
        raise NotFound()
    return pk


def _sync_committed(plan: ProcurementPlan) -> Decimal:
    """Set the cached committed amount from the ledger; returns how much it dropped."""
    before = plan.committed_amount or ZERO
    plan.committed_amount = budget_selectors.committed_for_ref(plan.ref)
    return before - plan.committed_amount


def plan_uncommit(*, actor: Actor, plan_id: int, commitment_id: int) -> Any:
    """Cancel one of the plan's commitments (an order declined or cancelled, a contract that
    will not go ahead).

    While the plan executes, the unpaid part goes back to the plan's reservation on the line
    (``budgets.commitment_cancel(to_reservation=True)``), so the unit can commit it again;
    once the plan is completed, or its fiscal year closed, it goes back to the line's
    available money and counts as released by the plan.
    Preconditions: the unit's purchaser (or the platform acting for the unit); the
    commitment is the plan's (``NotFound`` otherwise); budgets' own checks (not cancelled
    yet, no payment request in progress). Effects: the commitment cancelled;
    ``committed_amount`` lowered by its unpaid part; ``released_amount`` raised by it when it
    went to available. Returns the Commitment. Audit events: ``plans.plan.uncommit`` (plus
    ``budgets.commitment.cancel``).
    """
    with transaction.atomic():
        plan = lock_plan(actor=actor, plan_id=plan_id)
        pk = _plan_commitment(plan, commitment_id)
        commitment = None
        if plan.status == PlanStatus.EXECUTING:
            try:
                with transaction.atomic():
                    commitment = budget_services.commitment_cancel(actor=actor, commitment_id=pk, to_reservation=True)
            except FiscalYearClosed:
                commitment = None  # nothing can be committed from a closed year: back to available
        to_reservation = commitment is not None
        if commitment is None:
            commitment = budget_services.commitment_cancel(actor=actor, commitment_id=pk)
        returned = commitment.amount - commitment.paid
        dropped = _sync_committed(plan)
        plan.released_amount = (plan.released_amount or ZERO) + dropped - (returned if to_reservation else ZERO)
        plan.updated_at = clock.now()
        plan.save()
        audit_plan(
            actor,
            "plans.plan.uncommit",
            plan,
            line=commitment.line_id,
            commitment_ref=commitment.commitment_ref,
            returned=returned,
            to="reservation" if to_reservation else "available",
        )
    return commitment


def plan_commitment_reduce(*, actor: Actor, plan_id: int, commitment_id: int, amount: Decimal) -> Any:
    """Lower one of the plan's commitments to ``amount`` (what stays committed, e.g. the
    accepted part of an order); the difference is released as savings in one step
    (``budgets.commitment_reduce``, reason savings).

    Preconditions: the unit's purchaser (or the platform acting for the unit); the
    commitment is the plan's (``NotFound`` otherwise); budgets' own checks (0 < amount <
    committed, not below what is accepted, paid or requested). Effects: ``committed_amount``
    lowered and ``released_amount`` raised by the difference. Returns the Commitment. Audit
    events: ``plans.plan.reduce`` (plus ``budgets.commitment.reduce``).
    """
    with transaction.atomic():
        plan = lock_plan(actor=actor, plan_id=plan_id)
        pk = _plan_commitment(plan, commitment_id)
        commitment = budget_services.commitment_reduce(
            actor=actor, commitment_id=pk, amount=amount, reason=budget_services.ReleaseReason.SAVINGS
        )
        released = _sync_committed(plan)
        plan.released_amount = (plan.released_amount or ZERO) + released
        plan.updated_at = clock.now()
        plan.save()
        audit_plan(
            actor,
            "plans.plan.reduce",
            plan,
            line=commitment.line_id,
            commitment_ref=commitment.commitment_ref,
            amount=commitment.amount,
            released=released,
        )
    return commitment


def plan_release_savings(*, actor: Actor, plan_id: int, line_id: int, amount: Decimal) -> ProcurementPlan:
    """Give back part of the reservation on one line (savings) while the plan runs.

    Preconditions: the unit's purchaser; the plan executing; never more than what the plan
    still holds on the line (budgets refuses). Audit event: ``plans.plan.release``.
    """
    with transaction.atomic():
        plan = lock_plan(actor=actor, plan_id=plan_id)
        if plan.status != PlanStatus.EXECUTING:
            raise InvalidTransition(_("Savings are released from a plan that is executing."))
        line = _funded_line(plan, line_id)
        value = amount_exact(amount)
        free = plan_holds.plan_line_free(plan_id=plan.pk, line_id=line)
        held = plan_holds.plan_line_held(plan_id=plan.pk, line_id=line)
        if held > 0 and value > free:
            message = _(
                "Only %(free)s of the plan's reservation on this line is free; %(held)s is held by open "
                "inquiries or auctions and cannot be released."
            ) % {"free": format_cny(free), "held": format_cny(held)}
            raise ValidationFailed(message, code="release_exceeds_free", fields={"amount": [message]})
        budget_services.budget_release(
            actor=actor, line_id=line, amount=value, ref=plan.ref, reason=budget_services.ReleaseReason.SAVINGS
        )
        plan.released_amount = (plan.released_amount or ZERO) + value
        plan.updated_at = clock.now()
        plan.save()
        audit_plan(actor, "plans.plan.release", plan, line=line, amount=value)
    return plan


def plan_complete(*, actor: Actor, plan_id: int) -> ProcurementPlan:
    """Close an executing plan; whatever is still reserved is released as savings, and the
    cached committed amount is re-read from the ledger (a commitment lowered in budgets
    directly counts as released).

    Refused (``PlanHasOpenEvents``, 409) while open inquiries or auctions hold part of the
    plan's money: they must be awarded or cancelled first (the message names them).
    Audit event: ``plans.plan.complete``.
    """
    with transaction.atomic():
        plan = lock_plan(actor=actor, plan_id=plan_id)
        PLAN_MACHINE.apply(plan, "complete")
        # Completing would free the money of open inquiries/auctions while they keep running
        # (suppliers quoting for nothing, an award that can no longer commit): refuse instead.
        blocked = open_events_message(plan)
        if blocked:
            raise PlanHasOpenEvents(blocked)
        plan_holds.release_all_holds(actor, plan, reason="plan_completed")
        released = release_all(actor=actor, plan=plan, reason=budget_services.ReleaseReason.SAVINGS)
        released += _sync_committed(plan)
        now = clock.now()
        plan.released_amount = (plan.released_amount or ZERO) + released
        plan.completed_at = plan.updated_at = now
        plan.save()
        audit_plan(actor, "plans.plan.complete", plan, released=released)
    return plan
