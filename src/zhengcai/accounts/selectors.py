"""Reads for accounts, with visibility built in."""

from __future__ import annotations

from django.http import HttpRequest

from zhengcai.accounts.models import Membership, User
from zhengcai.core.actor import Actor

SESSION_MEMBERSHIP_KEY = "zhengcai_membership_id"

ANONYMOUS = Actor(user_id=None, username="anonymous")


def memberships_for_user(user: User) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation", "organisation__region")
        .order_by("organisation__name", "role")
    )


def actor_from_membership(user: User, membership: Membership | None) -> Actor:
    if membership is None:
        return Actor(user_id=user.pk, username=user.username)
    org = membership.organisation
    return Actor(
        user_id=user.pk,
        username=user.username,
        organisation_id=org.pk,
        organisation_name=org.name,
        org_type=org.org_type,
        role=membership.role,
        region_code=org.region.code,
        membership_id=membership.pk,
        is_org_admin=membership.is_admin,
    )


def actor_for_request(request: HttpRequest) -> Actor:
    user = request.user
    if not user.is_authenticated:
        return ANONYMOUS
    assert isinstance(user, User)
    memberships = memberships_for_user(user)
    chosen_id = request.session.get(SESSION_MEMBERSHIP_KEY)
    current = next((m for m in memberships if m.pk == chosen_id), None)
    if current is None and memberships:
        current = memberships[0]
    return actor_from_membership(user, current)
