"""Listings API: categories for all, supplier CRUD with bad input, images, operator review."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from zhengcai.core.actor import Actor
from zhengcai.listings.models import Listing
from zhengcai.listings.states import ListingStatus
from zhengcai.listings.tests.helpers import png_bytes
from zhengcai.listings.tests.test_views import client_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/mall/listings"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(BASE + path, json.dumps(body), content_type="application/json")


def body(categories: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "category_id": categories["computers-desktop"].pk,
        "title": "联想 启天 M437 台式计算机",
        "brand": "联想",
        "model": "M437",
        "specs": {"cpu": "Intel i5-12500", "memory_gb": "16GB", "storage": "512GB SSD", "os": "统信UOS"},
        "unit": "台",
        "price": "4599.00",
        "reference_price": "4999.00",
        "reference_source": "official",
        "stock": 20,
        "delivery_regions": ["330800"],
    }
    data.update(overrides)
    return data


def test_categories_readable_by_everyone(purchaser: Actor, categories: Any) -> None:
    response = client_for(purchaser).get(BASE + "/categories")
    assert response.status_code == 200
    tree = response.json()
    assert [c["code"] for c in tree][:2] == ["office", "computers"]
    paper = tree[0]["children"][0]
    assert paper["code"] == "office-paper"
    assert paper["is_leaf"]
    assert paper["specs"][0]["allowed_values"] == ["A4", "A3", "B5"]
    refused = post(client_for(purchaser), "/categories", {"code": "x", "name": "x"})
    assert refused.status_code == 403


def test_supplier_crud_and_review(supplier: Actor, operator: Actor, categories: Any) -> None:
    client = client_for(supplier)
    for bad, field in (
        ({"price": "abc"}, "price"),
        ({"price": -5}, "price"),
        ({"price": "1.999"}, "price"),
        ({"stock": -1}, "stock"),
        ({"specs": {"memory_gb": "64GB"}}, "spec_memory_gb"),
    ):
        response = post(client, "/mine", body(categories, **bad))
        assert response.status_code == 400, response.content
        assert field in response.json()["error"]["fields"], response.json()
    assert not Listing.objects.exists()
    created = post(client, "/mine", body(categories))
    assert created.status_code == 201, created.content
    listing_id = created.json()["id"]
    image = client.post(f"{BASE}/mine/{listing_id}/images", {"image": _file("pc.jpg", png_bytes(fmt="JPEG"))})
    assert image.status_code == 201, image.content
    bad_image = client.post(f"{BASE}/mine/{listing_id}/images", {"image": _file("x.png", b"GIF89a....")})
    assert bad_image.status_code == 400
    submitted = post(client, f"/mine/{listing_id}/submit", {})
    assert submitted.status_code == 200
    assert submitted.json()["status"] == ListingStatus.PENDING_REVIEW
    op = client_for(operator)
    queue = op.get(BASE + "/review")
    assert [x["id"] for x in queue.json()["items"]] == [listing_id]
    assert client.get(BASE + "/review").status_code == 404
    decided = post(op, f"/review/{listing_id}/decide", {"approve": True})
    assert decided.json()["status"] == ListingStatus.LISTED
    price = post(client, f"/mine/{listing_id}/price", {"price": "4499.00"})
    assert price.status_code == 200
    assert price.json()["price"] == "4499.00"
    assert len(price.json()["price_history"]) == 2
    assert post(client, f"/mine/{listing_id}/stock", {"stock": "-3"}).status_code == 400
    delisted = post(client, f"/{listing_id}/delist", {})
    assert delisted.json()["status"] == ListingStatus.DELISTED


def test_other_supplier_404(supplier: Actor, other_supplier: Actor, categories: Any) -> None:
    created = post(client_for(supplier), "/mine", body(categories)).json()
    other = client_for(other_supplier)
    assert other.get(f"{BASE}/mine/{created['id']}").status_code == 404
    assert post(other, f"/mine/{created['id']}/price", {"price": "1"}).status_code == 404
    assert other.get(f"{BASE}/{created['id']}").status_code == 404


def _file(name: str, data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_my_listings_come_a_page_at_a_time_with_the_total(supplier: Actor, categories: Any) -> None:
    client = client_for(supplier)
    for n in range(5):
        assert post(client, "/mine", body(categories, model=f"M{n}")).status_code == 201
    first = client.get(BASE + "/mine", {"limit": 2}).json()
    assert first["count"] == 5
    assert len(first["items"]) == 2
    third = client.get(BASE + "/mine", {"limit": 2, "offset": 4}).json()
    assert [x["model"] for x in third["items"]] not in ([x["model"] for x in first["items"]], [])
    assert client.get(BASE + "/mine", {"limit": 500}).status_code == 422


def test_review_decide_is_404_for_non_operators_whatever_the_body(
    supplier: Actor, operator: Actor, categories: Any
) -> None:
    listing_id = post(client_for(supplier), "/mine", body(categories)).json()["id"]
    for payload in ({}, {"approve": "maybe"}, {"approve": True}):
        assert post(client_for(supplier), f"/review/{listing_id}/decide", payload).status_code == 404
    response = post(client_for(operator), f"/review/{listing_id}/decide", {"approve": "maybe"})
    assert response.status_code == 400
    assert "approve" in response.json()["error"]["fields"]


def test_spec_api_checks_the_category(operator: Actor, categories: Any) -> None:
    from zhengcai.listings.models import AttributeSpec

    spec = AttributeSpec.objects.filter(category=categories["office-paper"]).first()
    assert spec is not None
    other = categories["office-pens"].pk
    assert client_for(operator).delete(f"{BASE}/categories/{other}/specs/{spec.pk}").status_code == 404
    assert AttributeSpec.objects.filter(pk=spec.pk).exists()
