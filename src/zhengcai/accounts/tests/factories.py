"""Factories for people and organisations, shared by every app's tests."""

from __future__ import annotations

import itertools
from typing import Any

import factory
from django.utils import timezone

from zhengcai.accounts.models import Membership, Organisation, User
from zhengcai.accounts.selectors import actor_from_membership
from zhengcai.core.actor import Actor
from zhengcai.core.creditcode import make_code
from zhengcai.core.roles import ROLE_FOR_ORG_TYPE, OrgType
from zhengcai.rules.models import Region, RegionLevel

_codes = itertools.count(1)


def credit_code() -> str:
    return make_code("91", "330802", f"{next(_codes):08d}"[:8] + "X")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "330802"
    name = "柯城区"
    level = RegionLevel.COUNTY


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试单位{n}")
    org_type = OrgType.BUDGET_UNIT
    credit_code = factory.LazyFunction(credit_code)
    region = factory.SubFactory(RegionFactory)
    created_at = factory.LazyFunction(timezone.now)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.django.Password("correct-horse-battery-staple")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = factory.LazyAttribute(lambda m: ROLE_FOR_ORG_TYPE[m.organisation.org_type])
    created_at = factory.LazyFunction(timezone.now)


def make_actor(
    org_type: str = OrgType.BUDGET_UNIT, *, organisation: Organisation | None = None, **user_kwargs: object
) -> Actor:
    """A user with one membership in a (new or given) organisation, as an Actor."""
    org = organisation or OrganisationFactory(org_type=org_type)
    membership = MembershipFactory(organisation=org, user=UserFactory(**user_kwargs))
    return actor_from_membership(membership.user, membership)


def log_in_verified(client: Any, user: User) -> Any:
    """Log ``user`` in on a test client as after the full login, TOTP step included.

    Regulators and operators cannot reach any page before the TOTP step; this gives them a
    confirmed device and marks the session verified, as ``accounts:totp_verify`` does.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
