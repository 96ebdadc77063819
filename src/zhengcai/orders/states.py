"""Order statuses, the order state machine and the sources an order comes from."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengcai.budgets.states import LabelledMachine
from zhengcai.core.states import Transition


class OrderStatus(models.TextChoices):
    PLACED = "placed", pgettext_lazy("order", "Placed")
    CONFIRMED = "confirmed", pgettext_lazy("order", "Confirmed")
    DECLINED = "declined", pgettext_lazy("order", "Declined")
    CANCELLED = "cancelled", pgettext_lazy("order", "Cancelled")
    SHIPPED = "shipped", pgettext_lazy("order", "Shipped")
    REJECTED = "rejected", pgettext_lazy("order", "Rejected at acceptance")
    ACCEPTED = "accepted", pgettext_lazy("order", "Accepted")


S = OrderStatus

ORDER_MACHINE = LabelledMachine(
    Transition("confirm", {S.PLACED}, S.CONFIRMED),
    Transition("decline", {S.PLACED}, S.DECLINED),
    Transition("cancel", {S.PLACED}, S.CANCELLED),
    # The supplier ships after confirming, ships the rest after a partial shipment (while
    # something is still to ship: ``lifecycle.order_ship`` checks), and ships again after a
    # rejection at acceptance.
    Transition("ship", {S.CONFIRMED, S.SHIPPED, S.REJECTED}, S.SHIPPED),
    Transition("reject", {S.SHIPPED}, S.REJECTED),
    Transition("accept", {S.SHIPPED}, S.ACCEPTED),
    labels={
        "confirm": _("confirm the order"),
        "decline": _("decline the order"),
        "cancel": _("cancel the order"),
        "ship": _("ship the order"),
        "reject": _("reject the delivery"),
        "accept": _("accept the delivery"),
    },
)

# Orders in these statuses hold stock and committed budget.
OPEN = frozenset({S.PLACED, S.CONFIRMED, S.SHIPPED, S.REJECTED})
# Orders that ended without a purchase.
ENDED_UNSOLD = frozenset({S.DECLINED, S.CANCELLED})


class OrderSource(models.TextChoices):
    DIRECT = "direct", _("Direct purchase")
    INQUIRY = "inquiry", _("Online inquiry")
    REVERSE_AUCTION = "reverse_auction", _("Reverse auction")
