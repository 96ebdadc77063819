"""The selectors the e-mall apps rely on: may this supplier sell, is it an SME."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from zhengcai.core.actor import SYSTEM, Actor
from zhengcai.core.errors import NotFound, NotPermitted, ValidationFailed
from zhengcai.suppliers import selectors, services
from zhengcai.suppliers.models import Qualification
from zhengcai.suppliers.states import EnterpriseSize, QualificationKind, SupplierStatus

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


def _doc(
    profile: Any, kind: str = QualificationKind.BUSINESS_LICENCE, expires: dt.date | None = None, **kw: Any
) -> Any:
    return Qualification.objects.create(
        supplier=profile,
        kind=kind,
        title="营业执照",
        document=ContentFile(b"%PDF-1.4 test", name="licence.pdf"),
        sha256="0" * 64,
        expires_on=expires,
        uploaded_at=timezone.now(),
        **kw,
    )


def test_approved_supplier_may_sell(profile: Any) -> None:
    org_id = profile.organisation_id
    assert selectors.supplier_may_sell(org_id, on=TODAY)
    assert org_id in set(selectors.sellable_supplier_ids(on=TODAY))
    services.require_may_sell(org_id, on=TODAY)


@pytest.mark.parametrize("status", [SupplierStatus.DRAFT, SupplierStatus.SUBMITTED, SupplierStatus.SUSPENDED])
def test_not_approved_may_not_sell(profile: Any, status: str) -> None:
    profile.status = status
    profile.save()
    assert not selectors.supplier_may_sell(profile.organisation_id, on=TODAY)
    assert profile.organisation_id not in set(selectors.sellable_supplier_ids(on=TODAY))
    with pytest.raises(NotPermitted) as exc:
        services.require_may_sell(profile.organisation_id, on=TODAY)
    assert exc.value.code == "supplier_may_not_sell"


def test_credit_penalty_bars_until_its_end(profile: Any) -> None:
    profile.credit_penalty_until = TODAY
    profile.save()
    assert not selectors.supplier_may_sell(profile.organisation_id, on=TODAY)
    assert selectors.why_may_not_sell(profile.organisation_id, on=TODAY) == ["credit_penalty"]
    assert selectors.supplier_may_sell(profile.organisation_id, on=TODAY + dt.timedelta(days=1))


def test_expired_licence_bars_until_renewed(profile: Any) -> None:
    _doc(profile, expires=TODAY - dt.timedelta(days=1))
    assert not selectors.supplier_may_sell(profile.organisation_id, on=TODAY)
    assert selectors.why_may_not_sell(profile.organisation_id, on=TODAY) == ["document_expired"]
    _doc(profile, expires=TODAY + dt.timedelta(days=365))
    assert selectors.supplier_may_sell(profile.organisation_id, on=TODAY)


def test_expired_optional_document_does_not_bar(profile: Any) -> None:
    _doc(profile, kind=QualificationKind.CERTIFICATION, expires=TODAY - dt.timedelta(days=1))
    assert selectors.supplier_may_sell(profile.organisation_id, on=TODAY)
    _doc(profile, kind=QualificationKind.INDUSTRY_PERMIT, expires=TODAY - dt.timedelta(days=1), required=True)
    assert not selectors.supplier_may_sell(profile.organisation_id, on=TODAY)


def test_inactive_organisation_may_not_sell(profile: Any) -> None:
    profile.organisation.is_active = False
    profile.organisation.save()
    assert not selectors.supplier_may_sell(profile.organisation_id, on=TODAY)


def test_unknown_organisation(db: None) -> None:
    assert not selectors.supplier_may_sell(999999)
    assert selectors.supplier_size(999999) is None
    assert not selectors.supplier_is_sme(999999)
    with pytest.raises(NotPermitted):
        services.require_may_sell(999999)


def test_size_and_sme(profile: Any) -> None:
    assert selectors.supplier_size(profile.organisation_id) == EnterpriseSize.SMALL
    assert selectors.supplier_is_sme(profile.organisation_id)
    profile.size = EnterpriseSize.LARGE
    profile.save()
    assert not selectors.supplier_is_sme(profile.organisation_id)


def test_profile_visibility(
    profile: Any, supplier: Actor, other_supplier: Actor, operator: Actor, purchaser: Actor
) -> None:
    org_id = profile.organisation_id
    assert selectors.supplier_profile_get(actor=supplier, organisation_id=org_id) == profile
    assert selectors.supplier_profile_get(actor=operator, organisation_id=org_id) == profile
    # Buyers and other suppliers never read a full profile (bank account, contacts, notes):
    # only the public fields of admitted suppliers, through ``public_profiles``/``profile_read``.
    for outsider in (purchaser, other_supplier):
        with pytest.raises(NotFound):
            selectors.supplier_profile_get(actor=outsider, organisation_id=org_id)
        assert selectors.profile_read(actor=outsider, pk=profile.pk) == (profile, False)
    assert selectors.profile_read(actor=supplier, pk=profile.pk) == (profile, True)
    profile.status = SupplierStatus.DRAFT
    profile.save()
    assert not selectors.public_profiles().filter(pk=profile.pk).exists()
    with pytest.raises(NotFound):
        selectors.profile_read(actor=purchaser, pk=profile.pk)


def test_rating_add(profile: Any, purchaser: Actor, supplier: Actor) -> None:
    services.supplier_rating_add(actor=purchaser, organisation_id=profile.organisation_id, stars=4)
    services.supplier_rating_add(actor=SYSTEM, organisation_id=profile.organisation_id, stars=5)
    assert selectors.supplier_rating(profile.organisation_id) == 4.5
    with pytest.raises(ValidationFailed):
        services.supplier_rating_add(actor=purchaser, organisation_id=profile.organisation_id, stars=6)
    with pytest.raises(NotPermitted):
        services.supplier_rating_add(actor=supplier, organisation_id=profile.organisation_id, stars=5)
    with pytest.raises(NotFound):
        services.supplier_rating_add(actor=purchaser, organisation_id=999999, stars=3)
    profile.refresh_from_db()
    assert (profile.rating_sum, profile.rating_count) == (9, 2)
