"""Rule-set, region and calendar services: permissions, validation, audit, immutability."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhengcai.audit.models import AuditEvent
from zhengcai.core.actor import SYSTEM, Actor
from zhengcai.core.clock import FrozenClock
from zhengcai.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from zhengcai.core.roles import OrgType
from zhengcai.rules import services
from zhengcai.rules.defaults import national_2022
from zhengcai.rules.models import CalendarOverride, Region, RegionLevel, RuleSet, RuleSetImmutableError
from zhengcai.rules.selectors import ruleset_for, working_calendar

pytestmark = pytest.mark.django_db

NOT_OPERATORS = [t for t in OrgType.values if t != OrgType.OPERATOR]
D = dt.date
APRIL_1 = D(2026, 4, 1)


def values_json(**changes: object) -> dict[str, object]:
    data = national_2022().model_dump(mode="json")
    data.update(changes)
    return data


def create(actor: Actor, region: Region | None = None, effective_from: dt.date = APRIL_1, **kw: object) -> RuleSet:
    kwargs: dict[str, object] = {"values": values_json(), "version_label": "v-test", "notes": ""}
    kwargs.update(kw)
    return services.ruleset_create(actor=actor, region=region, effective_from=effective_from, **kwargs)  # type: ignore[arg-type]


# -- rule sets ---------------------------------------------------------------------------------


def test_operator_creates_a_version_with_audit(frozen_clock: FrozenClock, operator: Actor, regions) -> None:
    rule_set = create(operator, regions["330000"], notes=" n ", source="浙财采监〔2019〕5号")
    assert rule_set.region == regions["330000"]
    assert rule_set.rule_values == national_2022()
    assert rule_set.created_by_id == operator.user_id
    assert rule_set.notes == "n"
    event = AuditEvent.objects.get(action="rules.ruleset.create")
    assert event.object_id == str(rule_set.pk)
    assert event.actor_id == operator.user_id
    assert event.data["region"] == "330000"
    assert event.data["values"]["bid_bond_allowed"] is True


def test_today_is_allowed_the_past_is_not(frozen_clock: FrozenClock, operator: Actor) -> None:
    create(operator, effective_from=D(2026, 3, 2))
    with pytest.raises(ValidationFailed) as err:
        create(operator, effective_from=D(2026, 3, 1))
    assert "effective_from" in err.value.fields
    assert RuleSet.objects.count() == 1


@pytest.mark.parametrize("org_type", NOT_OPERATORS)
def test_other_roles_are_refused_and_nothing_changes(frozen_clock: FrozenClock, actors, org_type: str) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(NotPermitted):
        create(actors[org_type])
    with pytest.raises(NotPermitted):
        services.calendar_override_set(actor=actors[org_type], day=D(2026, 3, 7), is_working_day=True, note="x")
    with pytest.raises(NotPermitted):
        services.region_create(actor=actors[org_type], code="330100", name="杭州市", level="city", parent=None)
    with pytest.raises(NotPermitted):
        services.rules_seed_defaults(actor=actors[org_type])
    assert not RuleSet.objects.exists()
    assert not CalendarOverride.objects.exists()
    assert not Region.objects.filter(code="330100").exists()
    assert AuditEvent.objects.count() == before


def test_override_delete_refused_for_other_roles(frozen_clock: FrozenClock, actors, operator: Actor) -> None:
    services.calendar_override_set(actor=operator, day=D(2026, 3, 7), is_working_day=True, note="")
    before = AuditEvent.objects.count()
    for org_type in NOT_OPERATORS:
        with pytest.raises(NotPermitted):
            services.calendar_override_delete(actor=actors[org_type], day=D(2026, 3, 7))
    assert CalendarOverride.objects.filter(day=D(2026, 3, 7)).exists()
    assert AuditEvent.objects.count() == before


def test_anonymous_is_refused(frozen_clock: FrozenClock, regions) -> None:
    anonymous = Actor(user_id=None, username="anonymous")
    with pytest.raises(NotPermitted):
        create(anonymous)


def test_duplicate_dates_are_refused(frozen_clock: FrozenClock, operator: Actor, regions) -> None:
    create(operator)
    create(operator, regions["330000"])  # same date, another region: fine
    with pytest.raises(Conflict) as err:
        create(operator)
    assert "effective_from" in err.value.fields
    with pytest.raises(Conflict):
        create(operator, regions["330000"])
    assert RuleSet.objects.count() == 2
    assert AuditEvent.objects.filter(action="rules.ruleset.create").count() == 2


def test_bad_values_are_reported_per_field_and_nothing_saved(frozen_clock: FrozenClock, operator: Actor) -> None:
    bad = values_json(
        tender_committee_min="x",
        bid_bond_max_percent="150",
        sme_small_micro_deduction={"min": "20", "max": "10"},
        tender_notice_period={"n": -1, "unit": "working_days"},
        committee_expert_share_min="3/2",
        surprise=1,
    )
    del bad["payment_due"]
    with pytest.raises(ValidationFailed) as err:
        create(operator, values=bad, version_label="  ")
    fields = err.value.fields
    assert set(fields) >= {
        "tender_committee_min",
        "bid_bond_max_percent",
        "sme_small_micro_deduction",
        "tender_notice_period.n",
        "committee_expert_share_min",
        "payment_due",
        "surprise",
        "version_label",
    }
    assert all(str(m) for ms in fields.values() for m in ms)
    assert not RuleSet.objects.exists()
    assert not AuditEvent.objects.filter(action="rules.ruleset.create").exists()


def test_consistency_rules(frozen_clock: FrozenClock, operator: Actor) -> None:
    with pytest.raises(ValidationFailed) as err:
        create(operator, values=values_json(tender_committee_min=4))
    assert "tender_committee_min" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        create(operator, values=values_json(open_tender_threshold_goods_services="500000"))
    assert "open_tender_threshold_goods_services" in err.value.fields


def test_versions_are_immutable(frozen_clock: FrozenClock, operator: Actor) -> None:
    rule_set = create(operator)
    rule_set.version_label = "changed"
    with pytest.raises(RuleSetImmutableError):
        rule_set.save()
    with pytest.raises(RuleSetImmutableError):
        rule_set.delete()
    with pytest.raises(RuleSetImmutableError):
        RuleSet.objects.filter(pk=rule_set.pk).update(version_label="changed")
    with pytest.raises(RuleSetImmutableError):
        RuleSet.objects.all().delete()
    assert RuleSet.objects.get(pk=rule_set.pk).version_label == "v-test"


# -- seed ------------------------------------------------------------------------------------


def test_seed_is_idempotent_and_audited(frozen_clock: FrozenClock, regions) -> None:
    services.rules_seed_defaults(actor=SYSTEM)
    assert RuleSet.objects.count() == 4
    assert AuditEvent.objects.filter(action="rules.ruleset.create").count() == 4
    services.rules_seed_defaults(actor=SYSTEM)
    assert RuleSet.objects.count() == 4
    assert AuditEvent.objects.filter(action="rules.ruleset.create").count() == 4


def test_seed_creates_zhejiang_when_missing(frozen_clock: FrozenClock) -> None:
    assert not Region.objects.filter(code="330000").exists()
    services.rules_seed_defaults(actor=SYSTEM)
    zj = Region.objects.get(code="330000")
    assert zj.level == RegionLevel.PROVINCE
    assert AuditEvent.objects.filter(action="rules.region.create").count() == 1


def test_seeded_versions_resolve_by_region_and_date(frozen_clock: FrozenClock, regions) -> None:
    services.rules_seed_defaults(actor=SYSTEM)
    kecheng = regions["330802"]
    jiangsu = regions["320000"]
    assert ruleset_for(region=kecheng, on=D(2026, 3, 1)).rule_values.bid_bond_allowed is False
    assert ruleset_for(region=jiangsu, on=D(2026, 3, 1)).rule_values.bid_bond_allowed is True
    assert ruleset_for(region=jiangsu, on=D(2022, 6, 30)).rule_values.sme_small_micro_deduction.min == Decimal(6)
    assert ruleset_for(region=jiangsu, on=D(2022, 7, 1)).rule_values.sme_small_micro_deduction.min == Decimal(10)


# -- regions ---------------------------------------------------------------------------------


def test_region_create(frozen_clock: FrozenClock, operator: Actor, regions) -> None:
    hz = services.region_create(actor=operator, code="330100", name="杭州市", level="city", parent=regions["330000"])
    xh = services.region_create(actor=operator, code="330106", name="西湖区", level="county", parent=hz)
    assert xh.ancestors() == [xh, hz, regions["330000"]]
    assert AuditEvent.objects.filter(action="rules.region.create").count() == 2
    with pytest.raises(Conflict):
        services.region_create(actor=operator, code="330106", name="西湖区", level="county", parent=hz)


@pytest.mark.parametrize(
    ("code", "level", "parent", "field"),
    [
        ("33010", "city", "330000", "code"),
        ("33010X", "city", "330000", "code"),
        ("３３０１００", "city", "330000", "code"),  # full-width digits
        ("000000", "province", None, "code"),
        ("330100", "province", None, "code"),  # a city-shaped code
        ("340000", "province", "330000", "parent"),
        ("330100", "city", None, "parent"),
        ("340100", "city", "330000", "parent"),  # not under Zhejiang
        ("330106", "county", "330800", "parent"),  # not under Quzhou
        ("330100", "county", "330000", "code"),
        ("330100", "town", "330000", "level"),
    ],
)
def test_region_create_validation(  # noqa: PLR0917
    frozen_clock: FrozenClock, operator: Actor, regions, code, level, parent, field
) -> None:
    before = Region.objects.count()
    with pytest.raises(ValidationFailed) as err:
        services.region_create(
            actor=operator, code=code, name="x", level=level, parent=regions[parent] if parent else None
        )
    assert field in err.value.fields
    assert Region.objects.count() == before


# -- calendar --------------------------------------------------------------------------------


def test_override_set_replace_delete(frozen_clock: FrozenClock, operator: Actor) -> None:
    saturday = D(2026, 3, 7)
    assert not working_calendar().is_working_day(saturday)
    services.calendar_override_set(actor=operator, day=saturday, is_working_day=True, note="调休")
    assert working_calendar().is_working_day(saturday)
    services.calendar_override_set(actor=operator, day=saturday, is_working_day=False, note="")
    assert not working_calendar().is_working_day(saturday)
    assert CalendarOverride.objects.count() == 1
    events = list(AuditEvent.objects.filter(action="rules.calendar_override.set").order_by("seq"))
    assert [e.data["previous"] for e in events] == [None, True]
    services.calendar_override_delete(actor=operator, day=saturday)
    assert not CalendarOverride.objects.exists()
    assert AuditEvent.objects.filter(action="rules.calendar_override.delete").count() == 1
    with pytest.raises(NotFound):
        services.calendar_override_delete(actor=operator, day=saturday)


def test_overrides_in_the_past_are_refused(frozen_clock: FrozenClock, operator: Actor) -> None:
    with pytest.raises(ValidationFailed) as err:
        services.calendar_override_set(actor=operator, day=D(2026, 3, 1), is_working_day=True)
    assert "day" in err.value.fields
    services.calendar_override_set(actor=operator, day=D(2026, 3, 2), is_working_day=False)  # today is fine
    frozen_clock.advance(dt.timedelta(days=1))
    with pytest.raises(ValidationFailed):
        services.calendar_override_delete(actor=operator, day=D(2026, 3, 2))
    assert CalendarOverride.objects.filter(day=D(2026, 3, 2)).exists()
