"""Fixtures shared by every app's tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from zhengcai.core.clock import FrozenClock, set_process_clock, use_clock


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Factories hash a password per user; PBKDF2's deliberate slowness buys nothing in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _small_mall_demo(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The e-mall demo generates 10,000 listings and builds a search index: in tests, a few
    dozen listings, and the index in a temporary directory instead of var/search."""
    settings.ZHENGCAI_DEMO_LISTINGS = 40
    settings.SEARCH_INDEX_DIR = tmp_path_factory.mktemp("search")


@pytest.fixture
def frozen_clock() -> Iterator[FrozenClock]:
    """A clock frozen at 2026-03-02 09:00 Asia/Shanghai (a Monday and a working day)."""
    at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_fixed_timezone(8 * 60))
    clock = FrozenClock(at)
    set_process_clock(clock)
    with use_clock(clock):
        yield clock
    set_process_clock(None)
