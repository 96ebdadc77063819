"""Reads for notifications, with visibility built in."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from zhengcai.core.actor import Actor
from zhengcai.notify.models import Notification
from zhengcai.notify.permissions import notification_policy


def notification_list(*, actor: Actor, unread_only: bool = False) -> QuerySet[Notification]:
    """The actor's own notifications: unread first, newest first within each group."""
    qs = notification_policy.visible(actor, Notification.objects.all())
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    unread_rank = Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    return qs.annotate(unread_rank=unread_rank).order_by("unread_rank", "-created_at", "-pk")


def notification_unread_count(*, actor: Actor) -> int:
    return notification_policy.visible(actor, Notification.objects.all()).filter(read_at__isnull=True).count()


def notification_get(*, actor: Actor, notification_id: int) -> Notification:
    """One of the actor's notifications; someone else's raises the same ``NotFound`` as a missing one."""
    return notification_policy.get_visible(actor, Notification.objects.all(), pk=notification_id)
