"""Who may see and move budget money.

- A budget unit's purchasers (people or the unit's system token) see and manage the unit's
  own lines, commitments and payment requests; payment approval needs the unit's
  organisation administrator, and not the person who asked for the payment.
- The regulator (finance bureau) of a region reads the lines and payments of every unit in
  its region subtree; its system token may load lines (import / API) and adjust them.
- Everybody else sees nothing: "not found", the same as a line that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhengcai.accounts.permissions import region_prefix
from zhengcai.core.actor import Actor
from zhengcai.core.permissions import Policy
from zhengcai.core.roles import OrgType, Role

VIEW = "view"
MANAGE = "manage"  # reserve, release, commit, payment requests
LOAD = "load"  # create lines (import, API) and adjust them
APPROVE = "approve"  # approve, reject and record payments


def _is_unit(actor: Actor) -> bool:
    return (
        actor.org_type == OrgType.BUDGET_UNIT and actor.has_role(Role.PURCHASER) and actor.organisation_id is not None
    )


def _regulator_prefix(actor: Actor) -> str | None:
    if not actor.has_role(Role.REGULATOR) or actor.org_type != OrgType.REGULATOR or not actor.region_code:
        return None
    return region_prefix(actor.region_code)


def _unit_region(obj: Any) -> tuple[int, str]:
    """(budget unit id, region code) of a line, a commitment or a payment request."""
    line = getattr(obj, "line", None) or getattr(getattr(obj, "commitment", None), "line", None) or obj
    return line.budget_unit_id, line.budget_unit.region.code


class BudgetPolicy(Policy[Any]):
    """One policy for lines and everything hanging off them; ``unit_path`` is the lookup to the unit."""

    def __init__(self, unit_path: str = "budget_unit") -> None:
        self.unit_path = unit_path

    def visible(self, actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if _is_unit(actor):
            return queryset.filter(**{f"{self.unit_path}_id": actor.organisation_id})
        prefix = _regulator_prefix(actor)
        if prefix:
            return queryset.filter(**{f"{self.unit_path}__region__code__startswith": prefix})
        return queryset.none()

    def can(self, actor: Actor, action: str, obj: Any | None = None) -> bool:  # noqa: PLR0911 - one branch per role
        unit_id, region_code = _unit_region(obj) if obj is not None else (None, "")
        if _is_unit(actor):
            own = obj is None or unit_id == actor.organisation_id
            if action in (VIEW, MANAGE, LOAD):
                return own
            if action == APPROVE:
                return own and actor.is_org_admin and not actor.is_system
            return False
        prefix = _regulator_prefix(actor)
        if prefix is None:
            return False
        inside = obj is None or region_code.startswith(prefix)
        if action == VIEW:
            return inside
        if action == LOAD:
            return inside and actor.is_system
        return False

    def can_load_for(self, actor: Actor, *, unit_id: int, unit_region_code: str) -> bool:
        """Whether ``actor`` may create lines for the budget unit ``unit_id``."""
        if _is_unit(actor):
            return unit_id == actor.organisation_id
        prefix = _regulator_prefix(actor)
        return bool(prefix) and actor.is_system and unit_region_code.startswith(prefix or "")


lines = BudgetPolicy("budget_unit")
commitments = BudgetPolicy("line__budget_unit")
payments = BudgetPolicy("commitment__line__budget_unit")
