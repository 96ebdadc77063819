"""Platform-wide events (region code "") reach every regulator (QA #3).

Which region each app files its events under is tested beside those services
(accounts/tests/test_audit_regions.py, rules/tests/test_audit_regions.py).
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from zhengcai.accounts.tests.factories import MembershipFactory, OrganisationFactory, RegionFactory, UserFactory
from zhengcai.audit.models import AuditEvent
from zhengcai.audit.permissions import VIEW, policy
from zhengcai.audit.selectors import events_visible
from zhengcai.audit.services import audit_record
from zhengcai.audit.tests.test_views import client_for
from zhengcai.core.actor import SYSTEM, Actor
from zhengcai.core.roles import OrgType, Role

pytestmark = pytest.mark.django_db


def regulator_of(code: str) -> Actor:
    return Actor(user_id=900, username="reg", organisation_id=900, role=Role.REGULATOR, region_code=code)


def visible_to(code: str) -> set[int]:
    return set(events_visible(actor=regulator_of(code)).values_list("seq", flat=True))


def event(action: str, **filters) -> AuditEvent:
    return AuditEvent.objects.filter(action=action, **filters).latest("seq")


def test_platform_wide_events_are_visible_to_every_regulator(frozen_clock):
    with transaction.atomic():
        platform = audit_record(actor=SYSTEM, action="rules.calendar_override.set")
        kecheng = audit_record(actor=SYSTEM, action="test.x", region_code="330802")
        hangzhou = audit_record(actor=SYSTEM, action="test.x", region_code="330106")
    assert visible_to("330802") == {platform.seq, kecheng.seq}
    assert visible_to("330100") == {platform.seq, hangzhou.seq}
    assert visible_to("330000") == {platform.seq, kecheng.seq, hangzhou.seq}
    reg = regulator_of("330803")
    assert policy.can(reg, VIEW, platform)
    assert not policy.can(reg, VIEW, kecheng)
    # Everyone but a regulator still sees nothing, platform-wide events included.
    operator = Actor(user_id=1, username="op", organisation_id=1, role=Role.OPERATOR, region_code="330000")
    assert not policy.can(operator, VIEW, platform)
    assert not policy.visible(operator, AuditEvent.objects.all()).exists()


def test_regulator_sees_logins_of_the_region_in_the_viewer(frozen_clock):
    region = RegionFactory(code="330802", name="柯城区", level="county")
    MembershipFactory(user=UserFactory(username="dora"), organisation=OrganisationFactory(region=region))
    Client().post(reverse("accounts:login"), {"username": "dora", "password": "correct-horse-battery-staple"})
    city = client_for(OrgType.REGULATOR, "330800", "city")
    assert "dora" in city.get(reverse("audit:events"), {"action": "accounts.login."}).content.decode()
    other = client_for(OrgType.REGULATOR, "330803")
    assert "dora" not in other.get(reverse("audit:events"), {"action": "accounts.login."}).content.decode()
