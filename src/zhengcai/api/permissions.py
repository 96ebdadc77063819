"""Who may see and manage an organisation's API tokens."""

from __future__ import annotations

from django.db import models

from zhengcai.api.models import ApiToken
from zhengcai.core.actor import Actor
from zhengcai.core.permissions import Policy


class TokenPolicy(Policy[ApiToken]):
    """Members see their organisation's tokens; only its administrators create or revoke.

    A system token never manages tokens, not even its own organisation's: a leaked token
    must not be able to mint successors.
    """

    def visible(self, actor: Actor, queryset: models.QuerySet[ApiToken]) -> models.QuerySet[ApiToken]:
        if actor.organisation_id is None or actor.is_system:
            return queryset.none()
        return queryset.filter(organisation_id=actor.organisation_id)

    def can(self, actor: Actor, action: str, obj: ApiToken | None = None) -> bool:
        if actor.organisation_id is None or actor.is_system or actor.user_id is None:
            return False
        if obj is not None and obj.organisation_id != actor.organisation_id:
            return False
        if action == "view":
            return True
        if action in {"create", "revoke"}:
            return actor.is_org_admin
        return False


token_policy = TokenPolicy()
