"""The accounts API: me, visible organisations, one organisation, registration by the operator."""

from __future__ import annotations

import pytest
from django.test import Client

from zhengcai.accounts.models import Organisation
from zhengcai.accounts.tests.factories import MembershipFactory, OrganisationFactory, RegionFactory, log_in_verified
from zhengcai.audit.models import AuditEvent
from zhengcai.core.creditcode import make_code
from zhengcai.core.roles import OrgType
from zhengcai.rules.models import RegionLevel

pytestmark = pytest.mark.django_db

BASE = "/api/v1/accounts"


def client_for(org_type: str, **org_kw) -> tuple[Client, object]:
    membership = MembershipFactory(organisation=OrganisationFactory(org_type=org_type, **org_kw))
    return log_in_verified(Client(), membership.user), membership


def test_me_lists_memberships_and_current_one():
    client, m = client_for(OrgType.BUDGET_UNIT)
    second = MembershipFactory(user=m.user, organisation=OrganisationFactory(org_type=OrgType.AGENCY))
    body = client.get(f"{BASE}/me").json()
    assert body["user"]["username"] == m.user.username
    assert body["current_membership_id"] in {m.pk, second.pk}
    assert {x["id"] for x in body["memberships"]} == {m.pk, second.pk}


def test_anonymous_gets_error_format():
    response = Client().get(f"{BASE}/me")
    assert response.status_code == 401
    assert "error" in response.json()


def test_organisation_list_and_detail_respect_visibility():
    client, m = client_for(OrgType.SUPPLIER)
    other = OrganisationFactory()
    body = client.get(f"{BASE}/organisations").json()
    assert [o["id"] for o in body["items"]] == [m.organisation_id]
    assert client.get(f"{BASE}/organisations/{m.organisation_id}").json()["name"] == m.organisation.name
    hidden = client.get(f"{BASE}/organisations/{other.pk}")
    missing = client.get(f"{BASE}/organisations/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_operator_registers_organisation():
    RegionFactory(code="330802", level=RegionLevel.COUNTY)
    client, _ = client_for(OrgType.OPERATOR)
    code = make_code("91", "330802", "MA2GY0077")
    payload = {"name": "衢州市新供应商有限公司", "org_type": "supplier", "credit_code": code, "region_code": "330802"}
    response = client.post(f"{BASE}/organisations", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["credit_code"] == code
    assert Organisation.objects.filter(credit_code=code).exists()


def test_bad_credit_code_in_error_format_changes_nothing():
    RegionFactory(code="330802", level=RegionLevel.COUNTY)
    client, _ = client_for(OrgType.OPERATOR)
    before = (Organisation.objects.count(), AuditEvent.objects.count())
    payload = {
        "name": "坏代码公司",
        "org_type": "supplier",
        "credit_code": "91330802MA2GY0077",
        "region_code": "330802",
    }
    response = client.post(f"{BASE}/organisations", payload, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert "credit_code" in error["fields"]
    assert "18" in error["fields"]["credit_code"][0]
    assert (Organisation.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize(
    "org_type", [OrgType.BUDGET_UNIT, OrgType.SUPPLIER, OrgType.REGULATOR, OrgType.BANK, OrgType.AGENCY]
)
def test_non_operator_cannot_register(org_type):
    RegionFactory(code="330802", level=RegionLevel.COUNTY)
    client, _ = client_for(org_type)
    before = Organisation.objects.count()
    payload = {
        "name": "X",
        "org_type": "supplier",
        "credit_code": make_code("91", "330802", "MA2GY0078"),
        "region_code": "330802",
    }
    response = client.post(f"{BASE}/organisations", payload, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_permitted"
    assert Organisation.objects.count() == before
