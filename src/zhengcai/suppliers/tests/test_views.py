"""The supplier pages: registration, own profile, documents, the operator's review queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhengcai.accounts.models import User
from zhengcai.accounts.tests.factories import log_in_verified
from zhengcai.core.actor import Actor
from zhengcai.core.creditcode import make_code
from zhengcai.suppliers.models import SupplierProfile
from zhengcai.suppliers.states import SupplierStatus
from zhengcai.suppliers.tests.conftest import pdf_file

pytestmark = pytest.mark.django_db

FORM = {
    "name": "衢州市新锐办公设备有限公司",
    "credit_code": make_code("91", "330802", "MA2TX0002"),
    "region_code": "330802",
    "legal_representative": "周新锐",
    "contact_name": "周新锐",
    "contact_phone": "13900000043",
    "bank_name": "中国农业银行衢州分行",
    "bank_account": "19700000000000043",
    "business_scope": "办公设备销售",
    "size": "small",
    "sme_declared": "on",
    "username": "xinrui",
    "display_name": "周新锐",
    "password": "Quzhou-supplier-2026",
}


def _client(actor: Actor) -> Client:
    return log_in_verified(Client(), User.objects.get(pk=actor.user_id))


def test_register_page_is_public_and_shows_the_declaration(regions: Any) -> None:
    response = Client().get(reverse("suppliers:register"))
    assert response.status_code == 200
    assert b'data-testid="sme-text"' in response.content


def test_register_then_complete_and_submit(regions: Any) -> None:
    client = Client()
    response = client.post(reverse("suppliers:register"), FORM)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    profile = SupplierProfile.objects.get(organisation__credit_code=FORM["credit_code"])
    client.force_login(User.objects.get(username="xinrui"))
    page = client.get(reverse("suppliers:profile"))
    assert page.status_code == 200
    assert b'data-testid="document-form"' in page.content
    client.post(
        reverse("suppliers:document_add"),
        {"kind": "business_licence", "expires_on": "2099-01-01", "document": pdf_file()},
    )
    assert profile.qualifications.count() == 1
    client.post(reverse("suppliers:profile_edit"), {**FORM, "address": "荷花中路 1 号"})
    profile.refresh_from_db()
    assert profile.address == "荷花中路 1 号"
    client.post(reverse("suppliers:submit"))
    profile.refresh_from_db()
    assert profile.status == SupplierStatus.SUBMITTED
    doc = profile.qualifications.get()
    download = client.get(reverse("suppliers:document", args=[doc.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_register_errors_are_shown_and_nothing_is_written(regions: Any) -> None:
    response = Client().post(reverse("suppliers:register"), {**FORM, "sme_declared": "", "password": "123"})
    assert response.status_code == 400
    assert b"is-invalid" in response.content
    assert not SupplierProfile.objects.exists()


def test_bad_upload_is_reported(profile: Any, supplier: Actor) -> None:
    client = _client(supplier)
    response = client.post(
        reverse("suppliers:document_add"),
        {"kind": "business_licence", "document": pdf_file("x.pdf", b"MZ not a pdf")},
        follow=True,
    )
    assert response.status_code == 200
    assert not profile.qualifications.exists()


def test_pages_by_role(profile: Any, supplier: Actor, operator: Actor, purchaser: Actor) -> None:
    assert _client(purchaser).get(reverse("suppliers:profile")).status_code == 404
    assert _client(purchaser).get(reverse("suppliers:review_queue")).status_code == 404
    assert _client(supplier).get(reverse("suppliers:review_queue")).status_code == 404
    assert _client(supplier).get(reverse("suppliers:review_detail", args=[profile.pk])).status_code == 404
    assert _client(operator).get(reverse("suppliers:profile")).status_code == 404


def test_other_suppliers_documents_are_hidden(profile: Any, supplier: Actor, other_supplier: Actor) -> None:
    client = _client(supplier)
    client.post(reverse("suppliers:document_add"), {"kind": "certification", "document": pdf_file()})
    doc = profile.qualifications.get()
    assert _client(other_supplier).get(reverse("suppliers:document", args=[doc.pk])).status_code == 404


def test_operator_reviews(profile: Any, operator: Actor, frozen_clock: Any) -> None:
    profile.status = SupplierStatus.SUBMITTED
    profile.submitted_at = frozen_clock.now() - dt.timedelta(days=4)
    profile.save()
    client = _client(operator)
    queue = client.get(reverse("suppliers:review_queue"))
    assert queue.status_code == 200
    assert profile.organisation.name in queue.content.decode()
    assert b'data-testid="review-waited">4<' in queue.content
    assert (
        client.get(reverse("suppliers:review_queue"), {"size": "large"}).content.count(b'data-testid="review-row"') == 0
    )
    detail = reverse("suppliers:review_detail", args=[profile.pk])
    assert client.get(detail).status_code == 200
    refused = client.post(detail, {"action": "return", "comment": ""})
    assert refused.status_code == 400
    client.post(detail, {"action": "return", "comment": "请补充行业许可证"})
    profile.refresh_from_db()
    assert profile.status == SupplierStatus.RETURNED
    profile.status = SupplierStatus.SUBMITTED
    profile.save()
    # A submitted profile without a licence document cannot be approved.
    assert client.post(detail, {"action": "approve"}).status_code == 400
    profile.status = SupplierStatus.APPROVED
    profile.save()
    client.post(detail, {"action": "credit_penalty", "until": "2026-06-01", "comment": "失信记录"})
    profile.refresh_from_db()
    assert profile.status == SupplierStatus.SUSPENDED
    assert b'data-testid="suspended-reason"' in client.get(detail).content


def test_supplier_without_profile_is_led_to_start_one(supplier_org: Any, supplier: Actor) -> None:
    client = _client(supplier)
    response = client.get(reverse("suppliers:profile"))
    assert response.status_code == 302
    assert response["Location"] == reverse("suppliers:profile_edit")
    assert b'data-testid="profile-start"' in client.get(reverse("suppliers:profile_edit")).content
    client.post(reverse("suppliers:profile_edit"), FORM)
    assert SupplierProfile.objects.get(organisation=supplier_org).status == SupplierStatus.DRAFT


def test_password_rules_are_explained_in_chinese(regions: Any) -> None:
    """Django 5.2's "too short" wording has no Chinese in Django's own catalogue; ours has it."""
    response = Client().post(reverse("suppliers:register"), {**FORM, "password": "Qz-26a"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "密码太短，至少需要 8 个字符。" in page
    assert "This password is too short" not in page
