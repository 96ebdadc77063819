"""Reads of supplier profiles (供应商), with visibility built in.

``supplier_may_sell`` / ``sellable_supplier_ids`` are what the e-mall apps ask before a
supplier lists or sells: approved, not suspended, no credit penalty in force, and every
required document (the business licence always) valid.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from zhengcai.accounts.permissions import region_prefix
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotFound
from zhengcai.core.roles import Role
from zhengcai.rules.models import Region
from zhengcai.rules.selectors import RuleSetMissing, ruleset_for
from zhengcai.suppliers.models import Qualification, SupplierProfile
from zhengcai.suppliers.states import QualificationKind, SupplierStatus

# The operator reviews every supplier; a regulator supervises those of its region; a
# supplier reads its own profile. Everyone else sees only the public fields of admitted ones.
_PUBLIC_STATUSES = (SupplierStatus.APPROVED, SupplierStatus.SUSPENDED)
DEFAULT_WARNING_DAYS = 30


def _required_q() -> Q:
    return Q(kind=QualificationKind.BUSINESS_LICENCE) | Q(required=True)


def valid_q(on: dt.date) -> Q:
    return Q(expires_on__isnull=True) | Q(expires_on__gte=on)


def _lapsed_required(on: dt.date) -> QuerySet[Qualification]:
    """Required documents of ``OuterRef("pk")`` that expired with no valid one of the same kind."""
    renewed = Qualification.objects.filter(supplier=OuterRef("supplier"), kind=OuterRef("kind")).filter(valid_q(on))
    return (
        Qualification.objects.filter(supplier=OuterRef("pk"), expires_on__lt=on)
        .filter(_required_q())
        .exclude(Exists(renewed))
    )


def has_lapsed_required(on: dt.date) -> Exists:
    """A filter for profiles with a required document lapsed on ``on``."""
    return Exists(_lapsed_required(on))


def _sellable_profiles(on: dt.date) -> QuerySet[SupplierProfile]:
    return (
        SupplierProfile.objects.filter(status=SupplierStatus.APPROVED, organisation__is_active=True)
        .filter(Q(credit_penalty_until__isnull=True) | Q(credit_penalty_until__lt=on))
        .exclude(Exists(_lapsed_required(on)))
    )


def sellable_supplier_ids(*, on: dt.date | None = None) -> QuerySet[Any]:
    """Organisation ids of every supplier that may list and sell on ``on`` (default today).

    A values-list queryset, usable as ``filter(supplier_id__in=sellable_supplier_ids())``.
    """
    return _sellable_profiles(on or clock.today()).values_list("organisation_id", flat=True)


def supplier_may_sell(organisation_id: int, *, on: dt.date | None = None) -> bool:
    """May this organisation list and sell in the e-mall on ``on`` (default today)?"""
    return _sellable_profiles(on or clock.today()).filter(organisation_id=organisation_id).exists()


def why_may_not_sell(organisation_id: int, *, on: dt.date | None = None) -> list[str]:
    """The reasons (stable codes) the supplier may not sell; empty when it may.

    Codes: ``no_profile``, ``not_approved``, ``suspended``, ``inactive``, ``credit_penalty``,
    ``document_expired``.
    """
    on = on or clock.today()
    profile = SupplierProfile.objects.select_related("organisation").filter(organisation_id=organisation_id).first()
    if profile is None:
        return ["no_profile"]
    reasons = []
    if profile.status == SupplierStatus.SUSPENDED:
        reasons.append("suspended")
    elif profile.status != SupplierStatus.APPROVED:
        reasons.append("not_approved")
    if not profile.organisation.is_active:
        reasons.append("inactive")
    if profile.credit_penalty_until is not None and profile.credit_penalty_until >= on:
        reasons.append("credit_penalty")
    if SupplierProfile.objects.filter(pk=profile.pk).filter(Exists(_lapsed_required(on))).exists():
        reasons.append("document_expired")
    return reasons


def lapsed_documents(profile: SupplierProfile, *, on: dt.date | None = None) -> list[Qualification]:
    """Required documents that have expired with no valid one of the same kind."""
    on = on or clock.today()
    docs = list(profile.qualifications.all())
    valid_kinds = {d.kind for d in docs if d.expires_on is None or d.expires_on >= on}
    return [
        d
        for d in docs
        if (d.required or d.kind == QualificationKind.BUSINESS_LICENCE)
        and d.expires_on is not None
        and d.expires_on < on
        and d.kind not in valid_kinds
    ]


def supplier_size(organisation_id: int) -> str | None:
    """The enterprise size (``EnterpriseSize`` value) or None without a profile."""
    return SupplierProfile.objects.filter(organisation_id=organisation_id).values_list("size", flat=True).first()


def supplier_is_sme(organisation_id: int) -> bool:
    """A small or medium enterprise with a signed SME declaration (中小企业声明函)?"""
    profile = SupplierProfile.objects.filter(organisation_id=organisation_id).first()
    return profile is not None and profile.is_sme


def supplier_rating(organisation_id: int) -> float | None:
    """The average rating in stars (1-5), None before the first one."""
    row = SupplierProfile.objects.filter(organisation_id=organisation_id).values("rating_sum", "rating_count").first()
    return _average(row["rating_sum"], row["rating_count"]) if row else None


def profile_rating(profile: SupplierProfile) -> float | None:
    """``supplier_rating`` of a profile already loaded (no query: lists call it per row)."""
    return _average(profile.rating_sum, profile.rating_count)


def _average(total: int, count: int) -> float | None:
    return round(total / count, 1) if count else None


# -- visibility ---------------------------------------------------------------------------------


def profiles_visible(actor: Actor) -> QuerySet[SupplierProfile]:
    """Profiles the actor may read in full (bank account, contacts, documents, review notes).

    The operator reads every profile, a regulator those of its region, a supplier its own;
    nobody else reads a full profile (see ``public_profiles`` for what everyone may see).
    """
    qs = SupplierProfile.objects.select_related("organisation", "organisation__region")
    if _operates(actor):
        return qs
    if actor.has_role(Role.REGULATOR):
        prefix = region_prefix(actor.region_code)
        return qs.filter(organisation__region__code__startswith=prefix) if prefix else qs.none()
    if actor.has_role(Role.SUPPLIER) and actor.organisation_id:
        return qs.filter(organisation_id=actor.organisation_id)
    return qs.none()


def public_profiles() -> QuerySet[SupplierProfile]:
    """Admitted suppliers (approved or suspended): what any signed-in user may know of them,
    through their public fields only (name, credit code, region, size/SME, rating, status)."""
    return SupplierProfile.objects.select_related("organisation", "organisation__region").filter(
        status__in=_PUBLIC_STATUSES
    )


def profile_read(*, actor: Actor, pk: int) -> tuple[SupplierProfile, bool]:
    """The profile and whether the actor may read it in full; NotFound if it may not see it at all."""
    profile = profiles_visible(actor).filter(pk=pk).first()
    if profile is not None:
        return profile, True
    profile = public_profiles().filter(pk=pk).first()
    if profile is None:
        raise NotFound()
    return profile, False


def profiles_readable(*, actor: Actor) -> QuerySet[SupplierProfile]:
    """Every profile the actor may see in full or in public: ``profiles_visible`` plus the admitted."""
    return SupplierProfile.objects.select_related("organisation", "organisation__region").filter(
        Q(pk__in=profiles_visible(actor).values("pk")) | Q(status__in=_PUBLIC_STATUSES)
    )


def _operates(actor: Actor) -> bool:
    return actor.has_role(Role.OPERATOR) or (actor.is_system and actor.organisation_id is None)


def supplier_profile_get(*, actor: Actor, organisation_id: int) -> SupplierProfile:
    """The supplier's profile if the actor may see it; NotFound otherwise (missing or not visible)."""
    profile = profiles_visible(actor).filter(organisation_id=organisation_id).first()
    if profile is None:
        raise NotFound()
    return profile


def profile_get_by_pk(*, actor: Actor, pk: int) -> SupplierProfile:
    profile = profiles_visible(actor).filter(pk=pk).first()
    if profile is None:
        raise NotFound()
    return profile


def own_profile(*, actor: Actor) -> SupplierProfile | None:
    """The acting supplier's own profile (None for other roles or before registration)."""
    if not actor.has_role(Role.SUPPLIER) or not actor.organisation_id:
        return None
    return SupplierProfile.objects.select_related("organisation").filter(organisation_id=actor.organisation_id).first()


def review_queue(
    *, actor: Actor, status: str = "", region_code: str = "", size: str = "", q: str = ""
) -> QuerySet[SupplierProfile]:
    """Profiles, filtered, longest waiting first: every profile for the operator (its review
    queue); for anyone else those of ``profiles_readable`` (most only in public)."""
    qs = profiles_visible(actor) if _operates(actor) else profiles_readable(actor=actor)
    if status:
        qs = qs.filter(status=status)
    if region_code:
        qs = qs.filter(organisation__region__code__startswith=region_code)
    if size:
        qs = qs.filter(size=size)
    if q.strip():
        qs = qs.filter(Q(organisation__name__icontains=q.strip()) | Q(organisation__credit_code__icontains=q.strip()))
    return qs.annotate(new_document=_new_document_q()).order_by("submitted_at", "pk")


def _new_document_q() -> Exists:
    """For profiles: a document uploaded since the suspension (a renewal for the operator to check)."""
    return Exists(
        Qualification.objects.filter(
            supplier=OuterRef("pk"),
            supplier__status=SupplierStatus.SUSPENDED,
            uploaded_at__gte=OuterRef("suspended_at"),
        )
    )


def documents_since_suspension(profile: SupplierProfile) -> list[Qualification]:
    """Documents a suspended supplier uploaded after it was suspended (newest first)."""
    if profile.status != SupplierStatus.SUSPENDED or profile.suspended_at is None:
        return []
    return list(profile.qualifications.filter(uploaded_at__gte=profile.suspended_at).order_by("-uploaded_at", "-pk"))


def reinstatement_blockers(profile: SupplierProfile, *, on: dt.date | None = None) -> list[str]:
    """Why a suspended supplier cannot be reinstated yet (codes ``credit_penalty``, ``document_expired``)."""
    on = on or clock.today()
    reasons = []
    if profile.credit_penalty_until is not None and profile.credit_penalty_until >= on:
        reasons.append("credit_penalty")
    if lapsed_documents(profile, on=on):
        reasons.append("document_expired")
    return reasons


def waiting_days(profile: SupplierProfile, *, today: dt.date | None = None) -> int | None:
    """Calendar days the profile has been waiting for review (None unless submitted)."""
    if profile.status != SupplierStatus.SUBMITTED or profile.submitted_at is None:
        return None
    today = today or clock.today()
    return max((today - timezone.localtime(profile.submitted_at).date()).days, 0)


def _region_warning_days(region: Region | None, on: dt.date) -> int:
    try:
        values = ruleset_for(region=region, on=on).rule_values
    except RuleSetMissing:
        return DEFAULT_WARNING_DAYS
    return int(values.mall_qualification_warning_days)


def warning_days(profile: SupplierProfile, *, on: dt.date | None = None) -> int:
    """How many days before expiry documents are flagged (rule ``mall_qualification_warning_days``)."""
    return _region_warning_days(profile.organisation.region, on or clock.today())


def documents_due_for_warning(*, on: dt.date) -> QuerySet[Qualification]:
    """Documents of approved or suspended suppliers, not yet warned of, that expire within
    their region's warning period (one rule look-up per region, one query for the documents)."""
    unwarned = Qualification.objects.filter(
        expiry_warned_at__isnull=True,
        expires_on__gte=on,
        supplier__status__in=_PUBLIC_STATUSES,
    ).exclude(_superseded_q())
    region_ids = set(unwarned.values_list("supplier__organisation__region_id", flat=True).distinct())
    if not region_ids:
        return Qualification.objects.none()
    due = Q()
    for region in Region.objects.filter(pk__in=region_ids):
        limit = on + dt.timedelta(days=_region_warning_days(region, on))
        due |= Q(supplier__organisation__region_id=region.pk, expires_on__lte=limit)
    return (
        unwarned.filter(due)
        .select_related("supplier", "supplier__organisation", "supplier__organisation__region")
        .order_by("expires_on", "pk")
    )


def _superseded(doc: Qualification, docs: list[Qualification]) -> bool:
    """Another document of the same kind outlives this one (a renewal was uploaded)."""
    assert doc.expires_on is not None
    return any(
        d.pk != doc.pk and d.kind == doc.kind and (d.expires_on is None or d.expires_on > doc.expires_on) for d in docs
    )


def _superseded_q() -> Exists:
    """For ``Qualification`` rows: a renewal of the same kind outlives this document."""
    return Exists(
        Qualification.objects.filter(supplier=OuterRef("supplier"), kind=OuterRef("kind"))
        .exclude(pk=OuterRef("pk"))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")))
    )


def expiring_documents(profile: SupplierProfile, *, on: dt.date | None = None) -> list[Qualification]:
    """Documents still valid that expire within the warning period and have no renewal yet."""
    on = on or clock.today()
    limit = on + dt.timedelta(days=warning_days(profile, on=on))
    docs = list(profile.qualifications.all())
    return [d for d in docs if d.expires_on is not None and on <= d.expires_on <= limit and not _superseded(d, docs)]


def document_superseded(doc: Qualification) -> bool:
    """Has this document been replaced by one of the same kind that outlives it?"""
    return doc.expires_on is not None and _superseded(doc, list(doc.supplier.qualifications.all()))


def qualification_get(*, actor: Actor, pk: int) -> Qualification:
    """A document for download: its supplier's own people, the operator and the regulator only."""
    qs = Qualification.objects.select_related("supplier")
    if not (actor.is_system or actor.has_role(Role.OPERATOR, Role.REGULATOR, Role.SUPPLIER)):
        raise NotFound()
    doc = qs.filter(pk=pk, supplier__in=profiles_visible(actor)).first()
    if doc is None:
        raise NotFound()
    return doc


def status_counts(*, actor: Actor) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in review_queue(actor=actor).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts
