"""Fixtures for the rules tests: the region tree of Quzhou and actors of every role."""

from __future__ import annotations

import pytest

from zhengcai.accounts.tests.factories import make_actor
from zhengcai.core.actor import Actor
from zhengcai.core.roles import OrgType
from zhengcai.rules.models import Region, RegionLevel


@pytest.fixture
def regions(db: None) -> dict[str, Region]:
    zj, _ = Region.objects.get_or_create(code="330000", defaults={"name": "浙江省", "level": RegionLevel.PROVINCE})
    qz, _ = Region.objects.get_or_create(
        code="330800", defaults={"name": "衢州市", "level": RegionLevel.CITY, "parent": zj}
    )
    kc, _ = Region.objects.get_or_create(
        code="330802", defaults={"name": "柯城区", "level": RegionLevel.COUNTY, "parent": qz}
    )
    if kc.parent_id is None:  # created bare by the accounts factory
        kc.parent = qz
        kc.save()
    js, _ = Region.objects.get_or_create(code="320000", defaults={"name": "江苏省", "level": RegionLevel.PROVINCE})
    return {"330000": zj, "330800": qz, "330802": kc, "320000": js}


@pytest.fixture
def actors(regions: dict[str, Region]) -> dict[str, Actor]:
    return {org_type: make_actor(org_type) for org_type in OrgType.values}


@pytest.fixture
def operator(actors: dict[str, Actor]) -> Actor:
    return actors[OrgType.OPERATOR]


@pytest.fixture
def client_for(regions: dict[str, Region]):
    """A logged-in test client for a new member of a new organisation of ``org_type``."""
    from django.test import Client

    from zhengcai.accounts.tests.factories import MembershipFactory, OrganisationFactory, log_in_verified

    def make(org_type: str) -> Client:
        membership = MembershipFactory(organisation=OrganisationFactory(org_type=org_type, region=regions["330802"]))
        client = Client()
        if org_type in (OrgType.REGULATOR, OrgType.OPERATOR):
            return log_in_verified(client, membership.user)
        client.force_login(membership.user)
        return client

    return make
