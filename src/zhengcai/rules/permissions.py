"""Who may read and manage rule sets, the calendar and regions.

Operators manage all three; regulators read rule sets; everyone logged in reads the
calendar (deadlines are computed from it). The platform itself (``core.actor.SYSTEM``:
seed, worker) may do everything. A system token acts with its organisation's role, so a
budget unit's token is no operator.
"""

from __future__ import annotations

from django.db import models

from zhengcai.core.actor import Actor
from zhengcai.core.permissions import Policy
from zhengcai.core.roles import Role
from zhengcai.rules.models import CalendarOverride, Region, RuleSet

VIEW = "view"
MANAGE = "manage"


def _is_operator(actor: Actor) -> bool:
    platform_itself = actor.is_system and not actor.role
    return platform_itself or actor.has_role(Role.OPERATOR)


def _is_logged_in(actor: Actor) -> bool:
    return actor.is_system or actor.user_id is not None


class RuleSetPolicy(Policy[RuleSet]):
    def visible(self, actor: Actor, queryset: models.QuerySet[RuleSet]) -> models.QuerySet[RuleSet]:
        if self.can(actor, VIEW):
            return queryset
        return queryset.none()

    def can(self, actor: Actor, action: str, obj: RuleSet | None = None) -> bool:
        if action == VIEW:
            return _is_operator(actor) or actor.has_role(Role.REGULATOR)
        if action == MANAGE:
            return _is_operator(actor)
        return False


class CalendarPolicy(Policy[CalendarOverride]):
    def visible(self, actor: Actor, queryset: models.QuerySet[CalendarOverride]) -> models.QuerySet[CalendarOverride]:
        if self.can(actor, VIEW):
            return queryset
        return queryset.none()

    def can(self, actor: Actor, action: str, obj: CalendarOverride | None = None) -> bool:
        if action == VIEW:
            return _is_logged_in(actor)
        if action == MANAGE:
            return _is_operator(actor)
        return False


class RegionPolicy(Policy[Region]):
    """Regions are public reference data (addresses, notices); only operators change them."""

    def visible(self, actor: Actor, queryset: models.QuerySet[Region]) -> models.QuerySet[Region]:
        return queryset

    def can(self, actor: Actor, action: str, obj: Region | None = None) -> bool:
        if action == VIEW:
            return True
        if action == MANAGE:
            return _is_operator(actor)
        return False


rulesets = RuleSetPolicy()
calendar = CalendarPolicy()
regions = RegionPolicy()
