"""Background work for orders: the sweeper that cancels orders the supplier did not confirm."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import DomainError
from zhengcai.orders.lifecycle import order_cancel
from zhengcai.orders.models import Order
from zhengcai.orders.states import OrderStatus

logger = logging.getLogger(__name__)

SWEEPER = Actor(user_id=None, username="orders-sweeper", is_system=True)


def order_confirm_sweep() -> int:
    """Cancel every placed order whose confirmation deadline (the rule set's
    ``mall_order_confirm_due`` working days) has passed: stock and budget are released and
    both sides notified. Idempotent; returns how many orders were cancelled."""
    due = list(
        Order.objects.filter(status=OrderStatus.PLACED, confirm_due_at__lt=clock.now())
        .order_by("confirm_due_at", "pk")
        .values_list("pk", flat=True)[:500]
    )
    cancelled = 0
    for order_id in due:
        try:
            order_cancel(
                actor=SWEEPER, order_id=order_id, reason=_("Not confirmed by the supplier in time (automatic).")
            )
        except DomainError:  # confirmed or cancelled meanwhile
            continue
        cancelled += 1
    if cancelled:
        logger.info("Order sweep cancelled %d unconfirmed order(s)", cancelled)
    return cancelled
