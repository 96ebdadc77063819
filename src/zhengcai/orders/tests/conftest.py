"""Fixtures for orders: the plans world (Quzhou unit, lines, regulator), a filed mall plan,
two approved suppliers with listings and their staff."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zhengcai.accounts.tests.factories import make_actor
from zhengcai.catalogue.services import catalogue_seed_defaults
from zhengcai.core.actor import SYSTEM, Actor
from zhengcai.core.roles import OrgType
from zhengcai.listings.tests.factories import ListingFactory
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
from zhengcai.suppliers.tests.factories import SupplierProfileFactory


@pytest.fixture
def plan(purchaser: Actor, lines: dict[str, int]) -> Any:  # noqa: F811
    """A filed e-mall plan of 50,000.00 on the big line."""
    catalogue_seed_defaults(actor=SYSTEM)  # transactional tests start from an emptied database
    p = draft(purchaser, lines["big"])
    return plan_file(actor=purchaser, plan_id=p.pk)


@pytest.fixture
def sup1(regions: Any) -> Any:  # noqa: F811
    return SupplierProfileFactory(organisation__name="衢州办公用品有限公司", organisation__region=regions["330802"])


@pytest.fixture
def sup2(regions: Any) -> Any:  # noqa: F811
    return SupplierProfileFactory(
        organisation__name="杭州数码科技有限公司", organisation__region=regions["330100"], size="large"
    )


@pytest.fixture
def supplier1(sup1: Any) -> Actor:
    return make_actor(OrgType.SUPPLIER, organisation=sup1.organisation)


@pytest.fixture
def supplier2(sup2: Any) -> Actor:
    return make_actor(OrgType.SUPPLIER, organisation=sup2.organisation)


@pytest.fixture
def paper(sup1: Any) -> Any:
    return ListingFactory(
        supplier=sup1.organisation,
        title="得力A4复印纸",
        price=Decimal("25.00"),
        reference_price=Decimal("29.90"),
        stock=100,
    )


@pytest.fixture
def pc(sup2: Any) -> Any:
    return ListingFactory(
        supplier=sup2.organisation,
        title="联想台式计算机",
        brand="联想",
        price=Decimal("4800.00"),
        reference_price=Decimal("5200.00"),
        stock=5,
    )
