"""The suppliers API: own profile, documents, submission; the operator's decisions."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from zhengcai.accounts.models import User
from zhengcai.accounts.tests.factories import log_in_verified
from zhengcai.core.actor import Actor
from zhengcai.suppliers.states import SupplierStatus
from zhengcai.suppliers.tests.conftest import pdf_file

pytestmark = pytest.mark.django_db

BASE = "/api/v1/suppliers"


def _client(actor: Actor) -> Client:
    return log_in_verified(Client(), User.objects.get(pk=actor.user_id))


@pytest.fixture
def draft(profile: Any) -> Any:
    profile.status = SupplierStatus.DRAFT
    profile.save()
    return profile


def test_supplier_completes_and_submits(draft: Any, supplier: Actor, frozen_clock: Any) -> None:
    client = _client(supplier)
    me = client.get(f"{BASE}/me")
    assert me.status_code == 200
    assert me.json()["status"] == "draft"
    patched = client.patch(f"{BASE}/me", {"contact_name": "张三"}, content_type="application/json")
    assert patched.status_code == 200
    assert patched.json()["contact_name"] == "张三"
    bad = client.patch(f"{BASE}/me", {"size": "micro", "sme_declared": False}, content_type="application/json")
    assert bad.status_code == 400
    assert "sme_declared" in bad.json()["error"]["fields"]
    refused = client.post(f"{BASE}/me/submit")
    assert refused.status_code == 400
    assert "documents" in refused.json()["error"]["fields"]
    upload = client.post(
        f"{BASE}/me/qualifications",
        {"kind": "business_licence", "expires_on": "2030-01-01", "document": pdf_file()},
    )
    assert upload.status_code == 201, upload.content
    assert upload.json()["required"]
    assert len(upload.json()["sha256"]) == 64
    fake = client.post(f"{BASE}/me/qualifications", {"kind": "other", "document": pdf_file("a.png")})
    assert fake.status_code == 400
    submitted = client.post(f"{BASE}/me/submit")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"


def test_operator_decides(draft: Any, supplier: Actor, operator: Actor, frozen_clock: Any) -> None:
    draft.status = SupplierStatus.SUBMITTED
    draft.save()
    client = _client(operator)
    listed = client.get(f"{BASE}/", {"status": "submitted"})
    assert [p["id"] for p in listed.json()] == [draft.pk]
    returned = client.post(f"{BASE}/{draft.pk}/return", {"comment": ""}, content_type="application/json")
    assert returned.status_code == 400
    returned = client.post(f"{BASE}/{draft.pk}/return", {"comment": "补充材料"}, content_type="application/json")
    assert returned.json()["status"] == "returned"
    draft.status = SupplierStatus.APPROVED
    draft.save()
    suspended = client.post(f"{BASE}/{draft.pk}/suspend", {"reason": "投诉"}, content_type="application/json")
    assert suspended.json()["status"] == "suspended"
    assert not suspended.json()["may_sell"]
    back = client.post(f"{BASE}/{draft.pk}/reinstate", {}, content_type="application/json")
    assert back.json()["status"] == "approved"
    assert back.json()["may_sell"]
    penalty = client.post(
        f"{BASE}/{draft.pk}/credit-penalty", {"until": "2026-05-01", "reason": "失信"}, content_type="application/json"
    )
    assert penalty.json()["status"] == "suspended"
    assert penalty.json()["credit_penalty_until"] == "2026-05-01"


def test_roles_are_enforced(draft: Any, supplier: Actor, purchaser: Actor, other_supplier: Actor) -> None:
    assert _client(purchaser).get(f"{BASE}/me").status_code == 404
    # The list answers everyone, but only with what each may read (see test_privacy).
    assert draft.pk not in [p["id"] for p in _client(purchaser).get(f"{BASE}/").json()]
    hidden = _client(other_supplier).get(f"{BASE}/{draft.pk}")
    missing = _client(other_supplier).get(f"{BASE}/999999")
    assert hidden.status_code == missing.status_code == 404
    own = _client(supplier).post(f"{BASE}/{draft.pk}/approve", {}, content_type="application/json")
    assert own.status_code == 404
    assert Client().get(f"{BASE}/me").status_code == 401
