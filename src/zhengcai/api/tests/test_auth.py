"""Authentication of API calls: system tokens, the session with CSRF, nothing in URLs."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from zhengcai.accounts.models import Organisation
from zhengcai.api.models import ApiToken
from zhengcai.api.services import token_create, token_revoke
from zhengcai.api.tests.conftest import Org, bearer

pytestmark = pytest.mark.django_db

WHOAMI = "/api/v1/platform/whoami"
TOKENS = "/api/v1/platform/tokens"


def assert_error(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_no_credentials_is_401_in_the_error_format_not_a_login_redirect(client: Client) -> None:
    response = client.get(WHOAMI)
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")
    response = client.post(TOKENS, {"name": "x"}, content_type="application/json")
    assert_error(response, 401, "not_authenticated")


def test_a_token_authenticates_as_a_system_actor(client: Client, org: Org, token_secret: str) -> None:
    response = client.get(WHOAMI, headers=bearer(token_secret))
    assert response.status_code == 200
    assert response.json() == {
        "username": "token:budget sync",
        "user_id": None,
        "organisation_id": org.organisation.pk,
        "organisation_name": org.organisation.name,
        "org_type": "budget_unit",
        "role": "purchaser",
        "region_code": org.organisation.region.code,
        "is_org_admin": False,
        "is_system": True,
    }
    assert ApiToken.objects.get().last_used_at is not None


def test_bearer_scheme_is_case_insensitive(client: Client, token_secret: str) -> None:
    assert client.get(WHOAMI, headers={"Authorization": f"bearer {token_secret}"}).status_code == 200


@pytest.mark.parametrize("header", ["Bearer zc_wrong", "Bearer " + "zc_" + "a" * 43, "Bearer"])
def test_a_bad_token_is_401(client: Client, org: Org, header: str) -> None:
    assert_error(client.get(WHOAMI, headers={"Authorization": header}), 401, "not_authenticated")


def test_a_bad_token_is_refused_even_with_a_session(admin_client: Client) -> None:
    response = admin_client.get(WHOAMI, headers={"Authorization": "Bearer zc_" + "b" * 43})
    assert_error(response, 401, "not_authenticated")


def test_a_revoked_token_stops_working_immediately(client: Client, org: Org, token_secret: str) -> None:
    assert client.get(WHOAMI, headers=bearer(token_secret)).status_code == 200
    token_revoke(actor=org.admin_actor, token_id=ApiToken.objects.get().pk)
    assert_error(client.get(WHOAMI, headers=bearer(token_secret)), 401, "not_authenticated")


@pytest.mark.parametrize(
    "query",
    [
        "token={secret}",
        "access_token={secret}",
        "api_key={secret}",
        "API_KEY=anything",
        "apikey=anything",
        "q={secret}",
        "filter=Bearer%20{secret}",
    ],
)
def test_credentials_in_the_url_are_refused(client: Client, token_secret: str, query: str) -> None:
    url = f"{WHOAMI}?{query.format(secret=token_secret)}"
    error = assert_error(client.get(url), 400, "token_in_url")
    assert "Authorization" in error["message"]
    # Refused even when the header would authenticate: the secret has leaked into a URL.
    assert_error(client.get(url, headers=bearer(token_secret)), 400, "token_in_url")


def test_ordinary_query_parameters_pass(client: Client, token_secret: str) -> None:
    response = client.get(f"{TOKENS}?limit=5&offset=0", headers=bearer(token_secret))
    # A system token sees no token list (tokens are managed by people), but it is authenticated.
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}


def test_session_authenticates_with_the_sessions_actor(admin_client: Client, org: Org) -> None:
    response = admin_client.get(WHOAMI)
    assert response.status_code == 200
    body = response.json()
    assert body["user_id"] == org.admin.pk
    assert body["organisation_id"] == org.organisation.pk
    assert body["is_org_admin"] is True
    assert body["is_system"] is False


def test_token_cannot_mint_tokens(client: Client, token_secret: str) -> None:
    response = client.post(TOKENS, {"name": "child"}, content_type="application/json", headers=bearer(token_secret))
    assert_error(response, 403, "not_permitted")
    assert ApiToken.objects.count() == 1


def test_session_api_post_needs_the_csrf_header(org: Org) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.admin)
    client.get("/tokens/")  # the page sets the CSRF cookie, as a browser would get it
    csrf = client.cookies["csrftoken"].value

    refused = client.post(TOKENS, {"name": "from browser"}, content_type="application/json")
    assert_error(refused, 403, "csrf_failed")
    assert not ApiToken.objects.exists()

    accepted = client.post(
        TOKENS, {"name": "from browser"}, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert accepted.status_code == 201, accepted.content
    body = accepted.json()
    assert body["secret"].startswith(body["token"]["prefix"])
    assert ApiToken.objects.filter(name="from browser").exists()


def test_token_posts_need_no_csrf(org: Org, token_secret: str) -> None:
    client = Client(enforce_csrf_checks=True)
    token = ApiToken.objects.get()
    # No CSRF failure for a token; tokens are invisible to tokens, so this one is "not found".
    response = client.post(f"{TOKENS}/{token.pk}/revoke", headers=bearer(token_secret))
    assert_error(response, 404, "not_found")
    token.refresh_from_db()
    assert token.revoked_at is None


def test_api_token_lifecycle_over_the_session(admin_client: Client, org: Org, other_org: Org) -> None:
    created = admin_client.post(TOKENS, {"name": "erp"}, content_type="application/json")
    assert created.status_code == 201
    secret = created.json()["secret"]
    token_id = created.json()["token"]["id"]
    listed = admin_client.get(TOKENS).json()
    assert listed["count"] == 1
    assert listed["items"][0]["name"] == "erp"
    assert "secret" not in listed["items"][0]
    assert secret not in admin_client.get(TOKENS).content.decode()

    theirs, _ = token_create(actor=other_org.admin_actor, name="theirs")
    assert_error(admin_client.post(f"{TOKENS}/{theirs.pk}/revoke"), 404, "not_found")

    revoked = admin_client.post(f"{TOKENS}/{token_id}/revoke")
    assert revoked.status_code == 200
    assert revoked.json()["is_active"] is False
    assert_error(Client().get(WHOAMI, headers=bearer(secret)), 401, "not_authenticated")


def test_docs_and_schema_are_public(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/platform/whoami" in schema.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"swagger-ui-bundle.js" in docs.content
    assert b"<script>" not in docs.content
    assert b"style=" not in docs.content


@pytest.mark.parametrize("path", ["/api/v1/docs", "/api/v1/openapi.json"])
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_unsafe_methods_on_the_docs_get_the_error_format_not_a_csrf_page(org: Org, path: str, method: str) -> None:
    anonymous = Client(enforce_csrf_checks=True)
    logged_in = Client(enforce_csrf_checks=True)
    logged_in.force_login(org.admin)
    for client in (anonymous, logged_in):
        response = client.generic(method, path, "{}", content_type="application/json")
        error = assert_error(response, 405, "method_not_allowed")
        assert "CSRF" not in error["message"]
        assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}


@pytest.mark.parametrize("path", ["/api/v1/docs", "/api/v1/openapi.json"])
def test_the_docs_answer_head(client: Client, path: str) -> None:
    assert client.head(path).status_code == 200


def test_malformed_json_on_a_real_endpoint_is_invalid_body(admin_client: Client, settings: Any) -> None:
    settings.DEBUG = True
    response = admin_client.post(
        "/api/v1/accounts/organisations", "{bad", content_type="application/json", headers={"Accept-Language": "en"}
    )
    error = assert_error(response, 400, "invalid_body")
    assert error["message"] == "The request body could not be read: send valid JSON."
    assert not Organisation.objects.filter(name="{bad").exists()


def test_unknown_paths_and_methods_use_the_error_format(client: Client) -> None:
    assert_error(client.get("/api/v1/no/such/thing"), 404, "not_found")
    assert_error(client.get("/api/v1/"), 404, "not_found")
    strict = Client(enforce_csrf_checks=True)
    assert_error(strict.post("/api/v1/no/such/thing", headers={"Authorization": "Bearer x"}), 404, "not_found")
    response = client.delete(WHOAMI)
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]
