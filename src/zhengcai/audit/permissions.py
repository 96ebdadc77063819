"""Who may read the audit trail: regulators, for events inside their region and for
platform-wide events (region code ""): national rule sets, the working calendar, people
who belong to no organisation. Those concern every region, so every regulator sees them.

Operators keep the platform running but may not read everything, so they see nothing
here; every other role gets the same "not found" as for a page that does not exist.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhengcai.audit.models import AuditEvent
from zhengcai.core.actor import Actor
from zhengcai.core.permissions import Policy
from zhengcai.core.roles import Role

# What a regulator may do with the trail.
VIEW = "view"
EXPORT = "export"
VERIFY = "verify"
ACTIONS = frozenset({VIEW, EXPORT, VERIFY})


def region_prefix(code: str) -> str:
    """The code prefix shared by a region and everything under it.

    Same rule as ``rules.models.Region.prefix`` (which audit, a lower layer, may not
    import), read off the 6-digit division code: a province ends in ``0000``, a city in
    ``00``, anything else is a county and matches only itself.
    """
    if len(code) == 6 and code.endswith("0000"):
        return code[:2]
    if len(code) == 6 and code.endswith("00"):
        return code[:4]
    return code


class AuditPolicy(Policy[AuditEvent]):
    def _prefix(self, actor: Actor) -> str | None:
        if not actor.has_role(Role.REGULATOR) or not actor.region_code:
            return None
        return region_prefix(actor.region_code)

    def visible(self, actor: Actor, queryset: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        prefix = self._prefix(actor)
        if prefix is None:
            return queryset.none()
        return queryset.filter(Q(region_code__startswith=prefix) | Q(region_code=""))

    def can(self, actor: Actor, action: str, obj: AuditEvent | None = None) -> bool:
        prefix = self._prefix(actor)
        if prefix is None or action not in ACTIONS:
            return False
        return obj is None or obj.region_code == "" or obj.region_code.startswith(prefix)


policy = AuditPolicy()
