"""Audit events about a person carry the region of their organisation, so its regulator
sees them (QA #3); a passed TOTP step is recorded."""

from __future__ import annotations

import base64

import pyotp
import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengcai.accounts import services
from zhengcai.accounts.tests.factories import MembershipFactory, OrganisationFactory, RegionFactory, UserFactory
from zhengcai.audit.models import AuditEvent
from zhengcai.audit.selectors import events_visible
from zhengcai.core.actor import Actor
from zhengcai.core.roles import OrgType, Role

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.DEMO_MODE = False


def regulator_of(code: str) -> Actor:
    return Actor(user_id=900, username="reg", organisation_id=900, role=Role.REGULATOR, region_code=code)


def visible_to(code: str) -> set[int]:
    return set(events_visible(actor=regulator_of(code)).values_list("seq", flat=True))


def event(action: str, **filters) -> AuditEvent:
    return AuditEvent.objects.filter(action=action, **filters).latest("seq")


def kecheng_member(org_type: str = OrgType.BUDGET_UNIT, username: str = "anna"):
    region = RegionFactory(code="330802", name="柯城区", level="county")
    return MembershipFactory(
        user=UserFactory(username=username), organisation=OrganisationFactory(org_type=org_type, region=region)
    )


def login(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_events_carry_the_region_of_the_persons_organisation(frozen_clock):
    m = kecheng_member()
    assert login(Client(), "anna").status_code == 302
    success = event("accounts.login.success", actor_id=m.user.pk)
    assert success.region_code == "330802"
    assert success.seq in visible_to("330802")
    assert success.seq in visible_to("330800")
    assert success.seq not in visible_to("330803")


def test_lockout_carries_the_region(frozen_clock):
    kecheng_member(username="bert")
    client = Client()
    for _ in range(5):
        login(client, "bert", "wrong")
    lockout = event("accounts.login.lockout", data__username="bert")
    assert lockout.region_code == "330802"
    # An unknown username belongs to no region: platform-wide.
    for _ in range(5):
        login(Client(), "nobody", "wrong")
    assert event("accounts.login.lockout", data__username="nobody").region_code == ""


def test_a_person_in_several_organisations_gets_one_region_deterministically(frozen_clock):
    m = kecheng_member(username="carl")
    qujiang = OrganisationFactory(region=RegionFactory(code="330803", name="衢江区", level="county"))
    MembershipFactory(user=m.user, organisation=qujiang)
    codes = set()
    for _ in range(3):
        services.login_record(user=m.user)
        codes.add(event("accounts.login.success", actor_id=m.user.pk).region_code)
    assert len(codes) == 1
    assert codes <= {"330802", "330803"}


def test_totp_events_carry_the_region_and_a_passed_step_is_recorded(frozen_clock):
    m = kecheng_member(OrgType.REGULATOR, username="rita")
    TOTPDevice.objects.create(user=m.user, name="app", confirmed=True, key=base64.b32decode(SECRET).hex())
    client = Client()
    login(client, "rita")
    client.post(reverse("accounts:totp_verify"), {"otp_token": "000000"})
    assert event("accounts.totp.failure", actor_id=m.user.pk).region_code == "330802"
    assert not AuditEvent.objects.filter(action="accounts.login.totp_passed").exists()
    response = client.post(reverse("accounts:totp_verify"), {"otp_token": pyotp.TOTP(SECRET).now()})
    assert response.status_code == 302
    passed = event("accounts.login.totp_passed", actor_id=m.user.pk)
    assert passed.region_code == "330802"
    assert passed.object_id == str(m.user.pk)
    assert AuditEvent.objects.filter(action="accounts.login.totp_passed").count() == 1


def test_totp_setup_records_the_passed_step(frozen_clock):
    m = kecheng_member(OrgType.REGULATOR, username="sara")
    client = Client()
    login(client, "sara")
    page = client.get(reverse("accounts:totp_setup")).content.decode()
    secret = page.split('data-secret="')[1].split('"')[0]
    assert event("accounts.totp.start", actor_id=m.user.pk).region_code == "330802"
    client.post(reverse("accounts:totp_setup"), {"otp_token": pyotp.TOTP(secret).now()})
    assert event("accounts.totp.confirm", actor_id=m.user.pk).region_code == "330802"
    assert event("accounts.login.totp_passed", actor_id=m.user.pk).region_code == "330802"
