"""Who may see and move budget money.

- A budget unit's purchasers (people or the unit's system token) see and use the unit's
  own lines (reserve, commit, accept, request payments); they never load or adjust them,
  so a unit cannot set its own budget. Payment approval needs the unit's organisation
  administrator, and not the person who asked for the payment.
- The regulator (finance bureau) of a region reads the lines and payments of every unit in
  its region subtree. The unit's own finance bureau (the regulator organisation nearest to
  the unit up its region chain: the county's, else the city's, ...) loads the unit's lines
  and adjusts them: its people through the import page and the adjustment form, its system
  token through the API.
- Everybody else sees nothing: "not found", the same as a line that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhengcai.accounts.models import Organisation
from zhengcai.accounts.permissions import region_prefix
from zhengcai.core.actor import Actor
from zhengcai.core.permissions import Policy
from zhengcai.core.roles import OrgType, Role
from zhengcai.rules.models import Region

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


def finance_bureaus_for(region_code: str) -> set[int]:
    """Ids of the regulator organisations that budget a unit in ``region_code``: those of the
    nearest region, walking up from the unit's own, that has an active regulator."""
    region = Region.objects.filter(code=region_code).first()
    for node in region.ancestors() if region else []:
        ids = set(
            Organisation.objects.filter(org_type=OrgType.REGULATOR, region=node, is_active=True).values_list(
                "pk", flat=True
            )
        )
        if ids:
            return ids
    return set()


def _is_bureau_of(actor: Actor, region_code: str) -> bool:
    return _regulator_prefix(actor) is not None and actor.organisation_id in finance_bureaus_for(region_code)


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
            if action in (VIEW, MANAGE):
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
            # Without an object: whether the actor loads lines at all (shows the import button).
            return inside if obj is None else inside and _is_bureau_of(actor, region_code)
        return False

    def can_see_unit(self, actor: Actor, *, unit_id: int, unit_region_code: str) -> bool:
        """Whether the budget unit is the actor's own or inside its regulator's region."""
        if _is_unit(actor):
            return unit_id == actor.organisation_id
        prefix = _regulator_prefix(actor)
        return bool(prefix) and unit_region_code.startswith(prefix or "")

    def can_load_for(self, actor: Actor, *, unit_id: int, unit_region_code: str) -> bool:
        """Whether ``actor`` may create lines for the budget unit ``unit_id``: only the unit's
        own finance bureau (its people or its system token)."""
        return self.can_see_unit(actor, unit_id=unit_id, unit_region_code=unit_region_code) and _is_bureau_of(
            actor, unit_region_code
        )


lines = BudgetPolicy("budget_unit")
commitments = BudgetPolicy("line__budget_unit")
payments = BudgetPolicy("commitment__line__budget_unit")
