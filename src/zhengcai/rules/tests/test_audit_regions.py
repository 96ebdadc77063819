"""Audit events about rule sets and regions carry that region's code; the national rule
set and the working calendar are platform-wide (QA #3)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengcai.audit.models import AuditEvent
from zhengcai.audit.selectors import events_visible
from zhengcai.core.actor import SYSTEM, Actor
from zhengcai.core.roles import OrgType, Role
from zhengcai.rules import services as rules_services
from zhengcai.rules.defaults import national_2022
from zhengcai.rules.models import Region, RegionLevel

pytestmark = pytest.mark.django_db


def regulator_of(code: str) -> Actor:
    return Actor(user_id=900, username="reg", organisation_id=900, role=Role.REGULATOR, region_code=code)


def visible_to(code: str) -> set[int]:
    return set(events_visible(actor=regulator_of(code)).values_list("seq", flat=True))


def event(action: str, **filters) -> AuditEvent:
    return AuditEvent.objects.filter(action=action, **filters).latest("seq")


@pytest.fixture
def regions(db):
    zj = Region.objects.create(code="330000", name="浙江省", level=RegionLevel.PROVINCE)
    qz = Region.objects.create(code="330800", name="衢州市", level=RegionLevel.CITY, parent=zj)
    return {"330000": zj, "330800": qz}


def operator_actor() -> Actor:
    return Actor(
        user_id=1, username="operator", organisation_id=1, organisation_name="运营中心",
        org_type=OrgType.OPERATOR, role=Role.OPERATOR, region_code="330000",
    )  # fmt: skip


def test_ruleset_events_carry_the_rule_sets_region(frozen_clock, regions):
    values = national_2022().model_dump(mode="json")
    common = {"effective_from": dt.date(2026, 4, 1), "values": values, "version_label": "v", "notes": ""}
    city = rules_services.ruleset_create(actor=operator_actor(), region=regions["330800"], **common)
    national = rules_services.ruleset_create(actor=operator_actor(), region=None, **common)
    assert event("rules.ruleset.create", object_id=str(city.pk)).region_code == "330800"
    assert event("rules.ruleset.create", object_id=str(national.pk)).region_code == ""
    assert event("rules.ruleset.create", object_id=str(city.pk)).seq in visible_to("330800")


def test_seeded_rulesets_and_regions_carry_their_region(frozen_clock):
    rules_services.rules_seed_defaults(actor=SYSTEM)
    zhejiang = event("rules.region.create", object_type="rules.region")
    assert zhejiang.region_code == "330000"
    codes = set(AuditEvent.objects.filter(action="rules.ruleset.create").values_list("region_code", flat=True))
    assert "" in codes
    assert "330000" in codes
    seeded = AuditEvent.objects.filter(action="rules.ruleset.create")
    all_seqs = set(seeded.values_list("seq", flat=True))
    national = set(seeded.filter(region_code="").values_list("seq", flat=True))
    zhejiang = set(seeded.filter(region_code="330000").values_list("seq", flat=True))
    # Every regulator sees the national versions; Zhejiang's go to its province regulator.
    assert visible_to("330802") & all_seqs == national
    assert visible_to("330000") & all_seqs == national | zhejiang


def test_region_and_calendar_events(frozen_clock, regions):
    op = operator_actor()
    hz = rules_services.region_create(actor=op, code="330100", name="杭州市", level="city", parent=regions["330000"])
    assert event("rules.region.create", object_id=str(hz.pk)).region_code == "330100"
    rules_services.calendar_override_set(actor=op, day=dt.date(2026, 10, 10), is_working_day=True)
    assert event("rules.calendar_override.set").region_code == ""
    rules_services.calendar_override_delete(actor=op, day=dt.date(2026, 10, 10))
    assert event("rules.calendar_override.delete").region_code == ""
