"""The orders API: cart, checkout, the steps on both sides, refusals in the error format."""

from __future__ import annotations

import json
from typing import Any

import pytest

from zhengcai.orders.models import Order
from zhengcai.orders.tests.test_views import client_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/mall/orders"


def _post(client: Any, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_api_journey(purchaser: Any, plan: Any, paper: Any, pc: Any, supplier1: Any, supplier2: Any) -> None:  # noqa: PLR0917
    buyer = client_for(purchaser)
    assert _post(buyer, f"{BASE}/cart/", {"listing_id": paper.pk, "quantity": 4}).status_code == 201
    response = _post(buyer, f"{BASE}/cart/", {"listing_id": pc.pk, "quantity": 1})
    cart = response.json()
    assert cart["total"] == "4900.00"
    assert len(cart["groups"]) == 2
    line_id = next(g for g in cart["groups"] if g["supplier_id"] == paper.supplier_id)["items"][0]["id"]
    updated = buyer.put(f"{BASE}/cart/{line_id}/", json.dumps({"quantity": 2}), content_type="application/json")
    assert updated.json()["total"] == "4850.00"
    response = _post(buyer, f"{BASE}/checkout/", {"plan_id": plan.pk})
    assert response.status_code == 201
    orders = response.json()
    assert len(orders) == 2
    paper_order = next(o for o in orders if o["supplier_id"] == paper.supplier_id)
    oid = paper_order["id"]

    seller = client_for(supplier1)
    assert [o["id"] for o in seller.get(f"{BASE}/").json()] == [oid]
    assert client_for(supplier2).get(f"{BASE}/{oid}/").status_code == 404
    assert _post(seller, f"{BASE}/{oid}/confirm/").json()["status"] == "confirmed"
    lid = paper_order["lines"][0]["id"]
    shipped = _post(
        seller, f"{BASE}/{oid}/ship/", {"carrier": "顺丰", "tracking_number": "SF9", "quantities": {str(lid): 2}}
    )
    assert shipped.json()["status"] == "shipped"
    refused = _post(buyer, f"{BASE}/{oid}/payment-request/")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "not_accepted"
    accepted = _post(buyer, f"{BASE}/{oid}/accept/", {"quantities": {str(lid): 1}})
    assert accepted.json()["accepted_amount"] == "25.00"
    payment = _post(buyer, f"{BASE}/{oid}/payment-request/")
    assert payment.status_code == 201
    assert payment.json()["amount"] == "25.00"
    assert _post(buyer, f"{BASE}/{oid}/rate/", {"stars": 4}).status_code == 200
    figures = buyer.get(f"{BASE}/figures/").json()
    assert figures["total"]["orders"] == 2
    assert figures["plan_to_acceptance"][0]["orders"] == 1


def test_api_refusals(purchaser: Any, plan: Any, paper: Any, supplier1: Any) -> None:
    buyer = client_for(purchaser)
    _post(buyer, f"{BASE}/cart/", {"listing_id": paper.pk, "quantity": 1})
    response = _post(buyer, f"{BASE}/checkout/", {"plan_id": 0})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "plan_required"
    assert _post(buyer, f"{BASE}/cart/", {"listing_id": paper.pk, "quantity": 0}).status_code in (400, 422)
    assert client_for(supplier1).get(f"{BASE}/cart/").status_code == 404
    order = _post(buyer, f"{BASE}/checkout/", {"plan_id": plan.pk}).json()[0]
    declined = _post(client_for(supplier1), f"{BASE}/{order['id']}/decline/", {"reason": ""})
    assert declined.status_code == 400
    assert Order.objects.get().status == "placed"
