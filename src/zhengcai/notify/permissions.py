"""Who may see and change notifications: only the person they are addressed to."""

from __future__ import annotations

from django.db import models

from zhengcai.core.actor import Actor
from zhengcai.core.permissions import Policy
from zhengcai.notify.models import Notification


class NotificationPolicy(Policy[Notification]):
    """A notification belongs to a person, whichever organisation they act for right now.

    System actors (tokens, the worker) have no inbox and see none.
    """

    def visible(self, actor: Actor, queryset: models.QuerySet[Notification]) -> models.QuerySet[Notification]:
        if actor.user_id is None:
            return queryset.none()
        return queryset.filter(recipient_id=actor.user_id)

    def can(self, actor: Actor, action: str, obj: Notification | None = None) -> bool:
        if action not in {"view", "mark_read"} or actor.user_id is None:
            return False
        return obj is None or obj.recipient_id == actor.user_id


notification_policy = NotificationPolicy()
