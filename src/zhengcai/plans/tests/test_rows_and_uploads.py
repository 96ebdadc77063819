"""The wizard grows its rows (htmx and without JavaScript); the API files changes with attachments."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhengcai.budgets.selectors import reservations_for_ref
from zhengcai.plans.inputs import MAX_FUNDINGS, MAX_ITEMS
from zhengcai.plans.methods import Method, SingleSourceGround
from zhengcai.plans.models import ProcurementPlan
from zhengcai.plans.states import ChangeStatus, PlanStatus
from zhengcai.plans.tests.conftest import draft
from zhengcai.plans.tests.test_views import client_for, wizard_post

pytestmark = pytest.mark.django_db


def _items(n: int, start: int = 0) -> dict[str, str]:
    rows: dict[str, str] = {}
    for i in range(start, start + n):
        rows |= {
            f"items-{i}-catalogue_code": "A02010105",
            f"items-{i}-description": f"台式机 第{i + 1}种",
            f"items-{i}-quantity": "1",
            f"items-{i}-unit": "台",
            f"items-{i}-unit_price": "1000",
        }
    return rows


def _row_count(body: str, kind: str) -> int:
    return len(re.findall(f'data-testid="{kind}-row"', body))


# -- more rows than the page first shows ---------------------------------------------------------


def test_a_plan_with_eight_items_is_saved_and_filed(purchaser: Any, lines: dict[str, int]) -> None:
    client = client_for(purchaser)
    data = wizard_post(lines["big"]) | _items(8) | {"fundings-0-amount": "8000"}
    response = client.post(reverse("plans:create"), data)
    assert response.status_code == 302, response.content.decode()
    plan = ProcurementPlan.objects.get()
    assert plan.items.count() == 8
    assert {i.description for i in plan.items.all()} >= {"台式机 第6种", "台式机 第8种"}
    client.post(reverse("plans:file", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FILED
    assert plan.total_amount == 8000
    edit = client.get(reverse("plans:edit", args=[plan.pk]))
    assert edit.status_code == 302  # filed plans are no longer edited in the wizard


def test_editing_a_draft_shows_every_item_and_a_spare_row(purchaser: Any, lines: dict[str, int]) -> None:
    client = client_for(purchaser)
    client.post(reverse("plans:create"), wizard_post(lines["big"]) | _items(8) | {"fundings-0-amount": "8000"})
    page = client.get(reverse("plans:edit", args=[ProcurementPlan.objects.get().pk])).content.decode()
    assert _row_count(page, "item") == 9
    assert 'value="台式机 第8种"' in page


def test_add_a_row_without_javascript_saves_nothing(purchaser: Any, lines: dict[str, int]) -> None:
    client = client_for(purchaser)
    page = client.get(reverse("plans:create")).content.decode()
    assert _row_count(page, "item") == 5
    assert 'name="add_item"' in page
    assert 'name="add_funding"' in page
    data = wizard_post(lines["big"]) | _items(5) | {"add_item": "1"}
    response = client.post(reverse("plans:create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert _row_count(body, "item") == 6
    assert 'name="items-5-catalogue_code" value=""' in body
    assert 'value="台式机 第5种"' in body  # what was typed is kept
    assert ProcurementPlan.objects.count() == 0
    response = client.post(reverse("plans:create"), data | {"add_funding": "1"} | {"add_item": ""})
    assert response.status_code == 200
    assert ProcurementPlan.objects.count() == 0


def test_add_a_funding_line_without_javascript(purchaser: Any, lines: dict[str, int]) -> None:
    client = client_for(purchaser)
    data = wizard_post(lines["big"]) | {"fundings-1-line_id": "", "fundings-2-amount": "", "add_funding": "1"}
    body = client.post(reverse("plans:create"), data).content.decode()
    assert _row_count(body, "funding") == 4
    assert ProcurementPlan.objects.count() == 0


def test_the_rows_stop_at_the_cap_with_a_message(purchaser: Any, lines: dict[str, int]) -> None:
    client = client_for(purchaser)
    data = wizard_post(lines["big"]) | _items(MAX_ITEMS) | {"add_item": "1"}
    response = client.post(reverse("plans:create"), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert _row_count(body, "item") == MAX_ITEMS
    assert f"最多包含 {MAX_ITEMS} 个品目" in body  # Chinese is the default language
    assert 'data-testid="items-full"' in body
    beyond = wizard_post(lines["big"]) | _items(1, start=MAX_ITEMS)
    response = client.post(reverse("plans:create"), beyond)
    assert response.status_code == 400
    assert f"最多包含 {MAX_ITEMS} 个品目" in response.content.decode()
    huge = wizard_post(lines["big"]) | {"items-99999999999-description": "x"}
    assert client.post(reverse("plans:create"), huge).status_code == 400
    assert ProcurementPlan.objects.count() == 0


def test_the_service_refuses_too_many_fundings_too(purchaser: Any, lines: dict[str, int]) -> None:
    client = client_for(purchaser)
    body = {
        "title": "计算机",
        "fiscal_year": 2026,
        "organisation_form": "centralised",
        "required_by": "2026-09-01",
        "items": [
            {"catalogue_code": "A02010105", "description": "台式机", "quantity": "1", "unit": "台", "unit_price": "1"}
        ],
        "fundings": [{"line_id": lines["big"], "amount": "1"}] * (MAX_FUNDINGS + 1),
    }
    response = client.post("/api/v1/plans/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "fundings" in response.json()["error"]["fields"]


# -- the htmx fragments --------------------------------------------------------------------------


def test_htmx_item_row_fragment(purchaser: Any, lines: dict[str, int]) -> None:
    client = client_for(purchaser)
    response = client.post(reverse("plans:item_row"), wizard_post(lines["big"]) | _items(5), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert _row_count(body, "item") == 1
    assert 'name="items-5-catalogue_code"' in body
    assert f'hx-get="{reverse("catalogue:search")}"' in body  # the code search works in the new row
    assert 'id="item-add" hx-swap-oob="true"' in body
    assert 'data-testid="add-item"' in body
    last = client.post(reverse("plans:item_row"), _items(MAX_ITEMS - 1), HTTP_HX_REQUEST="true").content.decode()
    assert f'name="items-{MAX_ITEMS - 1}-catalogue_code"' in last
    assert 'data-testid="items-full"' in last
    full = client.post(reverse("plans:item_row"), _items(MAX_ITEMS), HTTP_HX_REQUEST="true").content.decode()
    assert _row_count(full, "item") == 0
    assert 'data-testid="items-full"' in full


def test_htmx_funding_row_fragment_offers_the_units_lines(purchaser: Any, lines: dict[str, int]) -> None:
    client = client_for(purchaser)
    response = client.post(reverse("plans:funding_row"), wizard_post(lines["big"]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="fundings-3-line_id"' in body
    assert f'value="{lines["big"]}"' in body
    assert f'value="{lines["small"]}"' in body
    assert 'id="funding-add" hx-swap-oob="true"' in body


def test_row_fragments_are_for_budget_units_only(regulator: Any) -> None:
    client = client_for(regulator)
    assert client.post(reverse("plans:item_row"), {}).status_code == 404
    assert client.post(reverse("plans:funding_row"), {}).status_code == 404


# -- the API files method changes with their attachments --------------------------------------------


def _single_source(purchaser: Any, line: int) -> ProcurementPlan:
    plan: ProcurementPlan = draft(
        purchaser, line, qty="500", price="5000", method=Method.SINGLE_SOURCE, form="centralised"
    )
    return plan


def _change_form(**extra: Any) -> dict[str, Any]:
    return {
        "reasons": "原有设备的配套升级，只能由原供应商提供。",
        "statutory_ground": SingleSourceGround.ONLY_SUPPLIER,
        "supplier_name": "衢州华信科技有限公司",
        **extra,
    }


def test_api_files_a_single_source_change_with_attachments(purchaser: Any, lines: dict[str, int]) -> None:
    client = client_for(purchaser)
    plan = _single_source(purchaser, lines["big"])
    files = [
        SimpleUploadedFile("论证意见.pdf", b"%PDF-1.7 expert opinion", content_type="application/pdf"),
        SimpleUploadedFile("公示截图.png", b"\x89PNG\r\n\x1a\n....", content_type="image/png"),
    ]
    response = client.post(f"/api/v1/plans/{plan.pk}/file", _change_form(attachments=files))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == PlanStatus.CHANGE_REQUESTED
    change = plan.change_requests.get()
    assert change.status == ChangeStatus.PENDING
    assert change.supplier_name == "衢州华信科技有限公司"
    assert sorted(a.name for a in change.attachments.all()) == ["公示截图.png", "论证意见.pdf"]


def test_api_refuses_a_fake_pdf_and_changes_nothing(purchaser: Any, lines: dict[str, int]) -> None:
    client = client_for(purchaser)
    plan = _single_source(purchaser, lines["big"])
    fake = SimpleUploadedFile("论证意见.pdf", b"MZ\x90\x00 a program", content_type="application/pdf")
    response = client.post(f"/api/v1/plans/{plan.pk}/file", _change_form(attachments=[fake]))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert "attachments" in error["fields"]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert not plan.change_requests.exists()
    assert reservations_for_ref(plan.ref) == []


def test_api_multipart_without_the_statutory_ground_is_refused(purchaser: Any, lines: dict[str, int]) -> None:
    client = client_for(purchaser)
    plan = _single_source(purchaser, lines["big"])
    response = client.post(f"/api/v1/plans/{plan.pk}/file", _change_form(statutory_ground=""))
    assert response.status_code == 400
    assert "statutory_ground" in response.json()["error"]["fields"]


def test_api_json_filing_still_works(purchaser: Any, lines: dict[str, int]) -> None:
    client = client_for(purchaser)
    plan = _single_source(purchaser, lines["big"])
    url = f"/api/v1/plans/{plan.pk}/file"
    bad = client.post(url, "{not json", content_type="application/json")
    assert bad.status_code == 400
    response = client.post(url, json.dumps(_change_form()), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == PlanStatus.CHANGE_REQUESTED
    assert plan.change_requests.get().attachments.count() == 0
