"""Login, lockout, the TOTP step, password reset, logout and switching organisation."""

from __future__ import annotations

import base64
import re

import pyotp
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengcai.accounts.models import Membership
from zhengcai.accounts.selectors import SESSION_MEMBERSHIP_KEY
from zhengcai.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    log_in_verified,
)
from zhengcai.audit.models import AuditEvent
from zhengcai.core.roles import OrgType, Role

PASSWORD = "correct-horse-battery-staple"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_otp_throttle(settings):
    # django-otp slows down retries after a wrong code; tests retry at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.DEMO_MODE = False


def member(org_type: str = OrgType.BUDGET_UNIT, **user):
    return MembershipFactory(user=UserFactory(**user), organisation=OrganisationFactory(org_type=org_type))


def login(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password, **extra})


def confirmed_device(user, secret: str = SECRET) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True, key=base64.b32decode(secret).hex())


def test_login_page_renders():
    response = Client().get(reverse("accounts:login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_password_login_reaches_home_and_is_audited():
    m = member(username="anna")
    client = Client()
    response = login(client, "anna")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    assert client.get(reverse("web:home")).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.login.success", actor_id=m.user.pk).count() == 1


def test_wrong_password_refused_with_message():
    member(username="anna")
    client = Client()
    response = login(client, "anna", "wrong")
    assert response.status_code == 200
    assert b'data-testid="login-error"' in response.content
    assert "_auth_user_id" not in client.session


def test_login_redirects_to_next():
    member(username="anna")
    response = login(Client(), "anna", next=reverse("accounts:profile"))
    assert response["Location"] == reverse("accounts:profile")


def test_anonymous_is_sent_to_login():
    response = Client().get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_lockout_after_five_failures_shows_message_and_is_audited():
    member(username="anna")
    client = Client()
    for _ in range(4):
        assert login(client, "anna", "wrong").status_code == 200
    response = login(client, "anna", "wrong")
    assert response.status_code == 403
    assert b'data-testid="lockout-message"' in response.content
    # Even the right password is refused while locked.
    response = login(client, "anna")
    assert response.status_code == 403
    assert b'data-testid="lockout-message"' in response.content
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="accounts.login.lockout", data__username="anna").exists()


def test_lockout_message_is_translated():
    member(username="anna")
    client = Client(headers={"accept-language": "zh-hans"})
    for _ in range(5):
        response = login(client, "anna", "wrong")
    assert response.status_code == 403
    assert "锁定" in response.content.decode()


def test_lockout_is_per_username():
    member(username="anna")
    member(username="bert")
    client = Client()
    for _ in range(5):
        login(client, "anna", "wrong")
    assert login(client, "bert").status_code == 302


@pytest.mark.parametrize("org_type", [OrgType.REGULATOR, OrgType.OPERATOR])
def test_totp_roles_cannot_reach_home_without_second_step(org_type):
    m = member(org_type, username="reg")
    confirmed_device(m.user)
    client = Client()
    response = login(client, "reg")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:totp_verify"))
    for url in (reverse("web:home"), reverse("accounts:profile"), reverse("accounts:organisations")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:totp_verify"))


def test_unverified_session_acts_for_no_organisation_in_the_api():
    m = member(OrgType.REGULATOR, username="reg")
    confirmed_device(m.user)
    client = Client()
    login(client, "reg")
    # The API refuses the session outright until the TOTP step (api/tests/test_totp_session.py).
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "totp_required"


def test_totp_verify_wrong_code_refused_right_code_lets_in():
    m = member(OrgType.REGULATOR, username="reg")
    confirmed_device(m.user)
    client = Client()
    login(client, "reg")
    response = client.post(reverse("accounts:totp_verify"), {"otp_token": "000000"})
    assert response.status_code == 200
    assert b'data-testid="totp-error"' in response.content
    assert client.get(reverse("web:home")).status_code == 302
    assert AuditEvent.objects.filter(action="accounts.totp.failure", actor_id=m.user.pk).count() == 1
    code = pyotp.TOTP(SECRET).now()
    response = client.post(reverse("accounts:totp_verify"), {"otp_token": code, "next": reverse("accounts:profile")})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert client.get(reverse("web:home")).status_code == 200
    assert client.get("/api/v1/accounts/me").json()["role"] == Role.REGULATOR


def test_repeated_wrong_totp_codes_lock_the_account():
    m = member(OrgType.OPERATOR, username="op")
    confirmed_device(m.user)
    client = Client()
    login(client, "op")
    for _ in range(4):
        assert client.post(reverse("accounts:totp_verify"), {"otp_token": "000000"}).status_code == 200
    response = client.post(reverse("accounts:totp_verify"), {"otp_token": "000000"})
    assert response.status_code == 403
    assert b'data-testid="lockout-message"' in response.content
    assert "_auth_user_id" not in client.session  # logged out
    assert login(Client(), "op").status_code == 403  # and the password alone does not help now


def test_totp_setup_flow():
    m = member(OrgType.REGULATOR, username="newreg")
    client = Client()
    response = login(client, "newreg")
    assert response["Location"].startswith(reverse("accounts:totp_setup"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert 'src="data:image/svg+xml' in content
    secret = re.search(r'data-secret="([A-Z2-7]+)"', content).group(1)
    # A second visit shows the same secret (one pending device, not a new one each time).
    assert secret in client.get(reverse("accounts:totp_setup")).content.decode()
    assert TOTPDevice.objects.filter(user=m.user).count() == 1
    response = client.post(reverse("accounts:totp_setup"), {"otp_token": "123456"})
    assert response.status_code == 200
    assert b'data-testid="totp-error"' in response.content
    assert not TOTPDevice.objects.get(user=m.user).confirmed
    response = client.post(reverse("accounts:totp_setup"), {"otp_token": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=m.user).confirmed
    assert client.get(reverse("web:home")).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.totp.confirm", actor_id=m.user.pk).exists()


def test_users_without_totp_role_are_not_asked():
    member(OrgType.SUPPLIER, username="sup")
    client = Client()
    assert login(client, "sup")["Location"] == reverse("web:home")
    assert client.get(reverse("web:home")).status_code == 200


def test_public_pages_stay_public_during_totp_step():
    m = member(OrgType.REGULATOR, username="reg")
    confirmed_device(m.user)
    client = Client()
    login(client, "reg")
    assert client.get(reverse("audit:public_heads")).status_code == 200
    assert client.get("/healthz").status_code == 200


def test_logout_is_post():
    m = member()
    client = Client()
    client.force_login(m.user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_email_and_link_works():
    m = member(username="anna", email="anna@example.test")
    client = Client()
    response = client.post(reverse("accounts:password_reset"), {"email": "anna@example.test"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link)
    assert response.status_code == 302  # Django swaps the token for a session marker
    form_url = response["Location"]
    assert client.get(form_url).status_code == 200
    new = "a-much-better-secret-42"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    m.user.refresh_from_db()
    assert m.user.check_password(new)
    assert AuditEvent.objects.filter(action="accounts.user.password_set", actor_id=m.user.pk).exists()
    assert login(Client(), "anna", new).status_code == 302


def test_password_reset_unknown_email_sends_nothing_and_looks_the_same():
    response = Client().post(reverse("accounts:password_reset"), {"email": "nobody@example.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change():
    m = member(username="anna")
    client = Client()
    client.force_login(m.user)
    new = "another-good-secret-77"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    m.user.refresh_from_db()
    assert m.user.check_password(new)
    assert client.get(reverse("accounts:profile")).status_code == 200  # still logged in


def test_switch_to_own_membership():
    first = member(username="anna")
    second = MembershipFactory(user=first.user, organisation=OrganisationFactory(org_type=OrgType.AGENCY))
    client = Client()
    client.force_login(first.user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert f'data-testid="org-switch-{second.pk}"' in page
    response = client.post(reverse("accounts:switch"), {"membership_id": second.pk, "next": "/accounts/profile/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    assert client.session[SESSION_MEMBERSHIP_KEY] == second.pk
    assert client.get("/api/v1/accounts/me").json()["current_membership_id"] == second.pk
    assert AuditEvent.objects.filter(action="accounts.membership.switch", object_id=str(second.pk)).count() == 1


@pytest.mark.parametrize("case", ["someone_elses", "revoked", "missing"])
def test_switch_to_membership_not_yours_is_404_and_changes_nothing(case):
    mine = member(username="anna")
    other = member(username="bert")
    revoked = MembershipFactory(user=mine.user, organisation=OrganisationFactory(), is_active=False)
    target = {"someone_elses": other.pk, "revoked": revoked.pk, "missing": 999999}[case]
    client = Client()
    client.force_login(mine.user)
    events = AuditEvent.objects.count()
    response = client.post(reverse("accounts:switch"), {"membership_id": target})
    assert response.status_code == 404
    assert SESSION_MEMBERSHIP_KEY not in client.session
    assert AuditEvent.objects.count() == events


def test_log_in_verified_helper_reaches_home_for_regulator():
    m = member(OrgType.REGULATOR)
    client = log_in_verified(Client(), m.user)
    assert client.get(reverse("web:home")).status_code == 200
    assert Membership.objects.filter(user=m.user).exists()
