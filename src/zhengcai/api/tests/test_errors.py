"""Every error the API can produce has one shape, with a translated message."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

pytestmark = [pytest.mark.urls("zhengcai.api.tests.urls_errors")]


@pytest.fixture(autouse=True)
def _test_api_follows_accept_language(settings: Any) -> None:
    # The test API is mounted at /test-api/; like /api/, it follows Accept-Language.
    settings.ACCEPT_LANGUAGE_PATH_PREFIXES = ["/api/", "/test-api/"]


def error_of(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["error"]
    assert set(body["error"]) <= {"code", "message", "fields"}
    return body["error"]


def test_domain_error_keeps_status_code_and_fields(client: Client) -> None:
    assert error_of(client.get("/test-api/t/domain"), 418) == {
        "code": "broken_widget",
        "message": "The widget is broken.",
        "fields": {"widget": ["Replace it."]},
    }
    assert error_of(client.get("/test-api/t/conflict"), 409)["code"] == "conflict"


def test_validation_error_is_422_with_field_messages(client: Client) -> None:
    response = client.post(
        "/test-api/t/validate",
        {"amount": "lots"},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    error = error_of(response, 422)
    assert error["code"] == "validation_failed"
    assert error["fields"] == {"name": ["This field is required."], "amount": ["Enter a whole number."]}


def test_malformed_json_is_a_bad_request(client: Client) -> None:
    response = client.post(
        "/test-api/t/validate", "{not json", content_type="application/json", headers={"Accept-Language": "en"}
    )
    assert error_of(response, 400) == {
        "code": "invalid_body",
        "message": "The request body could not be read: send valid JSON.",
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "The request body could not be read: send valid JSON."), ("zh-hans", "无法读取请求体")],
)
@pytest.mark.parametrize("body", ["{not json", "{bad", '{"name": "x",}', "\xff\xfe"])
def test_malformed_json_is_invalid_body_whatever_ninja_appends(
    client: Client, settings: Any, language: str, expected: str, body: str
) -> None:
    # With DEBUG on, ninja appends the parser's exception to its message (QA #7).
    settings.DEBUG = True
    response = client.post(
        "/test-api/t/validate", body, content_type="application/json", headers={"Accept-Language": language}
    )
    error = error_of(response, 400)
    assert error["code"] == "invalid_body"
    assert expected in error["message"]
    assert "Expecting" not in error["message"]
    assert "Cannot parse" not in error["message"]


def test_http404_says_not_found_without_details(client: Client) -> None:
    error = error_of(client.get("/test-api/t/missing", headers={"Accept-Language": "en"}), 404)
    assert error == {"code": "not_found", "message": "Not found."}


def test_http_error_and_permission_denied(client: Client) -> None:
    assert error_of(client.get("/test-api/t/http-error"), 409) == {"code": "conflict", "message": "Already done."}
    assert error_of(client.get("/test-api/t/denied"), 403)["code"] == "not_permitted"


def test_unexpected_exception_is_500_logged_and_not_leaked(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="zhengcai.api"):
        response = client.get("/test-api/t/crash", headers={"Accept-Language": "en"})
    error = error_of(response, 500)
    assert error["code"] == "internal_error"
    assert "hunter2" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    record = next(r for r in caplog.records if r.name == "zhengcai.api")
    assert record.exc_info is not None
    assert "hunter2" in str(record.exc_info[1])


def test_auth_is_the_default_for_operations(client: Client) -> None:
    assert error_of(client.get("/test-api/t/private"), 401)["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Authentication required"), ("zh-hans", "需要身份认证")],
)
def test_messages_follow_accept_language(client: Client, language: str, expected: str) -> None:
    error = error_of(client.get("/test-api/t/private", headers={"Accept-Language": language}), 401)
    assert expected in error["message"]


def test_validation_messages_are_translated(client: Client) -> None:
    response = client.post(
        "/test-api/t/validate", {"amount": 1}, content_type="application/json", headers={"Accept-Language": "zh-hans"}
    )
    error = error_of(response, 422)
    assert error["fields"]["name"] == ["这个字段是必填项。"]
