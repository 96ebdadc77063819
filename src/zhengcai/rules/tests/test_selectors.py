"""Which rule set applies where and when; stamping; visibility; the calendar with overrides."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from zhengcai.core.actor import SYSTEM, Actor
from zhengcai.core.clock import FrozenClock
from zhengcai.core.errors import NotFound
from zhengcai.core.roles import OrgType
from zhengcai.rules import selectors, services
from zhengcai.rules.defaults import national_2022, zhejiang
from zhengcai.rules.models import CalendarOverride, RuleSet, RuleSetImmutableError
from zhengcai.rules.selectors import RuleSetMissing, ruleset_for, ruleset_stamp
from zhengcai.rules.values import days

pytestmark = pytest.mark.django_db
D = dt.date


def test_nothing_in_force_raises(regions) -> None:
    with pytest.raises(RuleSetMissing):
        ruleset_for(region=regions["330802"], on=D(2026, 3, 1))
    with pytest.raises(RuleSetMissing):
        ruleset_for(region=None, on=D(2026, 3, 1))


def test_most_specific_region_wins(frozen_clock: FrozenClock, regions, operator: Actor) -> None:
    services.rules_seed_defaults(actor=SYSTEM)
    values = national_2022().model_copy(update={"mall_direct_purchase_limit": Decimal(300000)})
    city = services.ruleset_create(
        actor=operator, region=regions["330800"], effective_from=D(2026, 4, 1), values=values, version_label="衢州 2026"
    )
    kecheng, quzhou, zj, js = regions["330802"], regions["330800"], regions["330000"], regions["320000"]
    # Before the city version: the province's.
    assert ruleset_for(region=kecheng, on=D(2026, 3, 31)).version_label == "浙江 2022"
    # From its date: the city's, for the city and the county under it; not for the province.
    assert ruleset_for(region=kecheng, on=D(2026, 4, 1)) == city
    assert ruleset_for(region=quzhou, on=D(2026, 4, 1)) == city
    assert ruleset_for(region=zj, on=D(2026, 4, 1)).version_label == "浙江 2022"
    assert ruleset_for(region=js, on=D(2026, 4, 1)).version_label == "全国 2022"
    assert ruleset_for(region=None, on=D(2026, 4, 1)).version_label == "全国 2022"
    # Before any seeded version: nothing in force.
    with pytest.raises(RuleSetMissing):
        ruleset_for(region=kecheng, on=D(2020, 12, 31))
    assert ruleset_for(region=kecheng, on=D(2021, 1, 1)).version_label == "浙江 2021"


def test_a_process_keeps_the_version_it_started_under(frozen_clock: FrozenClock, regions, operator: Actor) -> None:
    """A process stores ruleset_stamp(...) in its RuleStamped FK; later versions do not touch it."""
    services.rules_seed_defaults(actor=SYSTEM)
    kecheng = regions["330802"]
    started = ruleset_stamp(region=kecheng, at=frozen_clock.now())
    assert started.version_label == "浙江 2022"
    stored_pk, stored_values = started.pk, started.values

    newer = zhejiang(national_2022()).model_copy(update={"open_tender_bidding_period": days(25)})
    services.ruleset_create(
        actor=operator, region=regions["330000"], effective_from=D(2026, 3, 10), values=newer, version_label="浙江 2026"
    )
    frozen_clock.advance(dt.timedelta(days=30))
    # A process starting now gets the new version ...
    assert ruleset_stamp(region=kecheng, at=frozen_clock.now()).version_label == "浙江 2026"
    assert ruleset_stamp(region=kecheng, at=frozen_clock.now()).rule_values.open_tender_bidding_period.n == 25
    # ... the one that started earlier still reads its own, unchanged and unchangeable.
    kept = RuleSet.objects.get(pk=stored_pk)
    assert kept.values == stored_values
    assert kept.rule_values.open_tender_bidding_period.n == 20
    assert ruleset_stamp(region=kecheng, at=D(2026, 3, 2)).pk == stored_pk
    with pytest.raises(RuleSetImmutableError):
        kept.save()


def test_stamp_reads_datetimes_in_shanghai(frozen_clock: FrozenClock, regions, operator: Actor) -> None:
    services.rules_seed_defaults(actor=SYSTEM)
    services.ruleset_create(
        actor=operator, region=None, effective_from=D(2026, 3, 3), values=national_2022(), version_label="全国 2026"
    )
    # 16:30 UTC on 2 March is 00:30 on 3 March in Shanghai.
    late = dt.datetime(2026, 3, 2, 16, 30, tzinfo=dt.UTC)
    assert ruleset_stamp(region=regions["320000"], at=late).version_label == "全国 2026"
    early = dt.datetime(2026, 3, 2, 23, 0, tzinfo=timezone.get_fixed_timezone(8 * 60))
    assert ruleset_stamp(region=regions["320000"], at=early).version_label == "全国 2022"


@pytest.mark.parametrize(
    ("org_type", "sees"),
    [(t, t in {OrgType.OPERATOR, OrgType.REGULATOR}) for t in OrgType.values],
)
def test_visibility(frozen_clock: FrozenClock, actors, org_type: str, sees: bool) -> None:
    services.rules_seed_defaults(actor=SYSTEM)
    actor = actors[org_type]
    visible = list(selectors.rulesets_visible(actor))
    assert len(visible) == (4 if sees else 0)
    pk = RuleSet.objects.first().pk
    if sees:
        assert selectors.ruleset_get(actor=actor, pk=pk).pk == pk
        assert visible[0].region_id is None  # national first
    else:
        with pytest.raises(NotFound):
            selectors.ruleset_get(actor=actor, pk=pk)
    with pytest.raises(NotFound):
        selectors.ruleset_get(actor=actor, pk=999999)


def test_in_force_today(frozen_clock: FrozenClock, regions, operator: Actor) -> None:
    services.rules_seed_defaults(actor=SYSTEM)
    future = services.ruleset_create(
        actor=operator, region=None, effective_from=D(2026, 5, 1), values=national_2022(), version_label="全国 2026"
    )
    in_force = selectors.rulesets_in_force(actor=operator)
    labels = set(RuleSet.objects.filter(pk__in=in_force).values_list("version_label", flat=True))
    assert labels == {"全国 2022", "浙江 2022"}
    assert future.pk in selectors.rulesets_in_force(actor=operator, on=D(2026, 5, 1))


def test_working_calendar_carries_overrides(frozen_clock: FrozenClock, operator: Actor, actors) -> None:
    services.calendar_override_set(actor=operator, day=D(2027, 1, 1), is_working_day=False, note="元旦")
    cal = selectors.working_calendar()
    assert not cal.is_working_day(D(2027, 1, 1))  # a Friday, outside the package's years
    assert cal.overrides == {D(2027, 1, 1): False}
    supplier = actors[OrgType.SUPPLIER]
    assert list(selectors.calendar_overrides(actor=supplier, year=2027)) == list(CalendarOverride.objects.all())
    assert not selectors.calendar_overrides(actor=supplier, year=2026).exists()
    anonymous = Actor(user_id=None, username="anonymous")
    assert not selectors.calendar_overrides(actor=anonymous).exists()


def test_region_by_code(regions) -> None:
    assert selectors.region_by_code("330802") == regions["330802"]
    with pytest.raises(NotFound):
        selectors.region_by_code("999999")


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_national_uniqueness_is_enforced_by_the_database(regions) -> None:
    from django.db import IntegrityError, transaction

    data = national_2022().model_dump(mode="json")
    common = {"values": data, "created_by_label": "t", "created_at": timezone.now(), "version_label": "x"}
    RuleSet.objects.create(region=None, effective_from=D(2030, 1, 1), **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        RuleSet.objects.create(region=None, effective_from=D(2030, 1, 1), **common)
    RuleSet.objects.create(region=regions["330000"], effective_from=D(2030, 1, 1), **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        RuleSet.objects.create(region=regions["330000"], effective_from=D(2030, 1, 1), **common)
