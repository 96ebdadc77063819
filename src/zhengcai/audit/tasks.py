"""Background work for the audit trail: publishing the daily head hash."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings

from zhengcai.audit.models import AuditAnchor, AuditEvent
from zhengcai.core import clock


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the platform's time zone (Asia/Shanghai)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=_zone())


def anchor_sweep() -> int:
    """Publish the head as of the end of every finished day that has events; idempotent.

    Starts after the last published day (or at the first event), jumps from one day with
    events to the next, and stops before today: a day is published only once it is over, so
    its anchor never changes. Each anchor names the last event that occurred before that
    day's midnight. Returns how many anchors it published. Not itself audited: an anchor is
    a copy of what the chain already holds, checked by ``verify_chain``.
    """
    today = clock.today()
    zone = _zone()
    published = 0
    last = AuditAnchor.objects.order_by("-day").values_list("day", flat=True).first()
    start = day_start(last + dt.timedelta(days=1)) if last is not None else None
    while True:
        upcoming = AuditEvent.objects.order_by("occurred_at", "seq")
        if start is not None:
            upcoming = upcoming.filter(occurred_at__gte=start)
        next_time = upcoming.values_list("occurred_at", flat=True).first()
        if next_time is None:
            break
        day = next_time.astimezone(zone).date()
        if day >= today:
            break
        end = day_start(day + dt.timedelta(days=1))
        last_event = (
            AuditEvent.objects.filter(occurred_at__lt=end)
            .order_by("-occurred_at", "-seq")
            .values("seq", "hash")
            .first()
        )
        assert last_event is not None
        # get_or_create: two workers sweeping at once publish the day once (unique day).
        _anchor, created = AuditAnchor.objects.get_or_create(
            day=day,
            defaults={"seq": last_event["seq"], "hash": last_event["hash"], "published_at": clock.now()},
        )
        published += int(created)
        start = end
    return published
