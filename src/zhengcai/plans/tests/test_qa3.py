"""Regressions for the QA findings on issue 3 (plans side): figures, public notices, the API,
all errors at once, attachment content, money formatting and catalogue group codes."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from zhengcai.core.errors import ValidationFailed
from zhengcai.plans import execution, selectors, services
from zhengcai.plans.inputs import FundingInput, ItemInput, clean_attachments
from zhengcai.plans.methods import Method
from zhengcai.plans.models import ProcurementPlan
from zhengcai.plans.states import ChangeStatus, PlanStatus
from zhengcai.plans.tests.conftest import draft
from zhengcai.plans.tests.test_views import client_for

pytestmark = pytest.mark.django_db


def _executing(purchaser: Any, line: int, commit: str = "40000") -> ProcurementPlan:
    plan = services.plan_file(actor=purchaser, plan_id=draft(purchaser, line).pk)
    execution.plan_commit(
        actor=purchaser,
        plan_id=plan.pk,
        line_id=line,
        amount=Decimal(commit),
        commitment_ref=f"contract:{plan.pk}",
        supplier_org_id=None,
        description="台式机",
    )
    return ProcurementPlan.objects.get(pk=plan.pk)


# -- #6 savings -------------------------------------------------------------------------------


def test_savings_are_reserved_minus_committed_of_completed_plans_only(purchaser: Any, lines: dict[str, int]) -> None:
    plan = _executing(purchaser, lines["big"])
    execution.plan_release_savings(actor=purchaser, plan_id=plan.pk, line_id=lines["big"], amount=Decimal("5000"))
    total, _units = selectors.plan_figures(actor=purchaser, fiscal_year=2026)
    assert total.savings == Decimal("0")  # still executing: nothing counted yet
    execution.plan_complete(actor=purchaser, plan_id=plan.pk)
    cancelled = services.plan_file(actor=purchaser, plan_id=draft(purchaser, lines["big"]).pk)
    services.plan_cancel(actor=purchaser, plan_id=cancelled.pk)
    total, units = selectors.plan_figures(actor=purchaser, fiscal_year=2026)
    assert total.savings == Decimal("10000.00")  # 50,000 reserved - 40,000 committed; the cancellation is not savings
    assert units[0].savings == Decimal("10000.00")


# -- #5 / #13 dashboard figures and money formatting ------------------------------------------------


def test_dashboard_widget_shows_figures_and_cycle_times(purchaser: Any, lines: dict[str, int]) -> None:
    plan = _executing(purchaser, lines["big"])
    execution.plan_complete(actor=purchaser, plan_id=plan.pk)
    page = client_for(purchaser).get(reverse("web:home")).content.decode()
    widget = page.split('data-testid="plans-widget"', 1)[1].split('data-testid="plans-end"', 1)[0]
    assert "¥10,000.00" in widget
    assert 'data-testid="plans-days-to-commit">0.0<' in widget


def test_cny_filter_formats_with_separators() -> None:
    rendered = Template("{% load plans_money %}{{ a|cny }} {{ b|cny }} {{ c|cny }}").render(
        Context({"a": Decimal("2980000"), "b": "780000.00", "c": None})
    )
    assert rendered == "¥2,980,000.00 ¥780,000.00 —"


def test_plan_pages_format_money(purchaser: Any, lines: dict[str, int]) -> None:
    plan = draft(purchaser, lines["big"])
    page = client_for(purchaser).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "¥50,000.00" in page
    assert "¥50000" not in page


# -- #7 public single-source notices ---------------------------------------------------------------


def test_single_source_notice_is_public_during_its_period(
    purchaser: Any, regulator: Any, lines: dict[str, int], frozen_clock: Any
) -> None:
    plan = draft(purchaser, lines["big"], qty="500", price="5000", method=Method.SINGLE_SOURCE, form="centralised")
    services.plan_file(
        actor=purchaser,
        plan_id=plan.pk,
        change=services.ChangeInput(
            reasons="只能从唯一供应商处采购。", statutory_ground="only_supplier", supplier_name="衢州唯一科技有限公司"
        ),
    )
    anonymous = Client()
    page = anonymous.get(reverse("plans:notices"))
    assert page.status_code == 200
    assert "衢州唯一科技有限公司" in page.content.decode()
    api = anonymous.get("/api/v1/plans/notices")
    assert api.status_code == 200
    row = api.json()[0]
    assert row["supplier_name"] == "衢州唯一科技有限公司"
    assert row["notice_ends_on"] == "2026-03-09"
    frozen_clock.advance(dt.timedelta(days=8))
    assert "衢州唯一科技有限公司" not in anonymous.get(reverse("plans:notices")).content.decode()
    assert anonymous.get("/api/v1/plans/notices").json() == []


# -- #8 Chinese label of a pending change -------------------------------------------------------------


def test_pending_change_reads_awaiting_approval_in_chinese() -> None:
    with translation.override("zh-hans"):
        assert str(ChangeStatus.PENDING.label) == "待审批"


# -- #10 the API covers the whole life of a plan ------------------------------------------------------


def _post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_api_executes_a_plan_end_to_end(purchaser: Any, lines: dict[str, int]) -> None:
    client = client_for(purchaser)
    plan = draft(purchaser, lines["big"])
    base = f"/api/v1/plans/{plan.pk}"
    response = _post(client, f"{base}/intention", {"summary": "采购台式机"})
    assert response.status_code == 200, response.content
    assert response.json()["intention_published_on"] == "2026-03-02"
    assert _post(client, f"{base}/file").json()["status"] == PlanStatus.FILED
    response = _post(client, f"{base}/start")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == PlanStatus.EXECUTING
    body = {"line_id": lines["big"], "amount": "40000", "commitment_ref": "contract:api-1", "description": "台式机"}
    response = _post(client, f"{base}/commit", body)
    assert response.status_code == 201, response.content
    assert Decimal(response.json()["amount"]) == Decimal("40000.00")
    response = _post(client, f"{base}/release", {"line_id": lines["big"], "amount": "2000"})
    assert response.status_code == 200, response.content
    response = _post(client, f"{base}/complete")
    assert response.json()["status"] == PlanStatus.COMPLETED
    bad = _post(client, f"{base}/release", {"line_id": lines["big"], "amount": "1"})
    assert bad.status_code == 409


def test_api_cancel_and_revise(purchaser: Any, regulator: Any, lines: dict[str, int]) -> None:
    client = client_for(purchaser)
    plan = draft(purchaser, lines["big"])
    response = _post(client, f"/api/v1/plans/{plan.pk}/cancel", {"reason": "需求取消"})
    assert response.status_code == 200
    assert response.json()["status"] == PlanStatus.CANCELLED
    big = draft(
        purchaser, lines["big"], qty="500", price="5000", method=Method.COMPETITIVE_NEGOTIATION, form="centralised"
    )
    services.plan_file(actor=purchaser, plan_id=big.pk, change=services.ChangeInput(reasons="技术复杂，需要谈判。"))
    services.plan_change_decide(
        actor=regulator, request_id=big.change_requests.get().pk, approve=False, comments="理由不足"
    )
    response = _post(client, f"/api/v1/plans/{big.pk}/revise")
    assert response.status_code == 200
    assert response.json()["status"] == PlanStatus.DRAFT
    other = Client()
    assert _post(other, f"/api/v1/plans/{big.pk}/cancel").status_code in (401, 403)


# -- #11 every error at once ----------------------------------------------------------------------------


def test_items_and_fundings_errors_are_reported_together(purchaser: Any, lines: dict[str, int]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.plan_create(
            actor=purchaser,
            title="x",
            fiscal_year=2026,
            organisation_form="decentralised",
            required_by="yesterday",
            items=[ItemInput("NOPE", "台式机", "1", "台", "10")],
            fundings=[FundingInput(lines["big"], "-5")],
        )
    assert {"items-0-catalogue_code", "fundings-0-amount", "required_by"} <= set(exc.value.fields)


def test_wizard_shows_item_and_funding_errors_together(purchaser: Any, lines: dict[str, int]) -> None:
    from zhengcai.plans.tests.test_views import wizard_post

    data = wizard_post(lines["big"], code="NOPE")
    data["fundings-0-amount"] = "abc"
    response = client_for(purchaser).post(reverse("plans:create"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "NOPE" in body
    assert 'id="fundings-0-amount-error"' in body or "fundings-0-amount" in body


# -- #12 attachments by content ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("evil.pdf", b"MZ\x90\x00this is a program", False),
        ("fake.png", b"%PDF-1.4", False),
        ("real.pdf", b"%PDF-1.7\n...", True),
        ("photo.png", b"\x89PNG\r\n\x1a\n....", True),
        ("photo.jpg", b"\xff\xd8\xff\xe0....", True),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1....", True),
        ("new.docx", b"PK\x03\x04....", True),
        ("new.docx", b"MZ....", False),
    ],
)
def test_attachments_are_checked_by_content(name: str, content: bytes, ok: bool) -> None:
    upload = SimpleUploadedFile(name, content)
    if ok:
        assert clean_attachments([upload]) == [upload]
        assert upload.read() == content  # the check leaves the file readable from the start
    else:
        with pytest.raises(ValidationFailed) as exc:
            clean_attachments([upload])
        assert "attachments" in exc.value.fields


# -- #14 catalogue group codes -------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["A", "A02000000", "A02010100"])
def test_group_codes_are_refused_as_plan_items(purchaser: Any, lines: dict[str, int], code: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        draft(purchaser, lines["big"], code=code)
    assert "items-0-catalogue_code" in exc.value.fields
    assert not ProcurementPlan.objects.exists()


def test_printers_and_scanners_are_both_leaves(purchaser: Any, lines: dict[str, int]) -> None:
    assert draft(purchaser, lines["big"], code="A02021000", qty="2", price="2500").pk
    assert draft(purchaser, lines["big"], code="A02021118", qty="2", price="2500").pk


def test_the_budget_ledger_counts_completion_as_savings_and_cancellation_not(
    purchaser: Any, lines: dict[str, int]
) -> None:
    from zhengcai.budgets.models import LedgerEntry

    completed = _executing(purchaser, lines["big"])
    execution.plan_complete(actor=purchaser, plan_id=completed.pk)
    cancelled = services.plan_file(actor=purchaser, plan_id=draft(purchaser, lines["big"]).pk)
    services.plan_cancel(actor=purchaser, plan_id=cancelled.pk)
    releases = dict(
        LedgerEntry.objects.filter(kind="release", ref__in=[completed.ref, cancelled.ref]).values_list("ref", "reason")
    )
    assert releases == {completed.ref: "savings", cancelled.ref: "cancelled"}
