from __future__ import annotations

import pytest
from django.test import Client

from zhengcai.accounts.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db: None) -> Client:
    client = Client()
    client.force_login(MembershipFactory().user)
    return client


def test_search_with_filters_and_sorting(api: Client, shelf):
    data = api.get("/api/v1/mall/search", {"q": "纸", "sort": "price_desc"}).json()
    assert data["total"] == 2
    assert [r["id"] for r in data["results"]] == [shelf["paper_a3"].pk, shelf["paper"].pk]
    assert data["facets"]["office-paper"] == 2
    first = data["results"][1]
    assert first["title"] == shelf["paper"].title
    assert first["price"] == "25.00"
    assert first["supplier_sme"] is True
    assert first["category"] == "office-paper"
    data = api.get(
        "/api/v1/mall/search", {"cat": "office", "attr": ["size=A4"], "region": "330802", "price_max": "100"}
    ).json()
    assert [r["id"] for r in data["results"]] == [shelf["paper"].pk]
    data = api.get("/api/v1/mall/search", {"q": "M1136", "sme": "true"}).json()
    assert [r["id"] for r in data["results"]] == [shelf["toner"].pk]
    data = api.get("/api/v1/mall/search", {"q": "打印", "per_page": 1, "page": 2}).json()
    assert data["pages"] == 4
    assert len(data["results"]) == 1


def test_search_needs_a_login(client: Client, shelf):
    assert client.get("/api/v1/mall/search", {"q": "纸"}).status_code == 401


def test_product_detail(api: Client, shelf):
    data = api.get(f"/api/v1/mall/products/{shelf['mfp'].pk}").json()
    assert data["title"] == shelf["mfp"].title
    assert {"key": "type", "label": "打印方式", "value": "激光"} in data["specs"]
    assert data["delivery_regions"] == ["330800"]
    assert data["supplier_sme"] is False
    missing = api.get("/api/v1/mall/products/999999")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_compare(api: Client, shelf):
    ids = [shelf["paper"].pk, shelf["paper_a3"].pk]
    data = api.get("/api/v1/mall/compare", {"ids": ids}).json()
    assert [x["id"] for x in data["listings"]] == ids
    size = next(row for row in data["specs"] if row["key"] == "size")
    assert size["values"] == ["A4", "A3"]
    assert size["differs"] is True
    five = [shelf[k].pk for k in ("paper", "paper_a3", "mfp", "printer", "toner")]
    refused = api.get("/api/v1/mall/compare", {"ids": five})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "compare_full"
