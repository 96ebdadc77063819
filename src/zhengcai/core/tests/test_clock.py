"""The injectable clock."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.utils import timezone

from zhengcai.core import clock
from zhengcai.core.clock import FrozenClock, set_process_clock, use_clock

SHANGHAI = timezone.get_fixed_timezone(8 * 60)


def test_system_clock_is_aware_and_current() -> None:
    before = timezone.now()
    now = clock.now()
    assert timezone.is_aware(now)
    assert before <= now <= timezone.now()


def test_frozen_clock_stands_still_until_moved() -> None:
    at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
    frozen = FrozenClock(at)
    with use_clock(frozen):
        assert clock.now() == at
        assert clock.now() == at
        frozen.advance(dt.timedelta(hours=2))
        assert clock.now() == at + dt.timedelta(hours=2)
        frozen.set(at + dt.timedelta(days=1))
        assert clock.today() == dt.date(2026, 3, 3)
    assert clock.now() != at + dt.timedelta(days=1)


def test_today_is_the_date_in_shanghai() -> None:
    # 16:30 UTC on 1 March is already 2 March in Shanghai.
    with use_clock(FrozenClock(dt.datetime(2026, 3, 1, 16, 30, tzinfo=dt.UTC))):
        assert clock.today() == dt.date(2026, 3, 2)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        FrozenClock(dt.datetime(2026, 3, 2, 9, 0))  # noqa: DTZ001
    frozen = FrozenClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    with pytest.raises(ValueError, match="aware"):
        frozen.set(dt.datetime(2026, 3, 2, 9, 0))  # noqa: DTZ001


def test_use_clock_nests_and_restores() -> None:
    outer = FrozenClock(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    inner = FrozenClock(dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    with use_clock(outer):
        with use_clock(inner):
            assert clock.now().year == 2027
        assert clock.now().year == 2026


def test_process_clock_reaches_other_threads() -> None:
    frozen = FrozenClock(dt.datetime(2030, 6, 1, tzinfo=dt.UTC))
    seen: list[dt.datetime] = []
    set_process_clock(frozen)
    try:
        thread = threading.Thread(target=lambda: seen.append(clock.now()))
        thread.start()
        thread.join()
    finally:
        set_process_clock(None)
    assert seen == [frozen.now()]
    assert clock.now().year != 2030


def test_frozen_clock_fixture(frozen_clock: FrozenClock) -> None:
    assert clock.today() == dt.date(2026, 3, 2)
    assert clock.now() == frozen_clock.now()
