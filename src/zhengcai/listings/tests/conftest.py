"""Fixtures for listings: Zhejiang/Quzhou regions and rules, the demo category tree, actors."""

from __future__ import annotations

from typing import Any

import pytest

from zhengcai.accounts.selectors import actor_from_membership
from zhengcai.accounts.tests.factories import MembershipFactory, OrganisationFactory, make_actor
from zhengcai.catalogue.services import catalogue_seed_defaults
from zhengcai.core.actor import SYSTEM, Actor
from zhengcai.core.roles import OrgType
from zhengcai.listings.demo import seed_categories
from zhengcai.listings.models import Category
from zhengcai.rules.models import Region, RegionLevel
from zhengcai.rules.services import rules_seed_defaults
from zhengcai.suppliers.tests.factories import SupplierOrgFactory, SupplierProfileFactory


@pytest.fixture
def regions(db: None) -> dict[str, Region]:
    zj, _ = Region.objects.get_or_create(code="330000", defaults={"name": "浙江省", "level": RegionLevel.PROVINCE})
    qz, _ = Region.objects.get_or_create(
        code="330800", defaults={"name": "衢州市", "level": RegionLevel.CITY, "parent": zj}
    )
    kc, _ = Region.objects.get_or_create(
        code="330802", defaults={"name": "柯城区", "level": RegionLevel.COUNTY, "parent": qz}
    )
    rules_seed_defaults(actor=SYSTEM)
    return {"330000": zj, "330800": qz, "330802": kc}


@pytest.fixture
def operator(regions: dict[str, Region]) -> Actor:
    org = OrganisationFactory(org_type=OrgType.OPERATOR, region=regions["330000"], name="平台运营方")
    return make_actor(OrgType.OPERATOR, organisation=org)


@pytest.fixture
def categories(operator: Actor) -> dict[str, Category]:
    catalogue_seed_defaults(actor=SYSTEM)  # transactional tests start from an emptied database
    seed_categories(actor=operator)
    return {c.code: c for c in Category.objects.all()}


@pytest.fixture
def supplier_org(regions: dict[str, Region]) -> Any:
    org = SupplierOrgFactory(region=regions["330802"])
    SupplierProfileFactory(organisation=org)
    return org


@pytest.fixture
def supplier(supplier_org: Any) -> Actor:
    membership = MembershipFactory(organisation=supplier_org, is_admin=True)
    return actor_from_membership(membership.user, membership)


@pytest.fixture
def other_supplier(regions: dict[str, Region]) -> Actor:
    org = SupplierOrgFactory(region=regions["330802"])
    SupplierProfileFactory(organisation=org)
    membership = MembershipFactory(organisation=org, is_admin=True)
    return actor_from_membership(membership.user, membership)


@pytest.fixture
def purchaser(regions: dict[str, Region]) -> Actor:
    org = OrganisationFactory(org_type=OrgType.BUDGET_UNIT, region=regions["330802"], name="衢州第一中学")
    return make_actor(OrgType.BUDGET_UNIT, organisation=org)
