"""Fixtures for the API tests: organisations with an admin and a plain member, tokens."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from zhengcai.accounts.models import Membership, Organisation, User
from zhengcai.accounts.selectors import actor_from_membership
from zhengcai.accounts.tests.factories import MembershipFactory, OrganisationFactory
from zhengcai.api.services import token_create
from zhengcai.core.actor import Actor
from zhengcai.core.roles import OrgType


@dataclass
class Org:
    organisation: Organisation
    admin: User
    admin_actor: Actor
    member: User
    member_actor: Actor


def make_org(org_type: str = OrgType.BUDGET_UNIT) -> Org:
    org = OrganisationFactory(org_type=org_type)
    admin_m: Membership = MembershipFactory(organisation=org, is_admin=True)
    member_m: Membership = MembershipFactory(organisation=org)
    return Org(
        organisation=org,
        admin=admin_m.user,
        admin_actor=actor_from_membership(admin_m.user, admin_m),
        member=member_m.user,
        member_actor=actor_from_membership(member_m.user, member_m),
    )


@pytest.fixture
def org(db: None) -> Org:
    return make_org()


@pytest.fixture
def other_org(db: None) -> Org:
    return make_org(OrgType.SUPPLIER)


@pytest.fixture
def token_secret(org: Org) -> str:
    _, secret = token_create(actor=org.admin_actor, name="budget sync")
    return secret


@pytest.fixture
def admin_client(org: Org) -> Client:
    client = Client()
    client.force_login(org.admin)
    return client


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
