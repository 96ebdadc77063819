"""Who reads what of a supplier through the API, and the operator's endpoints for other roles."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from zhengcai.accounts.models import User
from zhengcai.accounts.tests.factories import OrganisationFactory, log_in_verified, make_actor
from zhengcai.core.actor import Actor
from zhengcai.core.roles import OrgType
from zhengcai.rules.models import Region, RegionLevel
from zhengcai.suppliers.states import SupplierStatus
from zhengcai.suppliers.tests.factories import SupplierOrgFactory, SupplierProfileFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/suppliers"
PUBLIC_KEYS = {
    "id",
    "organisation_id",
    "name",
    "credit_code",
    "region_code",
    "size",
    "is_sme",
    "status",
    "rating",
    "rating_count",
}
PRIVATE_KEYS = {
    "bank_account",
    "bank_name",
    "legal_representative",
    "contact_phone",
    "review_comment",
    "qualifications",
}


def _client(actor: Actor) -> Client:
    return log_in_verified(Client(), User.objects.get(pk=actor.user_id))


@pytest.fixture
def hangzhou(regions: dict[str, Region]) -> Region:
    return Region.objects.create(code="330100", name="杭州市", level=RegionLevel.CITY, parent=regions["330000"])


@pytest.fixture
def submitted(regions: dict[str, Region]) -> Any:
    return SupplierProfileFactory(
        organisation=SupplierOrgFactory(region=regions["330802"]), status=SupplierStatus.SUBMITTED
    )


@pytest.fixture
def far_away(hangzhou: Region) -> Any:
    """An approved supplier in another city, with a private review note."""
    return SupplierProfileFactory(organisation=SupplierOrgFactory(region=hangzhou), review_comment="内部备注")


@pytest.fixture
def regulator(regions: dict[str, Region]) -> Actor:
    org = OrganisationFactory(org_type=OrgType.REGULATOR, region=regions["330800"], name="衢州市财政局")
    return make_actor(OrgType.REGULATOR, organisation=org)


def test_buyers_and_other_suppliers_read_only_public_fields_of_admitted_suppliers(
    profile: Any, submitted: Any, far_away: Any, purchaser: Actor, other_supplier: Actor
) -> None:
    for actor in (purchaser, other_supplier):
        client = _client(actor)
        one = client.get(f"{BASE}/{far_away.pk}")
        assert one.status_code == 200
        assert set(one.json()) == PUBLIC_KEYS
        assert one.json()["name"] == far_away.organisation.name
        assert client.get(f"{BASE}/{submitted.pk}").status_code == 404
        assert client.get(f"{BASE}/{submitted.pk}").json() == client.get(f"{BASE}/999999").json()
        rows = {row["id"]: row for row in client.get(f"{BASE}/").json()}
        assert submitted.pk not in rows
        assert set(rows[far_away.pk]) == PUBLIC_KEYS
        assert not any(PRIVATE_KEYS & set(row) for pk, row in rows.items() if pk != actor_profile_pk(actor))
        assert "内部备注" not in client.get(f"{BASE}/").content.decode()


def actor_profile_pk(actor: Actor) -> int | None:
    from zhengcai.suppliers.models import SupplierProfile

    return SupplierProfile.objects.filter(organisation_id=actor.organisation_id).values_list("pk", flat=True).first()


def test_supplier_reads_its_own_profile_in_full(profile: Any, supplier: Actor) -> None:
    response = _client(supplier).get(f"{BASE}/{profile.pk}")
    assert response.status_code == 200
    assert set(response.json()) >= PRIVATE_KEYS


def test_regulator_reads_its_region_in_full_and_elsewhere_in_public(
    profile: Any, submitted: Any, far_away: Any, regulator: Actor
) -> None:
    client = _client(regulator)
    assert set(client.get(f"{BASE}/{submitted.pk}").json()) >= PRIVATE_KEYS
    assert set(client.get(f"{BASE}/{far_away.pk}").json()) == PUBLIC_KEYS
    rows = {row["id"]: row for row in client.get(f"{BASE}/").json()}
    assert set(rows[profile.pk]) >= PRIVATE_KEYS
    assert set(rows[far_away.pk]) == PUBLIC_KEYS


def test_operator_reads_everything(submitted: Any, far_away: Any, operator: Actor) -> None:
    client = _client(operator)
    assert client.get(f"{BASE}/{far_away.pk}").json()["review_comment"] == "内部备注"
    rows = {row["id"]: row for row in client.get(f"{BASE}/").json()}
    assert set(rows[submitted.pk]) >= PRIVATE_KEYS


def test_web_review_pages_and_documents_stay_closed(profile: Any, purchaser: Actor, regulator: Actor) -> None:
    for actor in (purchaser, regulator):
        client = _client(actor)
        assert client.get(f"/suppliers/review/{profile.pk}/").status_code == 404
        assert client.get("/suppliers/review/").status_code == 404


@pytest.mark.parametrize("body", ['{"comment": 5}', "not json", '{"until": "someday"}'])
@pytest.mark.parametrize("action", ["approve", "return", "suspend", "reinstate", "credit-penalty"])
def test_wrong_role_gets_404_whatever_the_body(
    submitted: Any, supplier: Actor, purchaser: Actor, action: str, body: str
) -> None:
    for actor in (supplier, purchaser):
        response = _client(actor).post(f"{BASE}/{submitted.pk}/{action}", body, content_type="application/json")
        assert response.status_code == 404, (actor, action, body, response.content)


def test_own_profile_decisions_are_404_too(profile: Any, supplier: Actor) -> None:
    response = _client(supplier).post(f"{BASE}/{profile.pk}/suspend", {"reason": "x"}, content_type="application/json")
    assert response.status_code == 404


def test_operator_with_a_bad_body_gets_422_with_the_field(profile: Any, operator: Actor) -> None:
    client = _client(operator)
    bad = client.post(f"{BASE}/{profile.pk}/credit-penalty", {"until": "someday"}, content_type="application/json")
    assert bad.status_code == 422
    assert "until" in bad.json()["error"]["fields"]
    assert client.post(f"{BASE}/{profile.pk}/suspend", "not json", content_type="application/json").status_code == 422
    done = client.post(f"{BASE}/{profile.pk}/suspend", {"reason": "投诉查实"}, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["status"] == "suspended"


def test_a_system_token_of_a_buyer_reads_no_more_than_its_people(
    submitted: Any, far_away: Any, purchaser: Actor
) -> None:
    """API tokens act as ``is_system`` actors of their organisation: that is no licence to read all."""
    from dataclasses import replace

    from zhengcai.suppliers import selectors

    token = replace(purchaser, user_id=None, username="token:sync", membership_id=None, is_system=True)
    assert not selectors.profiles_visible(token).exists()
    assert selectors.profile_read(actor=token, pk=far_away.pk)[1] is False
    assert submitted.pk not in set(selectors.review_queue(actor=token).values_list("pk", flat=True))
