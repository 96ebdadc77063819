"""Who may see and do what with categories and listings.

- Everyone logged in reads the category tree and listed listings (the shop).
- A supplier's staff see and manage their own organisation's listings in every status.
- Operators see every listing, keep the category tree and banned words, review and delist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhengcai.core.actor import Actor
from zhengcai.core.permissions import Policy
from zhengcai.core.roles import OrgType, Role
from zhengcai.listings.states import ListingStatus

VIEW = "view"
MANAGE = "manage"  # supplier: create, edit, submit, price, stock, delist, relist
REVIEW = "review"  # operator: review decisions, delist with a reason


def is_supplier(actor: Actor) -> bool:
    return actor.org_type == OrgType.SUPPLIER and actor.has_role(Role.SUPPLIER) and actor.organisation_id is not None


def is_operator(actor: Actor) -> bool:
    return actor.org_type == OrgType.OPERATOR and actor.has_role(Role.OPERATOR)


class ListingPolicy(Policy[Any]):
    def visible(self, actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if is_operator(actor):
            return queryset
        if is_supplier(actor):
            return queryset.filter(supplier_id=actor.organisation_id)
        return queryset.none()

    def can(self, actor: Actor, action: str, obj: Any | None = None) -> bool:
        if is_operator(actor):
            return action in (VIEW, REVIEW)
        if is_supplier(actor):
            own = obj is None or obj.supplier_id == actor.organisation_id
            return own and action in (VIEW, MANAGE)
        return action == VIEW and obj is not None and obj.status == ListingStatus.LISTED


listings = ListingPolicy()
