"""The security baseline: deploy checks, production headers and cookies, CSRF, secrets."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from zhengcai.api.models import ApiToken
from zhengcai.api.tests.conftest import Org

MANAGE = Path(settings.BASE_DIR) / "manage.py"


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHENGCAI_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        {
            "ZHENGCAI_PROFILE": "production",
            "ZHENGCAI_SECRET_KEY": secrets.token_urlsafe(64),
            "ZHENGCAI_ALLOWED_HOSTS": "example.gov.cn",
            "ZHENGCAI_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "zhengcai.settings",
        }
    )
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed argv, our own interpreter
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_deploy_check_passes_cleanly_in_production(tmp_path: Path) -> None:
    result = run([str(MANAGE), "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_catches_a_weak_secret_key(tmp_path: Path) -> None:
    # Proves the check above has teeth: the same command fails on a short key.
    env = production_env(tmp_path, ZHENGCAI_SECRET_KEY="short")
    result = run([str(MANAGE), "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    del env["ZHENGCAI_SECRET_KEY"]
    result = run([str(MANAGE), "check"], env)
    assert result.returncode != 0
    assert "ZHENGCAI_SECRET_KEY" in result.stderr


def test_production_responses_carry_the_security_headers(tmp_path: Path) -> None:
    result = run(["-m", "zhengcai.api.tests.production_probe"], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)

    assert report["debug"] is False
    # Plain HTTP is redirected to HTTPS.
    assert report["plain_status"] == 301
    assert report["plain_location"] == "https://example.gov.cn/healthz"
    assert report["secure_status"] == 200
    headers = report["headers"]
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert "includeSubDomains" in headers["Strict-Transport-Security"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    for csp in (headers["Content-Security-Policy"], report["docs_csp"], report["api_401_csp"]):
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp
        assert "style-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp
    assert report["docs_status"] == 200
    assert report["api_401_status"] == 401
    assert report["csrf_cookie_secure"] is True
    assert report["session_cookie_secure"] is True
    assert report["session_cookie_httponly"] is True
    assert report["csrf_cookie_secure_setting"] is True


@pytest.mark.django_db
def test_form_post_without_csrf_token_is_refused(org: Org) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.admin)
    page = client.get(reverse("tokens:list"))
    csrf = client.cookies["csrftoken"].value
    assert page.status_code == 200

    refused = client.post(reverse("tokens:create"), {"name": "no csrf"})
    assert refused.status_code == 403
    assert not ApiToken.objects.exists()

    accepted = client.post(reverse("tokens:create"), {"name": "with csrf", "csrfmiddlewaretoken": csrf})
    assert accepted.status_code == 200
    assert ApiToken.objects.filter(name="with csrf").exists()

    via_header = client.post(reverse("tokens:create"), {"name": "htmx style"}, headers={"X-CSRFToken": csrf})
    assert via_header.status_code == 200
    assert ApiToken.objects.filter(name="htmx style").exists()


@pytest.mark.django_db
def test_session_api_post_without_csrf_header_is_refused(org: Org) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.admin)
    client.get(reverse("tokens:list"))
    csrf = client.cookies["csrftoken"].value
    url = "/api/v1/platform/tokens"

    refused = client.post(url, {"name": "x"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    assert not ApiToken.objects.exists()

    accepted = client.post(url, {"name": "x"}, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert accepted.status_code == 201
