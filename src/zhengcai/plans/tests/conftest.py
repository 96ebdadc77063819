"""Fixtures for plans: Quzhou's regions and rules, a budget unit with two lines, the actors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from zhengcai.accounts.selectors import actor_from_membership
from zhengcai.accounts.tests.factories import MembershipFactory, OrganisationFactory, make_actor
from zhengcai.budgets.services import budget_line_upsert
from zhengcai.core.actor import SYSTEM, Actor
from zhengcai.core.roles import OrgType
from zhengcai.plans.inputs import FundingInput, ItemInput
from zhengcai.plans.services import plan_create
from zhengcai.rules.models import Region, RegionLevel
from zhengcai.rules.services import rules_seed_defaults


@pytest.fixture
def regions(db: None) -> dict[str, Region]:
    zj, _ = Region.objects.get_or_create(code="330000", defaults={"name": "浙江省", "level": RegionLevel.PROVINCE})
    qz, _ = Region.objects.get_or_create(
        code="330800", defaults={"name": "衢州市", "level": RegionLevel.CITY, "parent": zj}
    )
    kc, _ = Region.objects.get_or_create(
        code="330802", defaults={"name": "柯城区", "level": RegionLevel.COUNTY, "parent": qz}
    )
    hz, _ = Region.objects.get_or_create(
        code="330100", defaults={"name": "杭州市", "level": RegionLevel.CITY, "parent": zj}
    )
    rules_seed_defaults(actor=SYSTEM)
    return {"330000": zj, "330800": qz, "330802": kc, "330100": hz}


@pytest.fixture
def unit(regions: dict[str, Region]) -> Any:
    return OrganisationFactory(org_type=OrgType.BUDGET_UNIT, region=regions["330802"], name="衢州第一中学")


@pytest.fixture
def purchaser(unit: Any) -> Actor:
    membership = MembershipFactory(organisation=unit, is_admin=True)
    return actor_from_membership(membership.user, membership)


@pytest.fixture
def regulator(regions: dict[str, Region]) -> Actor:
    org = OrganisationFactory(org_type=OrgType.REGULATOR, region=regions["330800"], name="衢州市财政局")
    return make_actor(OrgType.REGULATOR, organisation=org)


@pytest.fixture
def other_regulator(regions: dict[str, Region]) -> Actor:
    org = OrganisationFactory(org_type=OrgType.REGULATOR, region=regions["330100"], name="杭州市财政局")
    return make_actor(OrgType.REGULATOR, organisation=org)


@pytest.fixture
def other_unit_purchaser(regions: dict[str, Region]) -> Actor:
    org = OrganisationFactory(org_type=OrgType.BUDGET_UNIT, region=regions["330802"], name="衢州市人民医院")
    return make_actor(OrgType.BUDGET_UNIT, organisation=org)


def make_line(actor: Actor, unit: Any, amount: str, ext: str, year: int = 2026) -> int:
    line, _ = budget_line_upsert(
        actor=actor,
        data={
            "fiscal_year": year,
            "budget_unit": unit.credit_code,
            "functional_code": "2050203",
            "economic_code": "31002",
            "fund_source": "general",
            "project_name": f"设备购置 {ext}",
            "amount": amount,
            "external_id": ext,
            "source_system": "test",
        },
    )
    return line.pk


@pytest.fixture
def lines(frozen_clock: Any, purchaser: Actor, regulator: Actor, unit: Any) -> dict[str, int]:
    # Lines are loaded by the unit's finance bureau (the Quzhou regulator), never by the unit.
    return {
        "big": make_line(regulator, unit, "3000000.00", "L1"),
        "small": make_line(regulator, unit, "100000.00", "L2"),
    }


def items(code: str = "A02010105", qty: str = "10", price: str = "5000") -> list[ItemInput]:
    return [ItemInput(catalogue_code=code, description="教学用台式计算机", quantity=qty, unit="台", unit_price=price)]


def draft(
    actor: Actor,
    line_id: int,
    *,
    code: str = "A02010105",
    qty: str = "10",
    price: str = "5000",
    amount: str | None = None,
    method: str = "",
    form: str = "decentralised",
) -> Any:
    try:
        total: Any = Decimal(qty) * Decimal(price)
    except ArithmeticError:
        total = "1"
    return plan_create(
        actor=actor,
        title="计算机教室设备",
        fiscal_year=2026,
        organisation_form=form,
        required_by=dt.date(2026, 9, 1),
        items=items(code, qty, price),
        fundings=[FundingInput(line_id=line_id, amount=amount or str(total))],
        chosen_method=method,
    )
