"""A session that still owes the TOTP step authenticates nothing in the API (QA #1).

Regulators and operators log in with a password and then a TOTP code. Between the two steps
the browser holds a logged-in session; the API must refuse it for every operation, reads and
writes alike, until the second step is passed.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from zhengcai.accounts.models import User
from zhengcai.accounts.selectors import actor_from_membership
from zhengcai.accounts.tests.factories import MembershipFactory, OrganisationFactory, log_in_verified
from zhengcai.api.models import ApiToken
from zhengcai.api.root import api
from zhengcai.api.services import token_create
from zhengcai.api.tests.conftest import Org, bearer
from zhengcai.core.roles import OrgType
from zhengcai.notify.models import Notification
from zhengcai.notify.tests.helpers import deliver_in_app, sender

pytestmark = pytest.mark.django_db

NOTIFICATIONS = "/api/v1/notifications/"
READ_ALL = "/api/v1/notifications/read-all"


def person(org_type: str) -> User:
    membership = MembershipFactory(organisation=OrganisationFactory(org_type=org_type), is_admin=True)
    user: User = membership.user
    return user


def password_only(user: User) -> tuple[Client, str]:
    """A browser after the password step, before the TOTP step, holding a CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/accounts/totp/")  # the TOTP page is reachable and sets the CSRF cookie
    return client, client.cookies["csrftoken"].value


def assert_totp_required(response: Any) -> None:
    assert response.status_code == 401, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "totp_required"
    assert body["error"]["message"]


@pytest.fixture(params=[OrgType.REGULATOR, OrgType.OPERATOR])
def unverified(request: pytest.FixtureRequest) -> tuple[User, Client, str]:
    user = person(request.param)
    # A confirmed device, as after TOTP setup: the person simply skipped the code page.
    log_in_verified(Client(), user)
    client, csrf = password_only(user)
    return user, client, csrf


def test_the_inbox_is_refused_and_read_all_changes_nothing(unverified: tuple[User, Client, str]) -> None:
    user, client, csrf = unverified
    notice = deliver_in_app(actor=sender(), recipient_id=user.pk, key="qa1:inbox")

    assert_totp_required(client.get(NOTIFICATIONS))
    assert_totp_required(client.get("/api/v1/notifications/unread-count"))
    assert_totp_required(client.post(READ_ALL, headers={"X-CSRFToken": csrf}))
    assert_totp_required(client.post(f"/api/v1/notifications/{notice.pk}/read", headers={"X-CSRFToken": csrf}))

    notice.refresh_from_db()
    assert notice.read_at is None
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 1


def test_no_token_can_be_minted_before_the_second_step(unverified: tuple[User, Client, str]) -> None:
    _, client, csrf = unverified
    response = client.post(
        "/api/v1/platform/tokens", {"name": "sneaky"}, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert_totp_required(response)
    assert not ApiToken.objects.exists()


def test_the_message_is_translated(unverified: tuple[User, Client, str]) -> None:
    _, client, _ = unverified
    en = client.get(NOTIFICATIONS, headers={"Accept-Language": "en"}).json()["error"]["message"]
    zh = client.get(NOTIFICATIONS, headers={"Accept-Language": "zh-hans"}).json()["error"]["message"]
    assert "two-step login" in en
    assert "两步登录" in zh


def _operations() -> list[tuple[str, str]]:
    """Every authenticated operation of the real API, with path parameters filled in."""
    schema = api.get_openapi_schema()
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if operation.get("security"):
                found.append((method.upper(), re.sub(r"\{[^}]+\}", "1", path)))
    return sorted(found)


def test_every_authenticated_operation_is_refused(unverified: tuple[User, Client, str]) -> None:
    _, client, csrf = unverified
    operations = _operations()
    assert ("GET", NOTIFICATIONS) in operations
    assert ("POST", READ_ALL) in operations
    for method, path in operations:
        response = client.generic(method, path, "{}", content_type="application/json", headers={"X-CSRFToken": csrf})
        assert_totp_required(response)


def test_after_the_second_step_the_session_works(unverified: tuple[User, Client, str]) -> None:
    user, _, _ = unverified
    deliver_in_app(actor=sender(), recipient_id=user.pk, key="qa1:verified")
    client = log_in_verified(Client(), user)
    response = client.get(NOTIFICATIONS)
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 1
    assert client.post(READ_ALL).json() == {"marked": 1}


def test_people_without_a_second_step_are_unaffected(admin_client: Client, org: Org) -> None:
    deliver_in_app(actor=sender(), recipient_id=org.admin.pk, key="qa1:purchaser")
    assert admin_client.get(NOTIFICATIONS).json()["count"] == 1
    assert admin_client.get("/api/v1/platform/whoami").json()["organisation_id"] == org.organisation.pk


def test_a_token_is_judged_by_itself_not_by_an_unverified_cookie(unverified: tuple[User, Client, str]) -> None:
    user, client, _ = unverified
    membership = user.memberships.get()
    _, secret = token_create(actor=actor_from_membership(user, membership), name="sync")
    response = client.get("/api/v1/platform/whoami", headers=bearer(secret))
    assert response.status_code == 200, response.content
    assert response.json()["is_system"] is True
