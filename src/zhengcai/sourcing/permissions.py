"""Who may see and do what with inquiries and auctions.

- The budget unit's purchasers see and manage their own unit's events.
- Suppliers that may sell (onboarded, not suspended: ``suppliers.selectors.supplier_may_sell``)
  see every open event, province-wide, and any event they have quoted or bid in. We chose
  "any sellable supplier" over "suppliers with a listed listing in the category": an inquiry
  is exactly the way to buy what the mall's listings do not cover at the right price, and
  limiting it to present listers would shut out the competition it exists for. The supplier
  undertakes to deliver to the stated region when it quotes.
- A regulator sees the events of its region subtree (read only, quotes after the deadline).
- Everyone else sees nothing. Missing and not visible look the same (404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zhengcai.accounts.permissions import region_prefix
from zhengcai.core.actor import Actor
from zhengcai.core.permissions import Policy
from zhengcai.core.roles import OrgType, Role
from zhengcai.sourcing.states import Status
from zhengcai.suppliers import selectors as supplier_selectors

VIEW = "view"
MANAGE = "manage"  # create, cancel, mark quotes, award (the unit's purchasers)
RESPOND = "respond"  # quote or bid (suppliers that may sell)


def is_unit(actor: Actor) -> bool:
    return (
        actor.org_type == OrgType.BUDGET_UNIT and actor.has_role(Role.PURCHASER) and actor.organisation_id is not None
    )


def is_supplier(actor: Actor) -> bool:
    return actor.org_type == OrgType.SUPPLIER and actor.has_role(Role.SUPPLIER) and actor.organisation_id is not None


def may_respond(actor: Actor) -> bool:
    org = actor.organisation_id
    return is_supplier(actor) and org is not None and supplier_selectors.supplier_may_sell(org)


def regulator_prefix(actor: Actor) -> str | None:
    if not actor.has_role(Role.REGULATOR) or actor.org_type != OrgType.REGULATOR:
        return None
    return region_prefix(actor.region_code)


class EventPolicy(Policy[Any]):
    def visible(self, actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if is_unit(actor):
            return queryset.filter(organisation_id=actor.organisation_id)
        if is_supplier(actor):
            mine = Q(quotes__supplier_id=actor.organisation_id) | Q(bids__supplier_id=actor.organisation_id)
            if may_respond(actor):
                mine |= Q(status=Status.OPEN)
            return queryset.filter(mine).distinct()
        prefix = regulator_prefix(actor)
        if prefix:
            return queryset.filter(region_code__startswith=prefix)
        return queryset.none()

    def can(self, actor: Actor, action: str, obj: Any | None = None) -> bool:
        if is_unit(actor):
            return action in (VIEW, MANAGE) and (obj is None or obj.organisation_id == actor.organisation_id)
        if is_supplier(actor):
            return self._supplier_can(actor, action, obj)
        prefix = regulator_prefix(actor)
        return prefix is not None and action == VIEW and (obj is None or obj.region_code.startswith(prefix))

    def _supplier_can(self, actor: Actor, action: str, obj: Any | None) -> bool:
        if action == RESPOND:
            return may_respond(actor)
        if action != VIEW:
            return False
        return obj is None or self.visible(actor, type(obj).objects.filter(pk=obj.pk)).exists()


events = EventPolicy()
