"""The demo data: loads through the services, is idempotent, and the login page shows the logins."""

from __future__ import annotations

import io

import pyotp
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengcai.accounts.models import Membership, Organisation, User
from zhengcai.audit.models import AuditEvent
from zhengcai.core.creditcode import is_valid
from zhengcai.core.roles import Role
from zhengcai.rules.models import Region
from zhengcai.web.demo import DEMO_USERS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "devices": TOTPDevice.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_seed_demo_is_idempotent_and_audited():
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    assert first["regions"] >= 12
    assert first["organisations"] >= 24
    assert first["audit"] >= first["organisations"] + first["users"]
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first


def test_demo_content():
    call_command("seed_demo", stdout=io.StringIO())
    suppliers = Organisation.objects.filter(org_type="supplier")
    assert suppliers.count() >= 12
    assert all(is_valid(o.credit_code) for o in Organisation.objects.all())
    assert Region.objects.get(code="330802").parent.code == "330800"
    assert Region.objects.get(code="330106").parent.code == "330100"
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles >= {Role.PURCHASER, Role.AGENT, Role.SUPPLIER, Role.REGULATOR, Role.BANKER, Role.OPERATOR}
    multi = [u for u in User.objects.all() if u.memberships.filter(is_active=True).count() > 1]
    assert multi
    for demo in DEMO_USERS:
        user = User.objects.get(username=demo.username)
        assert user.check_password(demo.password)
        if demo.role in {Role.REGULATOR, Role.OPERATOR}:
            assert demo.totp_secret
            assert TOTPDevice.objects.get(user=user).confirmed


@pytest.mark.parametrize("username", ["regulator", "operator"])
def test_demo_totp_login_with_fixed_secret(username):
    call_command("seed_demo", stdout=io.StringIO())
    demo = next(u for u in DEMO_USERS if u.username == username)
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": demo.username, "password": demo.password})
    assert response["Location"].startswith(reverse("accounts:totp_verify"))
    response = client.post(reverse("accounts:totp_verify"), {"otp_token": pyotp.TOTP(demo.totp_secret).now()})
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200


def test_login_page_lists_demo_users_in_demo_mode(settings):
    settings.DEMO_MODE = True
    content = Client().get(reverse("accounts:login")).content.decode()
    for demo in DEMO_USERS:
        assert f'data-testid="demo-user-{demo.username}"' in content
    assert "ZCOPERATORDEMOTOTPSECRETKEY23456" in content
    assert 'data-testid="demo-code-operator"' in content


def test_login_page_hides_demo_users_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    content = Client().get(reverse("accounts:login")).content.decode()
    assert "demo-user-" not in content


def test_demo_banner_prints_url_and_logins(settings):
    settings.DEMO_MODE = True
    out = io.StringIO()
    call_command("demo_banner", "--url", "http://127.0.0.1:8000/", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text
    assert all(u.username in text for u in DEMO_USERS)
