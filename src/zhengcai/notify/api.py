"""Notifications API, mounted at /api/v1/notifications/: the caller's own notifications only."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from zhengcai.notify import selectors, services
from zhengcai.notify.schemas import MarkAllReadOut, NotificationOut, NotificationPageOut, UnreadCountOut

router = Router(tags=["notifications"])

MAX_LIMIT = 200


class ListFilters(Schema):
    unread: bool = False
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


@router.get("/", response=NotificationPageOut, summary="List my notifications (unread first)")
def list_notifications(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, object]:
    qs = selectors.notification_list(actor=request.actor, unread_only=filters.unread)  # type: ignore[attr-defined]
    return {"count": qs.count(), "items": list(qs[filters.offset : filters.offset + filters.limit])}


@router.get("/unread-count", response=UnreadCountOut, summary="Count my unread notifications")
def unread_count(request: HttpRequest) -> dict[str, int]:
    return {"unread": selectors.notification_unread_count(actor=request.actor)}  # type: ignore[attr-defined]


@router.post("/read-all", response=MarkAllReadOut, summary="Mark all my notifications as read")
def mark_all_read(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.notification_mark_all_read(actor=request.actor)}  # type: ignore[attr-defined]


@router.post("/{notification_id}/read", response=NotificationOut, summary="Mark one of my notifications as read")
def mark_read(request: HttpRequest, notification_id: int) -> object:
    return services.notification_mark_read(actor=request.actor, notification_id=notification_id)  # type: ignore[attr-defined]
