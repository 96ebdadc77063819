"""The budget pages and the API, through the test client."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from zhengcai.accounts.models import User
from zhengcai.accounts.tests.factories import log_in_verified
from zhengcai.budgets import payments
from zhengcai.budgets.demo import budgets_seed_demo
from zhengcai.budgets.models import BudgetLine, PaymentRequest
from zhengcai.budgets.tests.conftest import World
from zhengcai.budgets.tests.helpers import accepted_commitment
from zhengcai.core.actor import SYSTEM, Actor


def client_of(actor: Actor, *, verified: bool = False) -> Client:
    client = Client()
    user = User.objects.get(pk=actor.user_id)
    if verified:
        return log_in_verified(client, user)
    client.force_login(user)
    return client


def test_purchaser_pages(world: World) -> None:
    line = world.make_line("5000.00")
    c = client_of(world.admin)
    page = c.get(reverse("budgets:lines"))
    assert page.status_code == 200
    assert "教学设备购置" in page.content.decode()
    assert c.get(reverse("budgets:line_detail", args=[line.pk])).status_code == 200
    assert c.get(reverse("budgets:lines_export")).status_code == 200
    assert c.get(reverse("budgets:figures")).status_code == 200
    assert c.get(reverse("budgets:payments")).status_code == 200
    assert c.get(reverse("budgets:import_template", args=["xlsx"])).status_code == 200
    assert c.get(reverse("budgets:import_template", args=["csv"])).status_code == 200
    r = c.post(reverse("budgets:line_adjust", args=[line.pk]), {"kind": "up", "amount": "1000", "reason": "追加"})
    assert r.status_code == 404  # the unit uses its lines; only its finance bureau sees the adjust page
    bureau = client_of(world.regulator, verified=True)
    r = bureau.post(reverse("budgets:line_adjust", args=[line.pk]), {"kind": "down", "amount": "9999", "reason": "x"})
    assert r.status_code == 400
    r = bureau.post(reverse("budgets:line_adjust", args=[line.pk]), {"kind": "up", "amount": "1000", "reason": "追加"})
    assert r.status_code == 302
    line.refresh_from_db()
    assert line.allocated == Decimal("6000.00")


def test_import_page_shows_the_report(world: World) -> None:
    c = client_of(world.regulator, verified=True)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("l.csv", "年度,金额\n2026,-1\n".encode())
    r = c.post(reverse("budgets:import"), {"file": bad})
    assert r.status_code == 400
    assert 'data-testid="import-errors"' in r.content.decode()
    assert not BudgetLine.objects.exists()


def test_payment_pages(world: World) -> None:
    commitment = accepted_commitment(world)
    clerk = client_of(world.clerk)
    r = clerk.post(reverse("budgets:payment_create", args=[commitment.pk]), {"amount": "400"})
    assert r.status_code == 302
    payment = PaymentRequest.objects.get()
    assert clerk.post(reverse("budgets:payment_action", args=[payment.pk, "submit"])).status_code == 302
    admin = client_of(world.admin)
    assert admin.post(reverse("budgets:payment_action", args=[payment.pk, "approve"])).status_code == 302
    r = admin.post(reverse("budgets:payment_action", args=[payment.pk, "pay"]), {"voucher_no": "PZ-1"})
    assert r.status_code == 302
    payment.refresh_from_db()
    assert payment.status == "paid"
    assert admin.get(reverse("budgets:payment_detail", args=[payment.pk])).status_code == 200
    assert admin.get(reverse("budgets:payments_export")).status_code == 200


@pytest.mark.parametrize("who", ["other", "operator", "supplier", "far_regulator"])
def test_outsiders_get_not_found(world: World, who: str) -> None:
    line = world.make_line()
    actor = getattr(world, who)
    c = client_of(actor, verified=who in ("operator", "far_regulator"))
    assert c.get(reverse("budgets:line_detail", args=[line.pk])).status_code == 404
    r = c.post(reverse("budgets:line_adjust", args=[line.pk]), {"kind": "up", "amount": "1", "reason": "x"})
    assert r.status_code == 404
    line.refresh_from_db()
    assert line.allocated == Decimal("1000000.00")


def test_regulator_reads_region_and_overdue(world: World, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    c0 = accepted_commitment(world)
    frozen_clock.advance(dt.timedelta(days=30))
    c = client_of(world.regulator, verified=True)
    page = c.get(reverse("budgets:lines")).content.decode()
    assert "衢州第一中学" in page
    assert c0.commitment_ref in page
    home = c.get(reverse("web:home")).content.decode()
    assert c0.commitment_ref in home
    r = c.post(reverse("budgets:line_adjust", args=[c0.line_id]), {"kind": "up", "amount": "1", "reason": "x"})
    assert r.status_code == 302  # the unit's finance bureau adjusts its lines
    assert not PaymentRequest.objects.exists()


def test_api_upsert_is_idempotent(world: World) -> None:
    c = client_of(world.regulator, verified=True)
    body = world.line_data(external_id="API-1", amount="1234.50")
    r = c.post("/api/v1/budgets/lines", json.dumps(body, default=str), content_type="application/json")
    assert r.status_code == 201, r.content
    r = c.post("/api/v1/budgets/lines", json.dumps(body, default=str), content_type="application/json")
    assert r.status_code == 200
    assert r.json()["created"] is False
    r = c.post(
        "/api/v1/budgets/lines", json.dumps({**body, "amount": "1"}, default=str), content_type="application/json"
    )
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "amount_changed_use_adjustment"
    line_id = BudgetLine.objects.get().pk
    r = c.post(
        f"/api/v1/budgets/lines/{line_id}/adjustments",
        json.dumps({"kind": "down", "amount": "-1", "reason": "x"}),
        content_type="application/json",
    )
    assert r.status_code == 400
    assert c.get(f"/api/v1/budgets/lines/{line_id}/balance").json()["ledger_consistent"] is True
    assert len(c.get("/api/v1/budgets/lines").json()) == 1
    other = client_of(world.other)
    assert other.get(f"/api/v1/budgets/lines/{line_id}").status_code == 404
    purchaser = client_of(world.admin)
    r = purchaser.post(
        "/api/v1/budgets/lines", json.dumps(world.line_data(), default=str), content_type="application/json"
    )
    assert r.status_code == 403


def test_api_payments(world: World) -> None:
    commitment = accepted_commitment(world)
    c = client_of(world.clerk)
    r = c.post(
        "/api/v1/budgets/payments",
        json.dumps({"commitment_id": commitment.pk, "amount": "5000"}),
        content_type="application/json",
    )
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "insufficient_budget"
    r = c.post(
        "/api/v1/budgets/payments",
        json.dumps({"commitment_id": commitment.pk, "amount": "500"}),
        content_type="application/json",
    )
    assert r.status_code == 201
    pid = r.json()["id"]
    r = c.post(
        f"/api/v1/budgets/payments/{pid}/actions", json.dumps({"action": "submit"}), content_type="application/json"
    )
    assert r.json()["status"] == "submitted"
    assert payments.PaymentRequest.objects.get().status == "submitted"


def test_demo_seed_is_idempotent(world: World) -> None:
    from zhengcai.accounts.tests.factories import OrganisationFactory

    OrganisationFactory(name="衢州市教育局", region=world.regions["330802"])
    first = budgets_seed_demo(actor=SYSTEM)
    assert first == 7  # 衢州市教育局, 衢州第一中学 and 柯城区卫生健康局 exist here
    assert budgets_seed_demo(actor=SYSTEM) == 0
