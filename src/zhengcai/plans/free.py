"""What is free in a plan's reservation on a line, and the low-level hold bookkeeping
(``plans.holds`` is the public face; ``plans.execution`` uses this module directly)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from zhengcai.budgets import services as budget_services
from zhengcai.budgets.errors import InsufficientBudget
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.money import ZERO, format_cny
from zhengcai.plans.models import PlanHold, ProcurementPlan
from zhengcai.plans.services import audit_plan


def _line_int(line_id: Any) -> int:
    try:
        return int(line_id)
    except (TypeError, ValueError):
        return -1


def plan_line_held(*, plan_id: int, line_id: int, exclude_ref: str = "") -> Decimal:
    """The sum of the plan's active holds on the line (``exclude_ref``'s hold not counted)."""
    holds = PlanHold.objects.filter(plan_id=plan_id, budget_line_id=_line_int(line_id), released_at__isnull=True)
    if exclude_ref:
        holds = holds.exclude(ref=exclude_ref)
    return holds.aggregate(total=Sum("amount"))["total"] or ZERO


def plan_line_free(*, plan_id: int, line_id: int) -> Decimal:
    """What the plan still reserves on the line less its active holds there (never below 0)."""
    plan = ProcurementPlan.objects.filter(pk=plan_id).only("pk").first()
    if plan is None:
        return ZERO
    line = _line_int(line_id)
    reserved = budget_services.reservation_outstanding(line, plan.ref)
    return max(reserved - plan_line_held(plan_id=plan.pk, line_id=line), ZERO)


def plan_holds_active(*, plan_id: int) -> list[PlanHold]:
    """The plan's active holds, oldest first (for the plan page)."""
    return list(PlanHold.objects.filter(plan_id=plan_id, released_at__isnull=True))


def plan_hold_get(ref: str) -> PlanHold | None:
    """The active hold of ``ref``, or None."""
    return PlanHold.objects.filter(ref=ref, released_at__isnull=True).first() if ref else None


def insufficient_free(
    plan: ProcurementPlan, *, line_id: int, amount: Decimal, free: Decimal, own_ref: str = ""
) -> InsufficientBudget:
    """The budgets-style refusal when ``amount`` is more than the plan's free money on a line
    (``own_ref``: the hold the caller may use, counted in ``free``, not as held by others)."""
    held = plan_line_held(plan_id=plan.pk, line_id=line_id, exclude_ref=own_ref)
    if held > 0:
        message = _(
            "Insufficient budget: %(plan)s has %(free)s free on this line (%(held)s of its reservation is "
            "held by open inquiries or auctions), %(amount)s is needed."
        ) % {"plan": plan.number, "free": format_cny(free), "held": format_cny(held), "amount": format_cny(amount)}
    else:
        message = _("Insufficient budget: %(plan)s holds %(free)s reserved on this line, %(amount)s is needed.") % {
            "plan": plan.number,
            "free": format_cny(free),
            "amount": format_cny(amount),
        }
    return InsufficientBudget(message, fields={"amount": [message]})


def release_locked(actor: Actor, plan: ProcurementPlan, hold: PlanHold, *, reason: str) -> PlanHold:
    """Release a hold of a plan the caller has locked (its transaction), audited."""
    hold.released_at = clock.now()
    hold.save(update_fields=["released_at"])
    audit_plan(
        actor, "plans.hold.release", plan, line=hold.budget_line_id, amount=hold.amount, ref=hold.ref, reason=reason
    )
    return hold


def release_all_holds(actor: Actor, plan: ProcurementPlan, *, reason: str) -> Decimal:
    """Release every active hold of a locked plan (completed, cancelled); returns the total."""
    total = ZERO
    for hold in plan_holds_active(plan_id=plan.pk):
        release_locked(actor, plan, hold, reason=reason)
        total += hold.amount
    return total
