"""anchor_sweep: one published head per finished day with events, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhengcai.audit.models import AuditAnchor, AuditEvent
from zhengcai.audit.tasks import anchor_sweep
from zhengcai.audit.tests.helpers import append
from zhengcai.audit.verify import verify_chain

pytestmark = pytest.mark.django_db

CST = timezone.get_fixed_timezone(8 * 60)


def at(day: int, hour: int, minute: int = 0, second: int = 0, micro: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, second, micro, tzinfo=CST)


def test_publishes_each_finished_day_once(frozen_clock):
    frozen_clock.set(at(2, 9))
    append(1)
    frozen_clock.set(at(2, 23, 59, 59, 999999))
    append(1)  # seq 2: still 2 March
    frozen_clock.set(at(3, 0))
    append(1)  # seq 3: exactly midnight belongs to 3 March
    # no events on 4 March
    frozen_clock.set(at(5, 10))
    append(1)  # seq 4
    frozen_clock.set(at(5, 15))

    assert anchor_sweep() == 2
    anchors = {a.day: (a.seq, a.hash) for a in AuditAnchor.objects.all()}
    assert anchors == {
        dt.date(2026, 3, 2): (2, AuditEvent.objects.get(seq=2).hash),
        dt.date(2026, 3, 3): (3, AuditEvent.objects.get(seq=3).hash),
    }
    assert AuditAnchor.objects.get(day=dt.date(2026, 3, 2)).published_at == at(5, 15)

    assert anchor_sweep() == 0  # idempotent, and today (5 March) is not over
    assert AuditAnchor.objects.count() == 2

    frozen_clock.set(at(6, 0, 0, 1))
    append(1)  # seq 5 on 6 March: not part of 5 March's head
    assert anchor_sweep() == 1
    assert AuditAnchor.objects.get(day=dt.date(2026, 3, 5)).seq == 4
    assert anchor_sweep() == 0

    result = verify_chain()
    assert result.ok
    assert result.anchors_checked == 3


def test_nothing_to_publish_without_events(frozen_clock):
    assert anchor_sweep() == 0
    frozen_clock.set(at(2, 10))
    append(2)
    assert anchor_sweep() == 0  # the day is not over yet
    assert not AuditAnchor.objects.exists()
