"""The shell: navigation per role, login required, error pages, CSRF, language, banner."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from zhengcai.core.roles import Role
from zhengcai.web.navigation import NAV, navigation_for
from zhengcai.web.tests.conftest import log_in

pytestmark = pytest.mark.django_db


def nav_names(actor) -> set[str]:
    return {link.url_name for link in navigation_for(actor)}


def resolvable(name: str) -> bool:
    return next(item for item in NAV if item.url_name == name).url() is not None


class TestNavigation:
    def test_anonymous_gets_no_entries(self):
        from zhengcai.accounts.selectors import ANONYMOUS

        assert navigation_for(ANONYMOUS) == []

    @pytest.mark.parametrize("role", list(Role))
    def test_every_role_sees_the_dashboard(self, member_of, role):
        from zhengcai.accounts.selectors import actor_from_membership

        m = member_of(role)
        assert "web:home" in nav_names(actor_from_membership(m.user, m))

    @pytest.mark.parametrize(
        ("role", "shown"),
        [
            (Role.REGULATOR, True),
            (Role.OPERATOR, False),
            (Role.PURCHASER, False),
            (Role.SUPPLIER, False),
            (Role.AGENT, False),
            (Role.BANKER, False),
        ],
    )
    def test_audit_trail_only_for_regulators(self, member_of, role, shown):
        from zhengcai.accounts.selectors import actor_from_membership

        if not resolvable("audit:events"):
            pytest.skip("audit:events is not provided yet")
        m = member_of(role)
        assert ("audit:events" in nav_names(actor_from_membership(m.user, m))) is shown

    @pytest.mark.parametrize(
        ("role", "shown"),
        [(Role.REGULATOR, True), (Role.OPERATOR, True), (Role.PURCHASER, False), (Role.SUPPLIER, False)],
    )
    def test_rule_sets_for_operator_and_regulator(self, member_of, role, shown):
        from zhengcai.accounts.selectors import actor_from_membership

        if not resolvable("rules:rulesets"):
            pytest.skip("rules:rulesets is not provided yet")
        m = member_of(role)
        assert ("rules:rulesets" in nav_names(actor_from_membership(m.user, m))) is shown

    def test_api_tokens_only_for_organisation_admins(self, member_of):
        from zhengcai.accounts.selectors import actor_from_membership

        if not resolvable("tokens:list"):
            pytest.skip("tokens:list is not provided yet")
        admin = member_of(Role.SUPPLIER, is_admin=True)
        plain = member_of(Role.SUPPLIER)
        assert "tokens:list" in nav_names(actor_from_membership(admin.user, admin))
        assert "tokens:list" not in nav_names(actor_from_membership(plain.user, plain))

    def test_organisations_for_admins_regulators_and_operators(self, member_of):
        from zhengcai.accounts.selectors import actor_from_membership

        if not resolvable("accounts:organisations"):
            pytest.skip("accounts:organisations is not provided yet")
        for m, shown in [
            (member_of(Role.OPERATOR), True),
            (member_of(Role.REGULATOR), True),
            (member_of(Role.PURCHASER, is_admin=True), True),
            (member_of(Role.PURCHASER), False),
            (member_of(Role.BANKER), False),
        ]:
            assert ("accounts:organisations" in nav_names(actor_from_membership(m.user, m))) is shown

    def test_unresolvable_entries_are_skipped(self, member_of, monkeypatch):
        from zhengcai.accounts.selectors import actor_from_membership
        from zhengcai.web import navigation

        extra = navigation.NavItem("Nowhere", "nowhere:list", "x")
        monkeypatch.setattr(navigation, "NAV", (*navigation.NAV, extra))
        m = member_of(Role.PURCHASER)
        assert "nowhere:list" not in nav_names(actor_from_membership(m.user, m))

    def test_header_renders_the_entries(self, client_for):
        client = client_for(Role.REGULATOR)
        html = client.get(reverse("web:home")).content.decode()
        assert 'data-testid="nav-web-home"' in html
        if resolvable("audit:events"):
            assert f'href="{reverse("audit:events")}"' in html


class TestLoginRequired:
    @pytest.mark.parametrize("name", ["web:home"])
    def test_anonymous_is_sent_to_login(self, client, name):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert "next=" in response["Location"]

    def test_login_page_and_public_pages_are_public(self, client):
        assert client.get(reverse("accounts:login")).status_code == 200
        assert client.get(reverse("audit:public_heads")).status_code == 200

    def test_language_switch_works_for_anonymous_visitors(self, client):
        response = client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:login")
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


class TestErrorPages:
    def test_404_in_chinese_by_default(self, client):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        html = response.content.decode()
        assert 'data-testid="error-page"' in html
        with translation.override("zh-hans"):
            assert translation.gettext("Page not found") in html
        assert translation.gettext("Page not found") != "Page not found" or "页面" in html

    def test_404_in_english_after_switching(self, client):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        html = client.get("/no-such-page/").content.decode()
        assert "Page not found" in html

    def test_404_for_logged_in_user_keeps_the_shell(self, client_for):
        client = client_for(Role.PURCHASER)
        html = client.get("/no-such-page/").content.decode()
        assert 'data-testid="user-menu"' in html

    @pytest.mark.parametrize(
        ("template", "english"),
        [
            ("400.html", "Bad request"),
            ("403.html", "Access denied"),
            ("404.html", "Page not found"),
            ("403_csrf.html", "The form has expired"),
        ],
    )
    def test_error_templates_are_translated(self, rf, template, english):
        from django.template.loader import render_to_string

        request = rf.get("/")
        with translation.override("zh-hans"):
            chinese = render_to_string(template, request=request)
        with translation.override("en"):
            english_html = render_to_string(template, request=request)
        assert english in english_html
        assert english not in chinese
        assert re.search(r"[\u4e00-\u9fff]", chinese)

    def test_500_renders_without_a_request_context(self):
        request = RequestFactory().get("/")
        with translation.override("zh-hans"):
            response = server_error(request)
        assert response.status_code == 500
        html = response.content.decode()
        assert 'data-status="500"' in html
        assert "Server error" not in html
        with translation.override("en"):
            assert "Server error" in server_error(request).content.decode()

    @override_settings(DEBUG=False)
    def test_unhandled_exception_gives_the_500_page(self, client_for, monkeypatch):
        from zhengcai.web import views

        def boom(*args, **kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr(views, "dashboard_for", boom)
        client = client_for(Role.PURCHASER)
        client.raise_request_exception = False
        response = client.get(reverse("web:home"))
        assert response.status_code == 500
        assert 'data-status="500"' in response.content.decode()

    def test_domain_error_becomes_a_translated_page(self, client_for, monkeypatch):
        from zhengcai.core.errors import NotFound
        from zhengcai.web import views

        def missing(*args, **kwargs):
            raise NotFound()

        monkeypatch.setattr(views, "dashboard_for", missing)
        response = client_for(Role.PURCHASER).get(reverse("web:home"))
        assert response.status_code == 404
        assert 'data-error-code="not_found"' in response.content.decode()


class TestCsrf:
    def test_csrf_failure_page_is_the_translated_shell(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
        assert response.status_code == 403
        html = response.content.decode()
        assert 'data-testid="error-page"' in html
        with translation.override("zh-hans"):
            assert translation.gettext("The form has expired") in html

    def test_htmx_requests_carry_the_csrf_token(self, member_of):
        """The token in <body hx-headers> is accepted by the CSRF check when htmx sends it."""
        client = log_in(Client(enforce_csrf_checks=True), member_of(Role.PURCHASER).user)
        html = client.get(reverse("web:home")).content.decode()
        match = re.search(r"<body hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'", html)
        assert match, "the body must carry the CSRF token for htmx"
        token = match.group(1)
        headers = {"HX-Request": "true", "X-CSRFToken": token}
        ok = client.post(reverse("set_language"), {"language": "en", "next": "/"}, headers=headers)
        assert ok.status_code == 302
        refused = client.post(reverse("set_language"), {"language": "en", "next": "/"}, headers={"HX-Request": "true"})
        assert refused.status_code == 403


class TestShellChrome:
    def test_skip_link_and_main_target(self, client_for):
        html = client_for(Role.SUPPLIER).get(reverse("web:home")).content.decode()
        assert 'class="visually-hidden-focusable skip-link" href="#main"' in html
        assert 'id="main"' in html

    def test_print_stylesheet(self, client_for):
        html = client_for(Role.SUPPLIER).get(reverse("web:home")).content.decode()
        assert 'web/print.css" media="print"' in html

    @override_settings(DEMO_MODE=True)
    def test_demo_banner_in_demo_mode(self, client):
        assert 'data-testid="demo-banner"' in client.get(reverse("accounts:login")).content.decode()

    @override_settings(DEMO_MODE=False)
    def test_no_demo_banner_otherwise(self, client):
        assert 'data-testid="demo-banner"' not in client.get(reverse("accounts:login")).content.decode()

    def test_no_inline_scripts_or_styles(self, client_for):
        html = client_for(Role.REGULATOR).get(reverse("web:home")).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert " style=" not in html
        assert "<style" not in html

    def test_language_switch_keeps_the_page(self, client_for):
        client = client_for(Role.PURCHASER)
        html = client.get(reverse("web:home") + "?x=1").content.decode()
        assert 'data-testid="language-en"' in html
        assert 'name="next" value="/?x=1"' in html
        response = client.post(reverse("set_language"), {"language": "en", "next": "/?x=1"})
        assert response["Location"] == "/?x=1"

    def test_messages_are_shown(self, client_for):
        from django.contrib import messages
        from django.contrib.messages.storage.fallback import FallbackStorage

        client = client_for(Role.PURCHASER)
        # A message left by a previous request (as a redirecting view would).
        request = RequestFactory().get("/")
        request.session = client.session
        storage = FallbackStorage(request)
        request._messages = storage
        messages.success(request, "Saved it")
        from django.http import HttpResponse

        response = HttpResponse()
        storage.update(response)
        for key, morsel in response.cookies.items():
            client.cookies[key] = morsel.value
        html = client.get(reverse("web:home")).content.decode()
        assert "Saved it" in html
        assert "alert-success" in html


class TestHeaderFragments:
    def test_header_fragments_of_other_apps_are_present(self, client_for):
        html = client_for(Role.PURCHASER).get(reverse("web:home")).content.decode()
        assert reverse("notify:list") in html

    def test_the_organisation_switcher_appears_for_people_with_two_memberships(self, client_for, member_of):
        from zhengcai.accounts.tests.factories import MembershipFactory

        client = client_for(Role.PURCHASER)
        user = client.get(reverse("web:home")).wsgi_request.user
        assert reverse("accounts:switch") not in client.get(reverse("web:home")).content.decode()
        MembershipFactory(user=user, organisation=member_of(Role.PURCHASER).organisation)
        assert reverse("accounts:switch") in client.get(reverse("web:home")).content.decode()


class TestTotpStep:
    def test_header_has_no_bell_before_the_second_factor(self, client, member_of):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        m = member_of(Role.REGULATOR)
        TOTPDevice.objects.create(user=m.user, name="phone", confirmed=True)
        client.force_login(m.user)  # password step done, TOTP step not yet
        response = client.get(reverse("web:home"))
        assert response.status_code == 302
        html = client.get(response["Location"]).content.decode()
        assert 'name="otp_token"' in html
        assert reverse("notify:unread_count") not in html

    def test_header_has_the_bell_once_verified(self, client_for):
        html = client_for(Role.REGULATOR).get(reverse("web:home")).content.decode()
        assert reverse("notify:unread_count") in html
