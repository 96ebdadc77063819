"""Who may see and do what with plans and method-change requests.

- The budget unit's purchasers see and manage their own unit's plans.
- A regulator sees the plans and change requests of its region subtree and decides the
  change requests there; it never edits a plan.
- Operators, agencies, suppliers and banks see no plans (the public sees published
  intentions through their own selector).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhengcai.accounts.permissions import region_prefix
from zhengcai.core.actor import Actor
from zhengcai.core.permissions import Policy
from zhengcai.core.roles import OrgType, Role

VIEW = "view"
MANAGE = "manage"  # create, edit, file, cancel, publish intentions, execute
DECIDE = "decide"  # decide method-change requests


def is_unit(actor: Actor) -> bool:
    return (
        actor.org_type == OrgType.BUDGET_UNIT and actor.has_role(Role.PURCHASER) and actor.organisation_id is not None
    )


def regulator_prefix(actor: Actor) -> str | None:
    if not actor.has_role(Role.REGULATOR) or actor.org_type != OrgType.REGULATOR:
        return None
    return region_prefix(actor.region_code)


class PlanPolicy(Policy[Any]):
    """For plans (``plan_path=""``) and things hanging off a plan (``plan_path="plan__"``)."""

    def __init__(self, plan_path: str = "") -> None:
        self.plan_path = plan_path

    def _plan(self, obj: Any) -> Any:
        return obj.plan if self.plan_path else obj

    def visible(self, actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if is_unit(actor):
            return queryset.filter(**{f"{self.plan_path}organisation_id": actor.organisation_id})
        prefix = regulator_prefix(actor)
        if prefix:
            return queryset.filter(**{f"{self.plan_path}region_code__startswith": prefix})
        return queryset.none()

    def can(self, actor: Actor, action: str, obj: Any | None = None) -> bool:
        plan = self._plan(obj) if obj is not None else None
        if is_unit(actor):
            own = plan is None or plan.organisation_id == actor.organisation_id
            return own and action in (VIEW, MANAGE)
        prefix = regulator_prefix(actor)
        if prefix is None:
            return False
        inside = plan is None or plan.region_code.startswith(prefix)
        return inside and action in (VIEW, DECIDE)


plans = PlanPolicy("")
changes = PlanPolicy("plan__")
