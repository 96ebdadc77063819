"""Reading orders: visibility per role, the checkout choices, the timeline."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zhengcai.budgets import selectors as budget_selectors
from zhengcai.budgets.services import reservation_outstanding
from zhengcai.core.actor import Actor
from zhengcai.orders import permissions
from zhengcai.orders.models import Order
from zhengcai.orders.states import ORDER_MACHINE, OrderStatus
from zhengcai.plans import selectors as plan_selectors
from zhengcai.plans.methods import Channel
from zhengcai.plans.states import IN_FORCE


def orders_visible(*, actor: Actor, status: str = "", q: str = "") -> QuerySet[Order]:
    qs = permissions.orders.visible(actor, Order.objects.select_related("buyer", "supplier", "plan"))
    if status in OrderStatus.values:
        qs = qs.filter(status=status)
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(supplier_name__icontains=q)
            | Q(buyer__name__icontains=q)
            | Q(lines__title__icontains=q)
        ).distinct()
    return qs


def order_get(*, actor: Actor, pk: int) -> Order:
    """One visible order; missing and not visible: NotFound."""
    return permissions.orders.get_visible(
        actor, Order.objects.select_related("buyer", "supplier", "plan", "rule_set"), pk=pk
    )


def order_actions(*, actor: Actor, order: Order) -> set[str]:
    """What ``actor`` may do to ``order`` now (for the buttons)."""
    actions: set[str] = set()
    allowed = set(ORDER_MACHINE.allowed_actions(order.status))
    if permissions.orders.can(actor, permissions.SELL, order):
        actions |= allowed & {"confirm", "decline", "ship"}
    if permissions.orders.can(actor, permissions.BUY, order):
        actions |= allowed & {"cancel", "accept", "reject"}
        if order.status == OrderStatus.ACCEPTED:
            if not hasattr(order, "rating"):
                actions.add("rate")
            if order.payment_request_id is None:
                actions.add("payment_request")
    return actions


def status_counts(*, actor: Actor) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in orders_visible(actor=actor).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def plans_for_checkout(*, actor: Actor) -> list[dict[str, Any]]:
    """The unit's plans in force in the e-mall channel, with their funding lines and what the
    plan still holds reserved on each (for the checkout form)."""
    if not permissions.is_purchaser(actor):
        return []
    rows = []
    plans = plan_selectors.plans_visible(actor=actor).filter(channel=Channel.E_MALL, status__in=IN_FORCE)
    for plan in plans.order_by("-created_at")[:50]:
        fundings = []
        for funding in plan.fundings.all():
            line = budget_selectors.budget_lines_visible(actor=actor).filter(pk=funding.budget_line_id).first()
            fundings.append(
                {
                    "line_id": funding.budget_line_id,
                    "line": line,
                    "outstanding": reservation_outstanding(funding.budget_line_id, plan.ref),
                }
            )
        rows.append({"plan": plan, "fundings": fundings})
    return rows
