"""Main journeys of each role in real headless Chromium, on the demo data."""

from __future__ import annotations

import re
from collections import Counter

import pyotp
import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from zhengcai.core.roles import ROLES_REQUIRING_TOTP, Role
from zhengcai.web.dashboards import DASHBOARDS

pytestmark = pytest.mark.browser


def demo_users():  # type: ignore[no-untyped-def]
    from zhengcai.web.demo import DEMO_USERS

    return DEMO_USERS


def demo_user(role: str):  # type: ignore[no-untyped-def]
    """The first demo login for ``role``."""
    for user in demo_users():
        if user.role == role:
            return user
    raise AssertionError(f"the demo data has no {role} login")


def dashboard_title(role: str, language: str) -> str:
    with translation.override(language):
        return str(DASHBOARDS[role][0])


def log_in(page: Page, username: str, password: str, totp_secret: str = "") -> None:
    page.goto(reverse("accounts:login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    if totp_secret:
        page.wait_for_url(f"**{reverse('accounts:totp_verify')}**")
        page.fill("input[name=otp_token]", pyotp.TOTP(totp_secret).now())
        page.press("input[name=otp_token]", "Enter")


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_role_journey(page: Page, demo_data, role: str):
    """Log in (with the TOTP step where the role needs it), see the dashboard, switch to English."""
    user = demo_user(role)
    totp = user.totp_secret if role in ROLES_REQUIRING_TOTP else ""
    if role in ROLES_REQUIRING_TOTP:
        assert totp, f"the demo {role} needs a TOTP secret"
    log_in(page, user.username, user.password, totp)

    title = page.get_by_test_id("dashboard-title")
    expect(title).to_have_text(dashboard_title(role, "zh-hans"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("current-org")).not_to_be_empty()

    page.get_by_test_id("language-en").click()
    expect(page.get_by_test_id("dashboard-title")).to_have_text(dashboard_title(role, "en"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.rstrip("/") == demo_data.url.rstrip("/"), "the language switch keeps the page"
    assert not page.js_errors, page.js_errors  # type: ignore[attr-defined]


def test_totp_is_required_for_regulators(page: Page, demo_data):
    user = demo_user(Role.REGULATOR)
    log_in(page, user.username, user.password)
    page.wait_for_url(f"**{reverse('accounts:totp_verify')}**")
    page.goto(reverse("web:home"))
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:totp_verify"))))
    expect(page.get_by_test_id("dashboard-title")).to_have_count(0)


def test_wrong_password_shows_an_error(page: Page, demo_data):
    user = demo_user(Role.PURCHASER)
    log_in(page, user.username, user.password + "-wrong")
    expect(page.locator("form .alert-danger, form .errorlist, form [role=alert], .alert-danger").first).to_be_visible()
    assert reverse("accounts:login") in page.url
    expect(page.get_by_test_id("dashboard-title")).to_have_count(0)


def test_switch_organisation(page: Page, demo_data):
    """A person who belongs to two organisations switches between them from the header."""
    from zhengcai.accounts.models import User
    from zhengcai.accounts.selectors import memberships_for_user

    twice = [name for name, n in Counter(u.username for u in demo_users()).items() if n > 1]
    candidates = twice or [u.username for u in demo_users()]
    username = next(name for name in candidates if len(memberships_for_user(User.objects.get(username=name))) > 1)
    user = next(u for u in demo_users() if u.username == username)
    memberships = memberships_for_user(User.objects.get(username=username))
    totp = user.totp_secret if any(m.role in ROLES_REQUIRING_TOTP for m in memberships) else ""
    log_in(page, user.username, user.password, totp)

    current = page.get_by_test_id("current-org")
    expect(page.get_by_test_id("dashboard-title")).to_be_visible()
    before = current.inner_text().strip()
    other = next(m for m in memberships if m.organisation.name != before)

    page.get_by_test_id("user-menu").click()
    page.locator(f"form[action='{reverse('accounts:switch')}']").filter(
        has=page.locator(f"input[name=membership_id][value='{other.pk}']")
    ).locator("button[type=submit]").click()
    expect(page.get_by_test_id("current-org")).to_have_text(other.organisation.name)
    expect(page.get_by_test_id("dashboard-title")).to_have_text(dashboard_title(other.role, "zh-hans"))


def test_anonymous_visitor_can_switch_the_login_page_to_english(page: Page, demo_data):
    page.goto(reverse("accounts:login"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.get_by_test_id("language-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert reverse("accounts:login") in page.url


def test_error_page_in_the_browser(page: Page, demo_data):
    response = page.goto("/no-such-page/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_test_id("error-page")).to_be_visible()
