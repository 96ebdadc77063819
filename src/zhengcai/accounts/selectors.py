"""Reads for accounts, with visibility built in."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhengcai.accounts.models import Membership, Organisation, User
from zhengcai.accounts.permissions import organisation_policy, region_prefix
from zhengcai.core.actor import Actor
from zhengcai.core.roles import ROLE_FOR_ORG_TYPE, ROLES_REQUIRING_TOTP

SESSION_MEMBERSHIP_KEY = "zhengcai_membership_id"

ANONYMOUS = Actor(user_id=None, username="anonymous")


def memberships_for_user(user: User) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation", "organisation__region")
        .order_by("organisation__name", "role")
    )


def default_membership(memberships: list[Membership]) -> Membership | None:
    """The membership a session acts under until the person switches: an administrator role
    first (that is where people manage things), then the oldest; pk breaks ties, so the
    choice never depends on names or query order."""
    if not memberships:
        return None
    return min(memberships, key=lambda m: (not m.is_admin, m.created_at, m.pk))


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


def is_otp_verified(request: HttpRequest) -> bool:
    """Whether this session passed the second step (django-otp's OTPMiddleware sets is_verified)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


def actor_for_request(request: HttpRequest) -> Actor:
    user = request.user
    if not user.is_authenticated:
        return ANONYMOUS
    assert isinstance(user, User)
    memberships = memberships_for_user(user)
    if any(m.role in ROLES_REQUIRING_TOTP for m in memberships) and not is_otp_verified(request):
        # Until the second step is passed the person acts for no organisation, so nothing
        # reachable without the TOTP page (the API, say) grants a regulator's or operator's powers.
        return Actor(user_id=user.pk, username=user.username)
    chosen_id = request.session.get(SESSION_MEMBERSHIP_KEY)
    current = next((m for m in memberships if m.pk == chosen_id), None)
    if current is None:
        current = default_membership(memberships)
    return actor_from_membership(user, current)


def requires_totp(user: User) -> bool:
    """Whether this person must pass the second step (any active role in ROLES_REQUIRING_TOTP)."""
    return Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True, role__in=ROLES_REQUIRING_TOTP
    ).exists()


def has_confirmed_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()


def organisations_visible(
    actor: Actor,
    *,
    q: str = "",
    org_type: str = "",
    region_code: str = "",
    active: bool | None = None,
) -> QuerySet[Organisation]:
    """The organisations ``actor`` may see, filtered by name/credit-code text, type and region subtree."""
    qs = organisation_policy.visible(actor, Organisation.objects.select_related("region"))
    if q:
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(credit_code__iexact=q.strip()))
    if org_type:
        qs = qs.filter(org_type=org_type)
    if region_code:
        prefix = region_prefix(region_code)
        qs = qs.filter(region__code__startswith=prefix) if prefix else qs.none()
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.annotate(member_count=Count("memberships", filter=Q(memberships__is_active=True))).order_by("name")


def organisation_get(actor: Actor, organisation_id: int) -> Organisation:
    """One organisation the actor may see; missing and not visible both raise NotFound."""
    return organisation_policy.get_visible(actor, Organisation.objects.select_related("region"), pk=organisation_id)


def organisation_members(actor: Actor, organisation_id: int) -> list[Membership]:
    """The active members of an organisation the actor may see."""
    org = organisation_get(actor, organisation_id)
    return list(
        Membership.objects.filter(organisation=org, is_active=True).select_related("user").order_by("user__username")
    )


def user_memberships(user: User) -> list[Membership]:
    """All of a person's memberships, active or not, for their own profile page."""
    return list(Membership.objects.filter(user=user).select_related("organisation", "organisation__region"))


def role_for_organisation(org: Organisation) -> str:
    """The one role an organisation's type gives its members."""
    return ROLE_FOR_ORG_TYPE[org.org_type]
