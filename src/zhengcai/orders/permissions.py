"""Who sees and moves orders.

- A budget unit's purchasers see their unit's orders; they place, cancel (before the
  supplier confirms), accept or reject and rate them.
- A supplier's staff see the orders to their organisation; they confirm, decline and ship.
- The regulators of a region read the orders of the budget units in their region subtree.
- Everybody else sees nothing (not found).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhengcai.accounts.permissions import region_prefix
from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotFound, NotPermitted
from zhengcai.core.permissions import Policy
from zhengcai.core.roles import OrgType, Role

VIEW = "view"
BUY = "buy"  # place, cancel, accept, reject, rate, request payment
SELL = "sell"  # confirm, decline, ship


def is_purchaser(actor: Actor) -> bool:
    return (
        actor.org_type == OrgType.BUDGET_UNIT and actor.has_role(Role.PURCHASER) and actor.organisation_id is not None
    )


def person_required() -> NotPermitted:
    """The refusal for a budget unit's system token (no person) on the cart or checkout."""
    return NotPermitted(
        _("The cart belongs to a person: use a user session (sign in as a purchaser), not a system token."),
        code="cart_needs_person",
    )


def require_person_purchaser(actor: Actor) -> None:
    """A purchaser who is a person: a unit's system token gets a clear 403, anyone else 404."""
    if not is_purchaser(actor):
        raise NotFound()
    if actor.user_id is None or actor.is_system:
        raise person_required()


def is_supplier(actor: Actor) -> bool:
    return actor.org_type == OrgType.SUPPLIER and actor.has_role(Role.SUPPLIER) and actor.organisation_id is not None


def regulator_prefix(actor: Actor) -> str | None:
    if not actor.has_role(Role.REGULATOR) or actor.org_type != OrgType.REGULATOR:
        return None
    return region_prefix(actor.region_code)


class OrderPolicy(Policy[Any]):
    """For orders (``order_path=""``) and things hanging off an order (``"order__"``)."""

    def __init__(self, order_path: str = "") -> None:
        self.order_path = order_path

    def visible(self, actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
        p = self.order_path
        if is_purchaser(actor):
            return queryset.filter(**{f"{p}buyer_id": actor.organisation_id})
        if is_supplier(actor):
            return queryset.filter(**{f"{p}supplier_id": actor.organisation_id})
        prefix = regulator_prefix(actor)
        if prefix:
            return queryset.filter(**{f"{p}region_code__startswith": prefix})
        return queryset.none()

    def can(self, actor: Actor, action: str, obj: Any | None = None) -> bool:
        order = getattr(obj, "order", obj) if self.order_path else obj
        if is_purchaser(actor):
            own = order is None or order.buyer_id == actor.organisation_id
            return own and action in (VIEW, BUY)
        if is_supplier(actor):
            own = order is None or order.supplier_id == actor.organisation_id
            return own and action in (VIEW, SELL)
        prefix = regulator_prefix(actor)
        if prefix is None:
            return False
        inside = order is None or order.region_code.startswith(prefix)
        return inside and action == VIEW


orders = OrderPolicy("")
