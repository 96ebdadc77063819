"""htmx at the edge, in real Chromium: an expired session navigates to the login page, a
domain error lands in #messages, and the header fits at common widths in both languages."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.urls import reverse
from playwright.sync_api import Page, expect

from zhengcai.core.actor import Actor
from zhengcai.core.roles import ROLES_REQUIRING_TOTP, OrgType, Role
from zhengcai.web.tests.browser.test_journeys import demo_user, log_in

pytestmark = pytest.mark.browser

SYSTEM = Actor(user_id=None, username="test-seed", role=Role.OPERATOR, org_type=OrgType.OPERATOR, is_system=True)


def notifications_page_with_one_unread(page: Page) -> None:
    from zhengcai.accounts.models import User
    from zhengcai.notify.services import notification_send
    from zhengcai.notify.tasks import outbox_sweep

    user = demo_user(Role.PURCHASER)
    with transaction.atomic():
        notification_send(
            actor=SYSTEM, recipients=[User.objects.get(username=user.username)], title="采购计划已退回", key="edge:1"
        )
    outbox_sweep()
    log_in(page, user.username, user.password)
    page.goto(reverse("notify:list"))
    expect(page.get_by_test_id("notification-mark-read").first).to_be_visible()


def test_htmx_action_after_the_session_expired_opens_the_login_page(page: Page, demo_data):
    from django.contrib.sessions.models import Session

    notifications_page_with_one_unread(page)
    Session.objects.all().delete()
    page.get_by_test_id("notification-mark-read").first.click()
    page.wait_for_url(f"**{reverse('accounts:login')}**")
    assert "next=%2Fnotifications%2F" in page.url
    expect(page.get_by_test_id("login-form")).to_have_count(1)
    assert not page.js_errors, page.js_errors  # type: ignore[attr-defined]


def test_domain_error_on_an_htmx_action_is_shown_in_the_messages(page: Page, demo_data):
    from zhengcai.notify.models import Notification

    notifications_page_with_one_unread(page)
    shown = page.get_by_test_id("notification").count()  # the demo data brings its own notifications
    Notification.objects.all().delete()  # gone meanwhile: marking it read is a NotFound
    page.get_by_test_id("notification-mark-read").first.click()
    expect(page.locator("#messages .alert-danger[data-error-code=not_found]")).to_be_visible()
    expect(page.get_by_test_id("notification")).to_have_count(shown)  # the list is left as it was
    assert page.url.endswith(reverse("notify:list"))
    assert not page.js_errors, page.js_errors  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("width", [375, 1280, 1440])
def test_the_header_fits(page: Page, demo_data, width: int, language: str):
    """The role with the most navigation entries: nothing sticks out of the viewport."""
    user = demo_user(Role.REGULATOR)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, user.username, user.password, user.totp_secret if Role.REGULATOR in ROLES_REQUIRING_TOTP else "")
    expect(page.get_by_test_id("dashboard-title")).to_be_visible()
    if language == "en":
        page.get_by_test_id("language-en").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    overflow = page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const out = [];
          for (const el of document.querySelectorAll('header.site-header *')) {
            const box = el.getBoundingClientRect();
            if (box.width && (box.right > width + 0.5 || box.left < -0.5)) out.push(el.outerHTML.slice(0, 80));
          }
          return {scroll: document.documentElement.scrollWidth, width, out};
        }"""
    )
    assert overflow["scroll"] <= overflow["width"], overflow
    assert not overflow["out"], overflow
    if width < 1200:
        expect(page.get_by_test_id("nav-main")).not_to_be_visible()  # behind the menu button
        page.get_by_role("button", name=re.compile("Menu|菜单")).click()
        expect(page.get_by_test_id("nav-main")).to_be_visible()


def test_demo_logins_scroll_sideways_on_a_phone(page: Page, demo_data):
    """At 375 px the page itself does not overflow; the demo table scrolls within its card,
    and the TOTP codes are not broken over lines."""
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(reverse("accounts:login"))
    table = page.get_by_test_id("demo-users-table")
    expect(table).to_be_visible()
    sizes = page.evaluate(
        """() => ({page: document.documentElement.scrollWidth, width: document.documentElement.clientWidth})"""
    )
    assert sizes["page"] <= sizes["width"], sizes
    regulator = demo_user(Role.REGULATOR)
    code = page.get_by_test_id(f"demo-code-{regulator.username}")
    code.scroll_into_view_if_needed()
    expect(code).to_be_in_viewport()
    assert code.evaluate("e => e.getClientRects().length") == 1, "the code is on one line"
