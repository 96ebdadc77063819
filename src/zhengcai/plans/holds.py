"""Holds (占用): earmarks inside a plan's reservation on one budget line.

An open online inquiry or reverse auction needs part of what the plan reserved on a line
until it is awarded or ends; it is not committed yet (no supplier, no amount), so it makes
no ledger entry. A ``PlanHold`` earmarks it instead: everything that spends the plan's
reservation (checkout, another event, releasing savings) sees only what is *free*:

    free on a line = the plan's outstanding reservation on the line - its active holds there

The award consumes its own hold: ``plan_commit(hold_ref=...)`` may use the hold's amount on
top of the free money and releases the hold in the same transaction. A plan cannot be
completed while it has active holds (``plan_complete`` refuses, naming the events); a plan is
only cancelled before it executes, when it has none. Each hold is keyed by the holder's ``ref`` (e.g.
"sourcing:XJ000002"), unique among the active holds.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhengcai.budgets import services as budget_services
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import Conflict, InvalidTransition, ValidationFailed
from zhengcai.plans.execution import _funded_line, _start
from zhengcai.plans.free import (
    insufficient_free,
    plan_hold_get,
    plan_holds_active,
    plan_line_free,
    plan_line_held,
    release_all_holds,
    release_locked,
)
from zhengcai.plans.models import PlanHold, ProcurementPlan
from zhengcai.plans.services import audit_plan, lock_plan
from zhengcai.plans.states import PlanStatus

__all__ = [
    "insufficient_free",
    "plan_hold_get",
    "plan_hold_place",
    "plan_hold_release",
    "plan_holds_active",
    "plan_line_free",
    "plan_line_held",
    "release_all_holds",
    "release_locked",
]


def _clean_ref(ref: Any) -> str:
    text = (str(ref) if ref is not None else "").strip()
    if not text or len(text) > 100 or ":" not in text:
        message = _("A hold needs a reference such as “sourcing:XJ000002”.")
        raise ValidationFailed(message, code="hold_ref_required", fields={"ref": [message]})
    return text


def plan_hold_place(*, actor: Actor, plan_id: int, line_id: int, amount: Decimal, ref: str) -> PlanHold:
    """Hold ``amount`` of the plan's free money on one line for ``ref`` (an open inquiry or auction).

    Preconditions: the unit's purchaser (or the platform acting for it); the plan in force
    (a filed or approved plan is started first, with the intention check - as
    ``plan_commit``); the line one of the plan's fundings; amount > 0, exact to the fen;
    no active hold with the same ref (``Conflict``); amount <= what is free on the line
    (``InsufficientBudget`` otherwise). The plan row is locked, so two holds or a hold and a
    checkout never both spend the same money. Audit event: ``plans.hold.place``.
    """
    ref = _clean_ref(ref)
    value = budget_services.positive_amount(amount)
    with transaction.atomic():
        plan = lock_plan(actor=actor, plan_id=plan_id)
        if plan.status in (PlanStatus.FILED, PlanStatus.APPROVED):
            _start(plan)
            plan.updated_at = clock.now()
            plan.save()
            audit_plan(actor, "plans.plan.start", plan)
        elif plan.status != PlanStatus.EXECUTING:
            raise InvalidTransition(_("Only a plan in force can hold money for an inquiry or an auction."))
        line = _funded_line(plan, line_id)
        if PlanHold.objects.filter(ref=ref, released_at__isnull=True).exists():
            raise Conflict(_("%(ref)s already holds money of a plan.") % {"ref": ref}, code="hold_exists")
        free = plan_line_free(plan_id=plan.pk, line_id=line)
        if value > free:
            raise insufficient_free(plan, line_id=line, amount=value, free=free)
        hold = PlanHold.objects.create(plan=plan, budget_line_id=line, ref=ref, amount=value, created_at=clock.now())
        audit_plan(actor, "plans.hold.place", plan, line=line, amount=value, ref=ref)
    return hold


def plan_hold_release(*, actor: Actor, ref: str) -> PlanHold | None:
    """Release the active hold of ``ref`` (the event closed, failed or was cancelled).

    Idempotent: None when ``ref`` holds nothing (never placed, or released already).
    Preconditions: the plan's unit's purchaser, the platform acting for it, or the platform
    itself (a system actor without an organisation, e.g. the sweeper closing a failed event);
    NotFound for another unit's plan. Audit event: ``plans.hold.release``.
    """
    text = (ref or "").strip()
    hold = plan_hold_get(text)
    if hold is None:
        return None
    with transaction.atomic():
        if actor.is_system and actor.organisation_id is None:
            # The platform itself (a sweeper closing an event that failed) acts for any unit.
            plan = ProcurementPlan.objects.select_for_update().get(pk=hold.plan_id)
        else:
            plan = lock_plan(actor=actor, plan_id=hold.plan_id)
        hold = PlanHold.objects.select_for_update().filter(ref=text, released_at__isnull=True).first()
        if hold is None:
            return None
        return release_locked(actor, plan, hold, reason="released")
