"""An admitted supplier's life: renewals after a suspension, reinstatement requests and
refusals, contact and bank account changes, duplicate and expired documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from zhengcai.accounts.models import User
from zhengcai.accounts.selectors import actor_from_membership
from zhengcai.accounts.tests.factories import MembershipFactory, log_in_verified
from zhengcai.audit.models import AuditEvent
from zhengcai.core.actor import Actor
from zhengcai.core.errors import Conflict, InvalidTransition, NotPermitted, ValidationFailed
from zhengcai.notify.models import OutboxMessage
from zhengcai.suppliers import selectors, services
from zhengcai.suppliers.inputs import DocumentInput
from zhengcai.suppliers.models import SupplierProfile
from zhengcai.suppliers.states import QualificationKind, SupplierStatus
from zhengcai.suppliers.tests.conftest import PDF, pdf_file

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)
BASE = "/api/v1/suppliers"


def _client(actor: Actor) -> Client:
    return log_in_verified(Client(), User.objects.get(pk=actor.user_id))


def _licence(expires_on: dt.date, content: bytes = PDF, **kw: Any) -> DocumentInput:
    return DocumentInput(
        kind=QualificationKind.BUSINESS_LICENCE,
        title=kw.get("title", "营业执照"),
        expires_on=expires_on,
        document=pdf_file(content=content),
    )


@pytest.fixture
def lapsed(profile: SupplierProfile, supplier: Actor, frozen_clock: Any) -> SupplierProfile:
    """Suspended by the sweep: its only licence expired."""
    services.qualification_add(actor=supplier, data=_licence(TODAY + dt.timedelta(days=5)))
    frozen_clock.advance(dt.timedelta(days=6))
    assert services.qualification_sweep()["suspended"] == 1
    profile.refresh_from_db()
    assert profile.status == SupplierStatus.SUSPENDED
    return profile


# -- the suspended supplier's way back (QA 6, 18) ----------------------------------------------


def test_renewal_then_request_then_reinstatement(lapsed: SupplierProfile, supplier: Actor, operator: Actor) -> None:
    old = lapsed.qualifications.get()
    with pytest.raises(Conflict):  # nothing renewed yet
        services.supplier_reinstatement_request(actor=supplier)
    with pytest.raises(InvalidTransition):  # the lapse must not vanish with its evidence
        services.qualification_delete(actor=supplier, qualification_id=old.pk)
    services.qualification_add(
        actor=supplier, data=_licence(dt.date(2036, 1, 1), content=PDF + b"renewed", title="营业执照（换发）")
    )
    queue = {p.pk: p for p in selectors.review_queue(actor=operator, status=SupplierStatus.SUSPENDED)}
    assert queue[lapsed.pk].new_document
    services.supplier_reinstatement_request(actor=supplier)
    with pytest.raises(Conflict):  # once is enough
        services.supplier_reinstatement_request(actor=supplier)
    assert AuditEvent.objects.filter(action="suppliers.profile.reinstatement_request").count() == 1
    assert OutboxMessage.objects.filter(
        recipient_id=operator.user_id, source_key__contains="reinstatement-request"
    ).exists()
    services.qualification_delete(actor=supplier, qualification_id=old.pk)  # now replaced: may go
    services.supplier_reinstate(actor=operator, profile_id=lapsed.pk)
    lapsed.refresh_from_db()
    assert lapsed.status == SupplierStatus.APPROVED
    assert lapsed.reinstatement_requested_at is None
    assert selectors.supplier_may_sell(lapsed.organisation_id)


def test_suspended_pages_show_the_way_back(lapsed: SupplierProfile, supplier: Actor, operator: Actor) -> None:
    client = _client(supplier)
    page = client.get(reverse("suppliers:profile")).content.decode()
    assert 'data-testid="reinstatement-request"' not in page
    assert 'data-testid="reinstatement-obstacles"' in page
    client.post(
        reverse("suppliers:document_add"),
        {"kind": "business_licence", "expires_on": "2036-01-01", "document": pdf_file(content=PDF + b"new")},
    )
    page = client.get(reverse("suppliers:profile")).content.decode()
    assert 'data-testid="reinstatement-request"' in page
    assert 'data-testid="lapsed-warning"' not in page
    old = lapsed.qualifications.order_by("pk").first()
    assert reverse("suppliers:document_delete", args=[old.pk]) in page
    staff = _client(operator)
    tab = staff.get(reverse("suppliers:review_queue"), {"status": "suspended"}).content.decode()
    assert 'data-testid="review-new-document"' in tab
    assert (
        'data-testid="new-documents"'
        in staff.get(reverse("suppliers:review_detail", args=[lapsed.pk])).content.decode()
    )
    assert client.post(reverse("suppliers:reinstatement_request")).status_code == 302
    assert 'data-testid="reinstatement-requested"' in client.get(reverse("suppliers:profile")).content.decode()
    tab = staff.get(reverse("suppliers:review_queue"), {"status": "suspended"}).content.decode()
    assert 'data-testid="review-reinstatement-requested"' in tab


def test_stale_expiry_warning_disappears_once_renewed(
    profile: SupplierProfile, supplier: Actor, frozen_clock: Any
) -> None:
    services.qualification_add(actor=supplier, data=_licence(TODAY + dt.timedelta(days=10)))
    assert len(selectors.expiring_documents(profile)) == 1
    services.qualification_add(actor=supplier, data=_licence(dt.date(2036, 1, 1), content=PDF + b"renewed"))
    assert selectors.expiring_documents(profile) == []
    assert services.qualification_sweep() == {"warned": 0, "suspended": 0}
    page = _client(supplier).get(reverse("suppliers:profile")).content.decode()
    assert 'data-testid="expiry-warning"' not in page


def test_no_reinstatement_during_a_credit_penalty(
    profile: SupplierProfile, supplier: Actor, operator: Actor, frozen_clock: Any
) -> None:
    until = TODAY + dt.timedelta(days=90)
    services.supplier_credit_penalty(actor=operator, profile_id=profile.pk, until=until, reason="严重违法失信")
    with translation.override("en"), pytest.raises(Conflict) as refused:
        services.supplier_reinstate(actor=operator, profile_id=profile.pk)
    with translation.override("en"):
        message = str(refused.value.message)
    assert message.startswith("Reinstatement refused:")
    assert until.isoformat() in message
    with pytest.raises(Conflict):
        services.supplier_reinstatement_request(actor=supplier)
    staff = _client(operator)
    page = staff.get(reverse("suppliers:review_detail", args=[profile.pk])).content.decode()
    assert 'data-testid="review-reinstate"' not in page
    assert 'data-testid="reinstate-barred"' in page
    posted = staff.post(reverse("suppliers:review_detail", args=[profile.pk]), {"action": "reinstate"})
    assert posted.status_code == 400
    assert "恢复被拒绝" in posted.content.decode()


# -- changes once admitted (QA 7) --------------------------------------------------------------


def test_contacts_change_directly(profile: SupplierProfile, supplier: Actor) -> None:
    response = _client(supplier).patch(
        f"{BASE}/me", {"contact_name": "张三", "contact_phone": "13911112222"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["contact_name"] == "张三"
    assert AuditEvent.objects.filter(action="suppliers.profile.update").exists()
    assert not OutboxMessage.objects.filter(source_key__contains="bank-change").exists()


def test_bank_account_change_is_audited_and_announced(
    profile: SupplierProfile, supplier: Actor, operator: Actor
) -> None:
    colleague = actor_from_membership(*_member(profile))
    with pytest.raises(NotPermitted):
        services.supplier_profile_update(actor=colleague, changes={"bank_account": "6222000011112222"})
    services.supplier_profile_update(actor=supplier, changes={"bank_account": "6222 0000 1111 2222"})
    profile.refresh_from_db()
    assert profile.bank_account == "6222000011112222"
    event = AuditEvent.objects.get(action="suppliers.profile.bank_change")
    assert event.data["old"].endswith("1209000000000000000")
    assert event.data["new"].endswith("6222000011112222")
    assert OutboxMessage.objects.filter(recipient_id=operator.user_id, source_key__contains="bank-change").exists()
    assert OutboxMessage.objects.filter(recipient_id=colleague.user_id, source_key__contains="bank-change").exists()


def _member(profile: SupplierProfile) -> tuple[Any, Any]:
    membership = MembershipFactory(organisation=profile.organisation, is_admin=False)
    return membership.user, membership


def test_approved_data_stays_as_reviewed(profile: SupplierProfile, supplier: Actor) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.supplier_profile_update(actor=supplier, changes={"legal_representative": "李四", "size": "large"})
    assert set(refused.value.fields) == {"legal_representative", "size"}
    # Sending an unchanged value is not a change.
    services.supplier_profile_update(actor=supplier, changes={"legal_representative": "王建国"})


def test_edit_page_offers_contacts_and_bank_account(profile: SupplierProfile, supplier: Actor) -> None:
    client = _client(supplier)
    assert 'data-testid="profile-edit"' in client.get(reverse("suppliers:profile")).content.decode()
    form = client.get(reverse("suppliers:profile_edit")).content.decode()
    assert 'name="bank_account"' in form
    assert 'name="legal_representative"' not in form
    saved = client.post(
        reverse("suppliers:profile_edit"),
        {
            "contact_name": "张三",
            "contact_phone": "13911112222",
            "contact_email": "",
            "address": "衢州市柯城区",
            "bank_name": "中国银行衢州分行",
            "bank_account": "6222000011113333",
        },
    )
    assert saved.status_code == 302
    profile.refresh_from_db()
    assert (profile.contact_name, profile.bank_account) == ("张三", "6222000011113333")


# -- documents (QA 19, 26) -----------------------------------------------------------------------


def test_identical_file_is_refused(profile: SupplierProfile, supplier: Actor, frozen_clock: Any) -> None:
    services.qualification_add(actor=supplier, data=_licence(dt.date(2030, 1, 1)))
    with pytest.raises(ValidationFailed) as refused:
        services.qualification_add(actor=supplier, data=_licence(dt.date(2031, 1, 1)))
    assert "document" in refused.value.fields
    assert profile.qualifications.count() == 1


def test_api_deletes_a_document(profile: SupplierProfile, supplier: Actor, frozen_clock: Any) -> None:
    client = _client(supplier)
    valid = services.qualification_add(actor=supplier, data=_licence(dt.date(2030, 1, 1)))
    kept = client.delete(f"{BASE}/me/qualifications/{valid.pk}")
    assert kept.status_code == 409  # approved: a valid document stays
    profile.status = SupplierStatus.RETURNED
    profile.save()
    assert client.delete(f"{BASE}/me/qualifications/{valid.pk}").status_code == 204
    assert client.delete(f"{BASE}/me/qualifications/{valid.pk}").status_code == 404


# -- transition errors in words (QA 23) ----------------------------------------------------------


def test_transition_errors_name_the_action(profile: SupplierProfile, operator: Actor) -> None:
    with translation.override("en"), pytest.raises(InvalidTransition) as refused:
        services.supplier_approve(actor=operator, profile_id=profile.pk)
    with translation.override("en"):
        message = str(refused.value.message)
    assert "approve the supplier registration" in message
    assert "“approve”" not in message
