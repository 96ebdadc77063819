"""The edge for htmx and odd statuses: errors shown in #messages, login redirects as full
navigations, translated 405 pages, and the favicon."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import translation

from zhengcai.core.roles import Role

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def htmx_from(page: str) -> dict[str, str]:
    return {**HTMX, "HX-Current-URL": f"http://testserver{page}"}


def next_of(url: str) -> list[str]:
    return parse_qs(urlsplit(url).query).get("next", [])


class TestHtmxConfig:
    def test_4xx_fragments_are_swapped_and_5xx_are_not(self, client_for):
        html = client_for(Role.PURCHASER).get(reverse("web:home")).content.decode()
        match = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html)
        assert match, "base.html configures htmx in a meta tag (no inline script under the CSP)"
        config = json.loads(match.group(1))
        rules = config["responseHandling"]

        def rule_for(status: int) -> dict[str, object]:
            return next(r for r in rules if re.search(r["code"], str(status)))

        assert rule_for(204)["swap"] is False
        assert rule_for(200)["swap"] is True
        for status in (400, 403, 404, 405, 409, 422):
            assert rule_for(status)["swap"] is True, status
        assert rule_for(500)["swap"] is False
        assert rule_for(500)["error"] is True
        assert config["allowEval"] is False


class TestHtmxErrors:
    def test_domain_error_fragment_targets_the_messages(self, client_for):
        client = client_for(Role.PURCHASER)
        response = client.post(reverse("notify:mark_read", args=[999999]), headers=HTMX)
        assert response.status_code == 404
        assert response["HX-Retarget"] == "#messages"
        assert response["HX-Reswap"] == "innerHTML"
        html = response.content.decode()
        assert 'data-error-code="not_found"' in html
        assert "<html" not in html

    def test_a_whole_error_page_becomes_a_fragment_for_htmx(self, client_for):
        response = client_for(Role.PURCHASER).get("/no-such-page/", headers=HTMX)
        assert response.status_code == 404
        assert response["HX-Retarget"] == "#messages"
        html = response.content.decode()
        assert "<html" not in html
        assert 'class="alert alert-danger"' in html
        with translation.override("zh-hans"):
            assert translation.gettext("Page not found") in html

    def test_error_pages_stay_pages_without_htmx(self, client_for):
        response = client_for(Role.PURCHASER).get("/no-such-page/")
        assert response.status_code == 404
        assert "HX-Retarget" not in response
        assert 'data-testid="error-page"' in response.content.decode()

    def test_csrf_failure_on_htmx_is_a_fragment(self, member_of):
        from zhengcai.web.tests.conftest import log_in

        client = log_in(Client(enforce_csrf_checks=True), member_of(Role.PURCHASER).user)
        response = client.post(reverse("notify:mark_all_read"), headers=HTMX)
        assert response.status_code == 403
        assert response["HX-Retarget"] == "#messages"
        html = response.content.decode()
        assert "<html" not in html
        with translation.override("zh-hans"):
            assert (
                translation.gettext("The form has expired: reload the page and try again. Nothing has been changed.")
                in html
            )


class TestHtmxLoginRedirect:
    def test_expired_session_sends_hx_redirect_to_the_login_page(self, client_for):
        client = client_for(Role.PURCHASER)
        Session.objects.all().delete()
        response = client.post(reverse("notify:mark_all_read"), headers=htmx_from("/notifications/?filter=unread"))
        assert response.status_code == 200
        assert not response.content
        assert "Location" not in response
        target = response["HX-Redirect"]
        assert urlsplit(target).path == reverse("accounts:login")
        # Back to the page the person was on, not to the POST-only fragment URL.
        assert next_of(target) == ["/notifications/?filter=unread"]

    def test_without_a_current_url_the_next_is_dropped(self, client):
        response = client.post(reverse("notify:mark_all_read"), headers=HTMX)
        assert response.status_code == 200
        assert urlsplit(response["HX-Redirect"]).path == reverse("accounts:login")
        assert next_of(response["HX-Redirect"]) == []

    def test_a_foreign_current_url_is_not_used_as_next(self, client):
        headers = {**HTMX, "HX-Current-URL": "https://evil.example/steal"}
        response = client.post(reverse("notify:mark_all_read"), headers=headers)
        assert next_of(response["HX-Redirect"]) == []

    def test_totp_step_redirect_is_also_a_full_navigation(self, client, member_of):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        m = member_of(Role.REGULATOR)
        TOTPDevice.objects.create(user=m.user, name="phone", confirmed=True)
        client.force_login(m.user)
        response = client.post(reverse("notify:mark_all_read"), headers=htmx_from("/notifications/"))
        assert response.status_code == 200
        assert urlsplit(response["HX-Redirect"]).path == reverse("accounts:totp_verify")
        assert next_of(response["HX-Redirect"]) == ["/notifications/"]

    def test_plain_requests_still_get_an_ordinary_redirect(self, client):
        response = client.post(reverse("notify:mark_all_read"))
        assert response.status_code == 302
        assert "HX-Redirect" not in response
        assert next_of(response["Location"]) == [reverse("notify:mark_all_read")]

    def test_other_redirects_for_htmx_are_left_alone(self, client_for):
        client = client_for(Role.PURCHASER)
        response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, headers=HTMX)
        assert response.status_code == 302
        assert "HX-Redirect" not in response


class TestMethodNotAllowed:
    @pytest.mark.parametrize("name", ["tokens:create", "accounts:switch", "accounts:logout", "notify:mark_all_read"])
    def test_get_on_a_post_only_address_is_a_translated_page(self, client_for, name):
        client = client_for(Role.PURCHASER, is_admin=True)
        response = client.get(reverse(name), headers={"Referer": "http://testserver/notifications/"})
        assert response.status_code == 405
        assert "POST" in response["Allow"]
        html = response.content.decode()
        assert 'data-testid="error-page"' in html
        assert 'data-status="405"' in html
        assert 'data-testid="allowed-methods"' in html
        assert 'href="/notifications/" data-testid="error-back"' in html
        with translation.override("zh-hans"):
            assert translation.gettext("This address cannot be opened directly") in html

    def test_in_english_after_switching(self, client_for):
        client = client_for(Role.PURCHASER)
        client.cookies["django_language"] = "en"
        html = client.get(reverse("notify:mark_all_read")).content.decode()
        assert "This address cannot be opened directly" in html

    def test_a_foreign_referer_is_not_linked(self, client_for):
        client = client_for(Role.PURCHASER)
        html = client.get(
            reverse("notify:mark_all_read"), headers={"Referer": "https://evil.example/"}
        ).content.decode()
        assert "evil.example" not in html
        assert 'data-testid="error-back"' not in html

    def test_htmx_gets_a_fragment(self, client_for):
        response = client_for(Role.PURCHASER).get(reverse("notify:mark_all_read"), headers=HTMX)
        assert response.status_code == 405
        assert response["HX-Retarget"] == "#messages"
        assert "<html" not in response.content.decode()
        assert "POST" in response["Allow"]

    def test_the_api_is_left_to_the_api(self, client_for):
        response = client_for(Role.PURCHASER).delete("/api/v1/notifications/")
        assert 'data-testid="error-page"' not in response.content.decode()


class TestFavicon:
    def test_base_links_an_icon(self, client):
        html = client.get(reverse("accounts:login")).content.decode()
        assert re.search(r'<link rel="icon" href="[^"]*web/favicon\.svg"', html)

    def test_favicon_ico_is_served_without_login(self, client):
        response = client.get("/favicon.ico")
        assert response.status_code in (301, 302)
        assert response["Location"].endswith(".ico")
        assert "web/favicon" in response["Location"]

    def test_the_icon_files_exist(self):
        from django.contrib.staticfiles import finders

        ico = finders.find("web/favicon.ico")
        svg = finders.find("web/favicon.svg")
        assert ico
        assert svg
        with open(ico, "rb") as fh:
            assert fh.read(4) == b"\x00\x00\x01\x00"  # ICO header
        with open(svg, encoding="utf-8") as fh:
            assert "<svg" in fh.read()
