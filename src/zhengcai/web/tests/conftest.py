"""Fixtures for the web shell's tests: people of every role, logged in as a browser would be."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from zhengcai.accounts.models import Membership, Organisation, User
from zhengcai.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
    log_in_verified,
)
from zhengcai.core.roles import ROLE_FOR_ORG_TYPE, ROLES_REQUIRING_TOTP

ORG_TYPE_FOR_ROLE = {role: org_type for org_type, role in ROLE_FOR_ORG_TYPE.items()}


def log_in(client: Client, user: User) -> Client:
    """Log ``user`` in; regulators and operators also pass the TOTP step, as after a real login."""
    if Membership.objects.filter(user=user, role__in=ROLES_REQUIRING_TOTP).exists():
        return log_in_verified(client, user)
    client.force_login(user)
    return client


@pytest.fixture
def member_of() -> Callable[..., Membership]:
    """A new user who belongs to a new organisation of the type that gives ``role``."""

    def make(
        role: str, *, is_admin: bool = False, organisation: Organisation | None = None, **user: object
    ) -> Membership:
        region = RegionFactory(code="330802", name="柯城区")
        org = organisation or OrganisationFactory(org_type=ORG_TYPE_FOR_ROLE[role], region=region)
        return MembershipFactory(user=UserFactory(**user), organisation=org, role=role, is_admin=is_admin)

    return make


@pytest.fixture
def client_for(client: Client, member_of: Callable[..., Membership]) -> Callable[..., Client]:
    """A test client logged in as a new member with ``role``."""

    def make(role: str, **kwargs: object) -> Client:
        return log_in(client, member_of(role, **kwargs).user)

    return make


__all__ = ["ORG_TYPE_FOR_ROLE", "log_in"]
