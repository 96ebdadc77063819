"""Reads of API tokens, visibility built in."""

from __future__ import annotations

from django.db import models

from zhengcai.api.models import ApiToken
from zhengcai.api.permissions import token_policy
from zhengcai.core.actor import Actor


def token_list(*, actor: Actor, include_revoked: bool = True) -> models.QuerySet[ApiToken]:
    """The tokens of the actor's current organisation, newest first."""
    qs = token_policy.visible(actor, ApiToken.objects.all())
    if not include_revoked:
        qs = qs.filter(revoked_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def token_get(*, actor: Actor, token_id: int) -> ApiToken:
    """One token of the actor's organisation; ``NotFound`` if missing or another's."""
    return token_policy.get_visible(actor, ApiToken.objects.all(), pk=token_id)


def token_can_manage(*, actor: Actor) -> bool:
    return token_policy.can(actor, "create")
