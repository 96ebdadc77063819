"""Fixtures for suppliers: Quzhou's regions and rules, an approved supplier, the actors."""

from __future__ import annotations

from typing import Any

import pytest

from zhengcai.accounts.selectors import actor_from_membership
from zhengcai.accounts.tests.factories import MembershipFactory, OrganisationFactory, make_actor
from zhengcai.core.actor import SYSTEM, Actor
from zhengcai.core.roles import OrgType
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
def supplier_org(regions: dict[str, Region]) -> Any:
    return SupplierOrgFactory(region=regions["330802"])


@pytest.fixture
def profile(supplier_org: Any) -> Any:
    return SupplierProfileFactory(organisation=supplier_org)


@pytest.fixture
def supplier(supplier_org: Any) -> Actor:
    membership = MembershipFactory(organisation=supplier_org, is_admin=True)
    return actor_from_membership(membership.user, membership)


@pytest.fixture
def operator(regions: dict[str, Region]) -> Actor:
    org = OrganisationFactory(org_type=OrgType.OPERATOR, region=regions["330000"], name="平台运营方")
    return make_actor(OrgType.OPERATOR, organisation=org)


@pytest.fixture
def purchaser(regions: dict[str, Region]) -> Actor:
    org = OrganisationFactory(org_type=OrgType.BUDGET_UNIT, region=regions["330802"], name="衢州第一中学")
    return make_actor(OrgType.BUDGET_UNIT, organisation=org)


@pytest.fixture
def other_supplier(regions: dict[str, Region]) -> Actor:
    org = SupplierOrgFactory(region=regions["330802"])
    SupplierProfileFactory(organisation=org)
    return make_actor(OrgType.SUPPLIER, organisation=org)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Uploaded documents are real files, written under the test's own directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


PDF = b"%PDF-1.4\n% test document\n"


def pdf_file(name: str = "licence.pdf", content: bytes = PDF) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")
