"""Plan pages and API: the wizard with its live decision, filing, the regulator's queue, the public list."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhengcai.accounts.models import User
from zhengcai.accounts.tests.factories import MembershipFactory, OrganisationFactory, log_in_verified
from zhengcai.core.roles import OrgType
from zhengcai.plans import execution, services
from zhengcai.plans.models import ProcurementPlan
from zhengcai.plans.states import PlanStatus
from zhengcai.plans.tests.conftest import draft

pytestmark = pytest.mark.django_db


def client_for(actor: Any) -> Client:
    client = Client()
    user = User.objects.get(pk=actor.user_id)
    if actor.org_type == OrgType.REGULATOR:
        return log_in_verified(client, user)
    client.force_login(user)
    return client


def wizard_post(line: int, qty: str = "10", price: str = "5000", code: str = "A02010105") -> dict[str, str]:
    return {
        "title": "计算机",
        "fiscal_year": "2026",
        "organisation_form": "centralised",
        "required_by": "2026-09-01",
        "chosen_method": "",
        "items-0-catalogue_code": code,
        "items-0-description": "台式机",
        "items-0-quantity": qty,
        "items-0-unit": "台",
        "items-0-unit_price": price,
        "fundings-0-line_id": str(line),
        "fundings-0-amount": "50000",
    }


def test_wizard_creates_and_files_a_mall_plan(purchaser: Any, lines: dict[str, int]) -> None:
    client = client_for(purchaser)
    page = client.get(reverse("plans:create"))
    assert page.status_code == 200
    assert 'data-testid="decision"' in page.content.decode()
    preview = client.post(reverse("plans:decision"), wizard_post(lines["big"]), HTTP_HX_REQUEST="true")
    assert preview.status_code == 200
    assert "200,000.00" in preview.content.decode()  # the direct-purchase limit quoted from the rules
    response = client.post(reverse("plans:create"), wizard_post(lines["big"]))
    assert response.status_code == 302
    plan = ProcurementPlan.objects.get()
    response = client.post(reverse("plans:file", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FILED


def test_wizard_shows_bad_input(purchaser: Any, lines: dict[str, int]) -> None:
    client = client_for(purchaser)
    response = client.post(reverse("plans:create"), wizard_post(lines["big"], qty="-3", code="X1"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "is-invalid" in body
    assert ProcurementPlan.objects.count() == 0


def test_overspending_is_shown_as_error(purchaser: Any, lines: dict[str, int]) -> None:
    plan = draft(purchaser, lines["small"], qty="30")
    client = client_for(purchaser)
    response = client.post(reverse("plans:file", args=[plan.pk]), follow=True)
    assert "alert" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_regulator_queue_and_decision(purchaser: Any, regulator: Any, lines: dict[str, int]) -> None:
    plan = draft(purchaser, lines["big"], qty="500", price="5000", method="competitive_negotiation", form="centralised")
    services.plan_file(
        actor=purchaser, plan_id=plan.pk, change=services.ChangeInput(reasons="技术复杂，需要谈判确定。")
    )
    client = client_for(regulator)
    queue = client.get(reverse("plans:changes"))
    assert queue.status_code == 200
    assert plan.title in queue.content.decode()
    change = plan.change_requests.get()
    refused = client.post(reverse("plans:change_detail", args=[change.pk]), {"decision": "reject", "comments": ""})
    assert refused.status_code == 400
    done = client.post(reverse("plans:change_detail", args=[change.pk]), {"decision": "approve", "comments": "同意"})
    assert done.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


@pytest.mark.parametrize("org_type", [OrgType.SUPPLIER, OrgType.AGENCY, OrgType.BANK, OrgType.OPERATOR])
def test_other_roles_see_no_plans(org_type: str, purchaser: Any, lines: dict[str, int], regions: Any) -> None:
    plan = draft(purchaser, lines["big"])
    membership = MembershipFactory(organisation=OrganisationFactory(org_type=org_type, region=regions["330802"]))
    client = log_in_verified(Client(), membership.user)
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plans:list")).status_code == 404
    assert client.post(reverse("plans:file", args=[plan.pk])).status_code == 404
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_other_unit_gets_not_found(purchaser: Any, other_unit_purchaser: Any, lines: dict[str, int]) -> None:
    plan = draft(purchaser, lines["big"])
    client = client_for(other_unit_purchaser)
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 404
    assert client.post(reverse("plans:cancel", args=[plan.pk])).status_code == 404


def test_public_intentions_and_export(purchaser: Any, lines: dict[str, int]) -> None:
    plan = draft(purchaser, lines["big"], qty="300", form="centralised")
    execution.plan_intention_publish(actor=purchaser, plan_id=plan.pk, summary="采购计算机")
    anonymous = Client()
    page = anonymous.get(reverse("plans:intentions"))
    assert page.status_code == 200
    assert "采购计算机" in page.content.decode()
    assert anonymous.get(reverse("plans:intention_detail", args=[plan.pk])).status_code == 200
    export = client_for(purchaser).get(reverse("plans:list") + "?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    api = anonymous.get("/api/v1/plans/intentions")
    assert api.status_code == 200
    assert api.json()[0]["summary"] == "采购计算机"


def test_api_decision_and_create(purchaser: Any, lines: dict[str, int]) -> None:
    client = client_for(purchaser)
    body = {
        "organisation_form": "centralised",
        "items": [
            {
                "catalogue_code": "A02010105",
                "description": "台式机",
                "quantity": "500",
                "unit": "台",
                "unit_price": "5000",
            }
        ],
    }
    response = client.post("/api/v1/plans/decision", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["default_method"] == "open_tender"
    listing = client.get("/api/v1/plans/")
    assert listing.status_code == 200


def test_catalogue_search(purchaser: Any) -> None:
    response = client_for(purchaser).get(reverse("catalogue:search"), {"items-0-catalogue_code": "台式"})
    assert "A02010105" in response.content.decode()


@pytest.mark.parametrize(
    ("quantity", "unit_price"), [("1", "1" * 31), ("1e30", "100"), ("99999999999999", "1"), ("1", "1e40")]
)
def test_huge_numbers_are_refused_not_a_server_error(purchaser: Any, quantity: str, unit_price: str) -> None:
    body = {
        "organisation_form": "decentralised",
        "items": [
            {
                "catalogue_code": "A02010105",
                "description": "台式机",
                "quantity": quantity,
                "unit": "台",
                "unit_price": unit_price,
            }
        ],
    }
    response = client_for(purchaser).post("/api/v1/plans/decision", json.dumps(body), content_type="application/json")
    assert 400 <= response.status_code < 500, response.content
    assert response.json()["error"]["code"] == "validation_failed"
