"""Token services and the token management page."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from zhengcai.api.models import ApiToken
from zhengcai.api.services import token_authenticate, token_create, token_revoke
from zhengcai.api.tests.conftest import Org
from zhengcai.audit.models import AuditEvent
from zhengcai.core.actor import Actor
from zhengcai.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from zhengcai.core.roles import Role

pytestmark = pytest.mark.django_db


def test_create_stores_only_the_hash_and_audits_without_the_secret(org: Org, frozen_clock: object) -> None:
    token, secret = token_create(actor=org.admin_actor, name="budget sync")

    assert secret.startswith("zc_")
    assert len(secret) == 46
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.hash == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.prefix == secret[:11]
    assert secret not in {stored.name, stored.prefix, stored.hash}
    assert stored.organisation_id == org.organisation.pk
    assert stored.created_by_id == org.admin.pk
    event = AuditEvent.objects.get(action="api.token.create", object_id=str(token.pk))
    assert event.actor_id == org.admin.pk
    assert event.data == {"name": "budget sync", "prefix": secret[:11]}
    assert secret not in str(event.data)


def test_two_tokens_never_share_a_secret(org: Org) -> None:
    _, first = token_create(actor=org.admin_actor, name="one")
    _, second = token_create(actor=org.admin_actor, name="two")
    assert first != second


@pytest.mark.parametrize("who", ["member", "token", "no_org"])
def test_only_an_org_admin_creates_tokens(org: Org, who: str) -> None:
    actor = {
        "member": org.member_actor,
        "token": Actor(
            user_id=None,
            username="token:x",
            organisation_id=org.organisation.pk,
            is_org_admin=True,
            is_system=True,
        ),
        "no_org": Actor(user_id=org.admin.pk, username=org.admin.username),
    }[who]
    with pytest.raises(NotPermitted):
        token_create(actor=actor, name="sneaky")
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action="api.token.create").exists()


def test_name_is_required_and_unique_among_live_tokens(org: Org) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        token_create(actor=org.admin_actor, name="   ")
    assert "name" in excinfo.value.fields

    token, _ = token_create(actor=org.admin_actor, name="sync")
    with pytest.raises(Conflict):
        token_create(actor=org.admin_actor, name="sync")
    token_revoke(actor=org.admin_actor, token_id=token.pk)
    token_create(actor=org.admin_actor, name="sync")  # the name is free again
    assert ApiToken.objects.filter(name="sync").count() == 2


def test_same_name_in_another_org_is_fine(org: Org, other_org: Org) -> None:
    token_create(actor=org.admin_actor, name="sync")
    token_create(actor=other_org.admin_actor, name="sync")


def test_revoke_stops_the_token_at_once_and_is_audited(org: Org, frozen_clock: object) -> None:
    token, secret = token_create(actor=org.admin_actor, name="sync")
    assert token_authenticate(plaintext=secret) is not None

    revoked = token_revoke(actor=org.admin_actor, token_id=token.pk)

    assert revoked.revoked_at is not None
    assert revoked.revoked_by_id == org.admin.pk
    assert token_authenticate(plaintext=secret) is None
    assert AuditEvent.objects.filter(action="api.token.revoke", object_id=str(token.pk)).count() == 1
    # Revoking again changes and records nothing.
    token_revoke(actor=org.admin_actor, token_id=token.pk)
    assert AuditEvent.objects.filter(action="api.token.revoke").count() == 1


def test_another_orgs_token_is_not_found_and_unchanged(org: Org, other_org: Org) -> None:
    token, secret = token_create(actor=org.admin_actor, name="sync")
    with pytest.raises(NotFound):
        token_revoke(actor=other_org.admin_actor, token_id=token.pk)
    with pytest.raises(NotFound):
        token_revoke(actor=other_org.admin_actor, token_id=999_999)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert token_authenticate(plaintext=secret) is not None


def test_member_may_not_revoke(org: Org) -> None:
    token, _ = token_create(actor=org.admin_actor, name="sync")
    with pytest.raises(NotPermitted):
        token_revoke(actor=org.member_actor, token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_authenticate_builds_a_system_actor_for_the_organisation(org: Org) -> None:
    _, secret = token_create(actor=org.admin_actor, name="budget sync")
    actor = token_authenticate(plaintext=secret)
    assert actor == Actor(
        user_id=None,
        username="token:budget sync",
        organisation_id=org.organisation.pk,
        organisation_name=org.organisation.name,
        org_type=org.organisation.org_type,
        role=Role.PURCHASER,
        region_code=org.organisation.region.code,
        membership_id=None,
        is_org_admin=False,
        is_system=True,
    )


@pytest.mark.parametrize(
    "presented",
    ["", "zc_", "zc_" + "A" * 43, "not-a-token", "Bearer zc_x"],
)
def test_authenticate_rejects_anything_else(org: Org, presented: str) -> None:
    token_create(actor=org.admin_actor, name="sync")
    assert token_authenticate(plaintext=presented) is None


def test_inactive_organisation_token_stops_working(org: Org) -> None:
    _, secret = token_create(actor=org.admin_actor, name="sync")
    org.organisation.is_active = False
    org.organisation.save()
    assert token_authenticate(plaintext=secret) is None


def test_last_used_is_recorded_at_most_once_a_minute(org: Org, frozen_clock, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    token, secret = token_create(actor=org.admin_actor, name="sync")
    start = frozen_clock.now()

    token_authenticate(plaintext=secret)
    token.refresh_from_db()
    assert token.last_used_at == start

    frozen_clock.advance(dt.timedelta(seconds=30))
    with django_assert_num_queries(1):  # the lookup only, no UPDATE
        token_authenticate(plaintext=secret)
    token.refresh_from_db()
    assert token.last_used_at == start

    frozen_clock.advance(dt.timedelta(seconds=31))
    token_authenticate(plaintext=secret)
    token.refresh_from_db()
    assert token.last_used_at == frozen_clock.now()


# --- the management page -------------------------------------------------------------


def test_page_lists_the_orgs_tokens_only(admin_client: Client, org: Org, other_org: Org) -> None:
    token_create(actor=org.admin_actor, name="ours")
    token_create(actor=other_org.admin_actor, name="theirs")
    response = admin_client.get(reverse("tokens:list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "ours" in content
    assert "theirs" not in content
    assert 'action="/tokens/create/"' in content


def test_create_on_the_page_shows_the_secret_exactly_once(admin_client: Client, org: Org) -> None:
    response = admin_client.post(reverse("tokens:create"), {"name": "bank feed"})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(name="bank feed")
    secret = response.context["secret"]
    assert secret.startswith(token.prefix)
    assert secret in response.content.decode()
    assert token_authenticate(plaintext=secret) is not None

    again = admin_client.get(reverse("tokens:list"))
    assert secret not in again.content.decode()
    assert token.prefix in again.content.decode()


def test_create_on_the_page_reports_a_duplicate_name(admin_client: Client, org: Org) -> None:
    token_create(actor=org.admin_actor, name="dup")
    response = admin_client.post(reverse("tokens:create"), {"name": "dup"})
    assert response.status_code == 409
    assert response.context["form"].errors["name"]
    assert ApiToken.objects.filter(name="dup").count() == 1


def test_revoke_on_the_page(admin_client: Client, org: Org) -> None:
    token, secret = token_create(actor=org.admin_actor, name="sync")
    response = admin_client.post(reverse("tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("tokens:list")
    assert token_authenticate(plaintext=secret) is None


def test_page_revoke_of_another_orgs_token_is_404(admin_client: Client, other_org: Org) -> None:
    token, secret = token_create(actor=other_org.admin_actor, name="theirs")
    response = admin_client.post(reverse("tokens:revoke", args=[token.pk]))
    assert response.status_code == 404
    assert token_authenticate(plaintext=secret) is not None


def test_member_sees_the_list_but_cannot_manage(org: Org) -> None:
    token, _ = token_create(actor=org.admin_actor, name="sync")
    client = Client()
    client.force_login(org.member)
    page = client.get(reverse("tokens:list"))
    assert page.status_code == 200
    assert "sync" in page.content.decode()
    assert 'action="/tokens/create/"' not in page.content.decode()
    assert client.post(reverse("tokens:create"), {"name": "x"}).status_code == 403
    assert client.post(reverse("tokens:revoke", args=[token.pk])).status_code == 403
    assert ApiToken.objects.count() == 1


def test_page_requires_login(client: Client) -> None:
    response = client.get(reverse("tokens:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
