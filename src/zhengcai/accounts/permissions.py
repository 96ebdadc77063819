"""Who may see and manage organisations and their members.

- The operator (and the platform itself) sees every organisation, creates organisations
  anywhere, and grants or revokes any membership.
- A regulator sees the organisations in its region subtree (``Region.prefix``).
- An organisation's administrator (``Membership.is_admin``) sees its own organisation and
  manages its members.
- Everyone else sees only the organisation they currently act for.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhengcai.accounts.models import Organisation
from zhengcai.core.actor import Actor
from zhengcai.core.permissions import Policy
from zhengcai.core.roles import Role
from zhengcai.rules.models import Region

# Actions understood by ``OrganisationPolicy.can``.
VIEW = "view"
CREATE = "create"
UPDATE = "update"
DEACTIVATE = "deactivate"
MANAGE_MEMBERS = "manage_members"
CREATE_USER = "create_user"


def is_operator(actor: Actor) -> bool:
    """The operator, or the platform itself (a system actor acting for no organisation).

    A system token acts for its organisation with that organisation's role, so it is an
    operator only if its organisation is the operator.
    """
    return actor.has_role(Role.OPERATOR) or (actor.is_system and actor.organisation_id is None)


def region_prefix(region_code: str) -> str | None:
    """The code prefix of the actor's region subtree, or None if the region is unknown."""
    if not region_code:
        return None
    region = Region.objects.filter(code=region_code).first()
    return region.prefix if region is not None else None


class OrganisationPolicy(Policy[Organisation]):
    def visible(self, actor: Actor, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
        if actor.user_id is None and not actor.is_system:
            return queryset.none()
        if is_operator(actor):
            return queryset
        condition = Q(pk=actor.organisation_id) if actor.organisation_id else Q(pk__in=[])
        if actor.has_role(Role.REGULATOR):
            prefix = region_prefix(actor.region_code)
            if prefix:
                condition |= Q(region__code__startswith=prefix)
        return queryset.filter(condition)

    def can(self, actor: Actor, action: str, obj: Organisation | None = None) -> bool:
        if is_operator(actor):
            return True
        if action == VIEW:
            return obj is not None and self.visible(actor, Organisation.objects.filter(pk=obj.pk)).exists()
        if action in {MANAGE_MEMBERS, CREATE_USER}:
            # An organisation's administrator manages its own members (and may create the
            # accounts of new colleagues to add them).
            if not actor.is_org_admin or actor.organisation_id is None:
                return False
            return action == CREATE_USER or (obj is not None and obj.pk == actor.organisation_id)
        # Creating, renaming and deactivating organisations is the operator's job.
        return False


organisation_policy = OrganisationPolicy()
