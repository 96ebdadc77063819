"""Fixtures for the budgets tests: Quzhou's regions and rule sets, a budget unit with its
people, a regulator, outsiders, and lines loaded through the real services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from zhengcai.accounts.models import Organisation
from zhengcai.accounts.selectors import actor_from_membership
from zhengcai.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory, make_actor
from zhengcai.budgets import services
from zhengcai.budgets.models import BudgetLine
from zhengcai.core.actor import SYSTEM, Actor
from zhengcai.core.clock import FrozenClock
from zhengcai.core.roles import OrgType
from zhengcai.rules.models import Region, RegionLevel
from zhengcai.rules.services import rules_seed_defaults


def _region(code: str, name: str, level: str, parent: Region | None) -> Region:
    region, _ = Region.objects.get_or_create(code=code, defaults={"name": name, "level": level, "parent": parent})
    if region.parent_id is None and parent is not None:
        region.parent = parent
        region.save()
    return region


@dataclass
class World:
    regions: dict[str, Region]
    unit: Organisation
    admin: Actor  # the unit's administrator (approves payments)
    clerk: Actor  # another purchaser of the unit (asks for payments)
    other_unit: Organisation
    other: Actor  # a purchaser of another unit in the same county
    regulator: Actor  # finance bureau of the city (330800)
    regulator_token: Actor  # the city finance bureau's system token
    far_regulator: Actor  # finance bureau of another province
    operator: Actor
    supplier: Actor
    line_data: Callable[..., dict[str, Any]]
    make_line: Callable[..., BudgetLine]


def actor_in(org: Organisation, *, admin: bool = False) -> Actor:
    membership = MembershipFactory(organisation=org, user=UserFactory(), is_admin=admin)
    return actor_from_membership(membership.user, membership)


def token_of(actor: Actor) -> Actor:
    return Actor(
        user_id=None,
        username="token:budget-system",
        organisation_id=actor.organisation_id,
        organisation_name=actor.organisation_name,
        org_type=actor.org_type,
        role=actor.role,
        region_code=actor.region_code,
        is_system=True,
    )


@pytest.fixture
def world(db: None, frozen_clock: FrozenClock) -> World:
    zj = _region("330000", "浙江省", RegionLevel.PROVINCE, None)
    qz = _region("330800", "衢州市", RegionLevel.CITY, zj)
    kc = _region("330802", "柯城区", RegionLevel.COUNTY, qz)
    js = _region("320000", "江苏省", RegionLevel.PROVINCE, None)
    rules_seed_defaults(actor=SYSTEM)
    unit = OrganisationFactory(name="衢州第一中学", org_type=OrgType.BUDGET_UNIT, region=kc)
    other_unit = OrganisationFactory(name="柯城区卫生健康局", org_type=OrgType.BUDGET_UNIT, region=kc)
    regulator = actor_in(OrganisationFactory(name="衢州市财政局", org_type=OrgType.REGULATOR, region=qz))
    far = actor_in(OrganisationFactory(name="江苏省财政厅", org_type=OrgType.REGULATOR, region=js))
    operator = make_actor(OrgType.OPERATOR)
    supplier = make_actor(OrgType.SUPPLIER)
    counter = iter(range(1, 10_000))

    def line_data(**overrides: Any) -> dict[str, Any]:
        data = {
            "external_id": f"YS-{next(counter)}",
            "source_system": "一体化系统",
            "fiscal_year": 2026,
            "budget_unit": unit.credit_code,
            "functional_code": "2050203",
            "economic_code": "31002",
            "fund_source": "general",
            "project_code": "XM-1",
            "project_name": "教学设备购置",
            "amount": Decimal("1000000.00"),
        }
        data.update(overrides)
        return data

    admin = actor_in(unit, admin=True)

    bureau_token = token_of(regulator)

    def make_line(amount: Decimal | str = "1000000.00", **overrides: Any) -> BudgetLine:
        # Lines come from the unit's finance bureau (its budget system's token), never the unit.
        line, created = services.budget_line_upsert(
            actor=bureau_token, data=line_data(amount=Decimal(amount), **overrides)
        )
        assert created
        return line

    return World(
        regions={"330000": zj, "330800": qz, "330802": kc, "320000": js},
        unit=unit,
        admin=admin,
        clerk=actor_in(unit),
        other_unit=other_unit,
        other=actor_in(other_unit, admin=True),
        regulator=regulator,
        regulator_token=bureau_token,
        far_regulator=far,
        operator=operator,
        supplier=supplier,
        line_data=line_data,
        make_line=make_line,
    )


def snapshot(line: BudgetLine) -> tuple[Decimal, ...]:
    line.refresh_from_db()
    return (line.allocated, line.reserved, line.committed, line.paid, Decimal(line.entries.count()))
