"""JSON shapes of the notifications API (input and output kept apart)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    organisation_id: int | None
    created_at: dt.datetime
    read_at: dt.datetime | None
    is_read: bool


class NotificationPageOut(Schema):
    count: int
    items: list[NotificationOut]


class UnreadCountOut(Schema):
    unread: int


class MarkAllReadOut(Schema):
    marked: int
