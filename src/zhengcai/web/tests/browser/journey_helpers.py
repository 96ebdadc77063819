"""Helpers for journeys where two parties take turns (purchaser and supplier, supplier and operator).

Each party stays logged in in a browser context of its own, as two people at two desks
would be, and learns of the other's step the way a user does: from a notification.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from playwright.sync_api import Page, expect

from zhengcai.web.tests.browser.conftest import SCREENSHOTS, TIMEOUT_MS


@contextmanager
def second_page(browser: Any, live_server: Any, name: str) -> Iterator[Page]:
    """A fresh browser context beside the test's ``page``, set up like the ``page`` fixture
    (a Chinese browser in Shanghai time); on failure its page is kept in var/screenshots/."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" and "Content Security Policy" in msg.text else None,
    )
    page.js_errors = errors  # type: ignore[attr-defined]
    try:
        yield page
    except BaseException:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"), full_page=True)
        raise
    finally:
        context.close()


def open_notification(page: Page, *texts: str) -> None:
    """From the header's bell, open the one notification that says all of ``texts``."""
    page.get_by_test_id("notify-bell").click()
    notification = page.get_by_test_id("notification")
    for text in texts:
        notification = notification.filter(has_text=text)
    expect(notification).to_have_count(1)
    notification.get_by_test_id("notification-open").click()
