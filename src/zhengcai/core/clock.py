"""Time is a service: every "now" and "today" in the platform comes from here.

Production uses the system clock. Tests (and demos) swap in a ``FrozenClock`` with
``use_clock(...)``; it is held in a context variable so threads and requests in a test see
the same time. Never call ``timezone.now()`` or ``date.today()`` in domain code.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from django.utils import timezone


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    def now(self) -> dt.datetime:
        return timezone.now()


class FrozenClock:
    """A clock that stands still until moved; aware datetimes only."""

    def __init__(self, at: dt.datetime) -> None:
        if timezone.is_naive(at):
            raise ValueError("FrozenClock needs an aware datetime")
        self._at = at

    def now(self) -> dt.datetime:
        return self._at

    def set(self, at: dt.datetime) -> None:
        if timezone.is_naive(at):
            raise ValueError("FrozenClock needs an aware datetime")
        self._at = at

    def advance(self, delta: dt.timedelta) -> None:
        self._at = self._at + delta


_SYSTEM = SystemClock()
# The process-wide override (set by tests that span threads, e.g. a live server) and the
# per-context one (set by use_clock).
_process_clock: Clock | None = None
_current: contextvars.ContextVar[Clock | None] = contextvars.ContextVar("zhengcai_clock", default=None)


def get_clock() -> Clock:
    return _current.get() or _process_clock or _SYSTEM


def now() -> dt.datetime:
    """The current instant, timezone-aware (UTC)."""
    return get_clock().now()


def today() -> dt.date:
    """Today's date in the platform's time zone (Asia/Shanghai)."""
    return timezone.localtime(now()).date()


@contextmanager
def use_clock(clock: Clock) -> Iterator[Clock]:
    token = _current.set(clock)
    try:
        yield clock
    finally:
        _current.reset(token)


def set_process_clock(clock: Clock | None) -> None:
    """Override the clock for every thread (tests with a live server); None restores."""
    global _process_clock  # noqa: PLW0603 - one deliberate process-wide switch for tests
    _process_clock = clock
