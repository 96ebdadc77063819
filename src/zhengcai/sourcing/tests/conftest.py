# ruff: noqa: F811 - the plans fixtures are imported to be used here, by name
"""Fixtures for sourcing: the plans world (Quzhou unit, lines, regulator), a filed e-mall plan
above the direct-purchase limit (inquiry or auction), a leaf category and three suppliers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from zhengcai.accounts.tests.factories import make_actor
from zhengcai.catalogue.services import catalogue_seed_defaults
from zhengcai.core import clock
from zhengcai.core.actor import SYSTEM, Actor
from zhengcai.core.roles import OrgType
from zhengcai.listings.tests.factories import CategoryFactory
from zhengcai.plans.services import plan_file
from zhengcai.plans.tests.conftest import (  # noqa: F401 - fixtures re-used here
    draft,
    lines,
    other_regulator,
    other_unit_purchaser,
    purchaser,
    regions,
    regulator,
    unit,
)
from zhengcai.sourcing.inputs import ItemInput
from zhengcai.sourcing.services import sourcing_publish
from zhengcai.suppliers.tests.factories import SupplierProfileFactory


@pytest.fixture
def plan(purchaser: Actor, lines: dict[str, int]) -> Any:
    """A filed e-mall plan of 300,000.00 on the big line: inquiry or reverse auction."""
    catalogue_seed_defaults(actor=SYSTEM)  # transactional tests start from an emptied database
    p = draft(purchaser, lines["big"], qty="60")
    return plan_file(actor=purchaser, plan_id=p.pk)


@pytest.fixture
def category(db: None) -> Any:
    parent = CategoryFactory(code="computers", name="计算机设备")
    return CategoryFactory(code="computers-desktop", name="台式计算机", parent=parent)


def _supplier(name: str, regions: Any) -> Actor:
    profile = SupplierProfileFactory(organisation__name=name, organisation__region=regions["330802"])
    return make_actor(OrgType.SUPPLIER, organisation=profile.organisation)


@pytest.fixture
def s1(regions: Any) -> Actor:
    return _supplier("衢州办公用品有限公司", regions)


@pytest.fixture
def s2(regions: Any) -> Actor:
    return _supplier("浙江华越电脑科技有限公司", regions)


@pytest.fixture
def s3(regions: Any) -> Actor:
    return _supplier("衢州墨彩耗材有限公司", regions)


@pytest.fixture
def unsellable(regions: Any) -> Actor:
    profile = SupplierProfileFactory(organisation__region=regions["330802"], status="submitted")
    return make_actor(OrgType.SUPPLIER, organisation=profile.organisation)


ITEMS = [
    ItemInput("台式计算机", "i5 / 16GB / 512GB SSD", "40", "台"),
    ItemInput("显示器", "23.8 英寸 1920×1080", "40", "台"),
]


def publish(
    actor: Actor, plan: Any, category: Any, *, kind: str = "inquiry", ceiling: str = "280000", **kw: Any
) -> Any:
    now = clock.now()
    data: dict[str, Any] = {
        "kind": kind,
        "plan_id": plan.pk,
        "line_id": plan.fundings.first().budget_line_id,
        "title": "教师办公电脑询价" if kind == "inquiry" else "教师办公电脑竞价",
        "category_id": category.pk,
        "items": ITEMS,
        "ceiling": ceiling,
        "delivery_by": (now + dt.timedelta(days=30)).date(),
        "closes_at": now + (dt.timedelta(days=2) if kind == "inquiry" else dt.timedelta(hours=1)),
    }
    data.update(kw)
    return sourcing_publish(actor=actor, **data)
