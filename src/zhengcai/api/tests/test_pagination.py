"""Every paginated endpoint checks limit and offset and answers 422, never 500 (QA #2b)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from zhengcai.api.pagination import MAX_OFFSET
from zhengcai.api.root import api

pytestmark = pytest.mark.django_db

PAGINATED = [
    "/api/v1/accounts/organisations",
    "/api/v1/notifications/",
    "/api/v1/platform/tokens",
    "/api/v1/audit/events",
    "/api/v1/audit/heads",
]


def paginated_paths() -> list[str]:
    """Every GET operation of the real API that takes an ``offset`` query parameter."""
    found = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        get = operations.get("get", {})
        if any(p["in"] == "query" and p["name"] == "offset" for p in get.get("parameters", [])):
            found.append(path)
    return sorted(found)


def test_the_known_paginated_endpoints_are_all_found() -> None:
    assert set(PAGINATED) <= set(paginated_paths())


def field_error(response: Any, field: str) -> list[str]:
    assert response.status_code == 422, (response.request["PATH_INFO"], response.content)
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert error["message"]
    return list(error["fields"][field])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("offset=99999999999999999999999", "offset"),
        (f"offset={MAX_OFFSET + 1}", "offset"),
        ("offset=-1", "offset"),
        ("offset=abc", "offset"),
        ("limit=99999999999999999999999", "limit"),
        ("limit=0", "limit"),
        ("limit=-5", "limit"),
        ("limit=x", "limit"),
    ],
)
def test_out_of_range_or_malformed_values_are_422_on_every_paginated_endpoint(
    admin_client: Client, query: str, field: str
) -> None:
    for path in paginated_paths():
        messages = field_error(admin_client.get(f"{path}?{query}", headers={"Accept-Language": "en"}), field)
        assert messages
        assert all(messages)


def test_the_offset_bound_is_explained(admin_client: Client) -> None:
    response = admin_client.get(
        "/api/v1/notifications/?offset=99999999999999999999999", headers={"Accept-Language": "en"}
    )
    assert field_error(response, "offset") == [f"Ensure this value is less than or equal to {MAX_OFFSET}."]
    response = admin_client.get(
        "/api/v1/notifications/?offset=99999999999999999999999", headers={"Accept-Language": "zh-hans"}
    )
    assert str(MAX_OFFSET) in field_error(response, "offset")[0]


def test_the_largest_allowed_offset_gives_an_empty_page(admin_client: Client) -> None:
    for path in paginated_paths():
        response = admin_client.get(f"{path}?offset={MAX_OFFSET}&limit=1")
        # 200 with no items, or 403/404 where the caller may not list at all; never a 500.
        assert response.status_code in {200, 403, 404}, (path, response.content)
        if response.status_code == 200:
            body = response.json()
            assert body.get("items", body.get("anchors")) == []


def test_a_public_paginated_endpoint_checks_too(client: Client) -> None:
    field_error(client.get("/api/v1/audit/heads?offset=99999999999999999999999"), "offset")


def test_the_bound_is_in_the_schema_of_the_shared_pagination() -> None:
    (offset,) = [
        p
        for p in api.get_openapi_schema()["paths"]["/api/v1/platform/tokens"]["get"]["parameters"]
        if p["name"] == "offset"
    ]
    assert offset["schema"]["maximum"] == MAX_OFFSET
