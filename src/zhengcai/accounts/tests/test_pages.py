"""Organisation pages: list with filters, detail, registration and member forms, profile."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhengcai.accounts.models import Membership, Organisation
from zhengcai.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
    log_in_verified,
)
from zhengcai.core.creditcode import make_code
from zhengcai.core.roles import OrgType
from zhengcai.rules.models import RegionLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    province = RegionFactory(code="330000", name="浙江省", level=RegionLevel.PROVINCE)
    city = RegionFactory(code="330800", name="衢州市", level=RegionLevel.CITY, parent=province)
    return RegionFactory(code="330802", name="柯城区", level=RegionLevel.COUNTY, parent=city)


def logged_in(org_type: str, *, is_admin: bool = False, region=None) -> tuple[Client, Membership]:
    org = OrganisationFactory(org_type=org_type, **({"region": region} if region else {}))
    m = MembershipFactory(organisation=org, is_admin=is_admin)
    return log_in_verified(Client(), m.user), m


def test_operator_lists_filters_and_registers(county):
    client, _ = logged_in(OrgType.OPERATOR, region=county)
    OrganisationFactory(name="衢州市恒信办公用品有限公司", org_type=OrgType.SUPPLIER, region=county)
    page = client.get(reverse("accounts:organisations"), {"q": "恒信", "org_type": "supplier"})
    assert page.status_code == 200
    content = page.content.decode()
    assert "衢州市恒信办公用品有限公司" in content
    assert 'data-testid="organisation-create-form"' in content
    bad = client.post(
        reverse("accounts:organisation_create"),
        {"name": "坏", "org_type": "supplier", "credit_code": "91330802MA2GY00", "region_code": "330802"},
    )
    assert bad.status_code == 400
    assert b'data-testid="error-credit_code"' in bad.content
    code = make_code("91", "330802", "MA2GY0066")
    ok = client.post(
        reverse("accounts:organisation_create"),
        {"name": "新公司", "org_type": "supplier", "credit_code": code, "region_code": "330802"},
    )
    org = Organisation.objects.get(credit_code=code)
    assert ok.status_code == 302
    assert ok["Location"] == reverse("accounts:organisation_detail", args=[org.pk])


def test_plain_member_sees_own_organisation_only_and_no_forms(county):
    client, m = logged_in(OrgType.SUPPLIER, region=county)
    other = OrganisationFactory(region=county)
    content = client.get(reverse("accounts:organisations")).content.decode()
    assert m.organisation.name in content
    assert other.name not in content
    assert "organisation-create-form" not in content
    assert client.get(reverse("accounts:organisation_detail", args=[other.pk])).status_code == 404
    detail = client.get(reverse("accounts:organisation_detail", args=[m.organisation_id])).content.decode()
    assert "member-add-form" not in detail
    response = client.post(
        reverse("accounts:organisation_create"),
        {"name": "x", "org_type": "supplier", "credit_code": "x", "region_code": "330802"},
    )
    assert response.status_code in {400, 403}
    assert not Organisation.objects.filter(name="x").exists()


def test_org_admin_adds_and_revokes_member(county):
    client, admin = logged_in(OrgType.BUDGET_UNIT, is_admin=True, region=county)
    UserFactory(username="colleague")
    url = reverse("accounts:member_add", args=[admin.organisation_id])
    wrong_role = client.post(url, {"username": "colleague", "role": "supplier"})
    assert wrong_role.status_code == 400
    assert b'data-testid="error-role"' in wrong_role.content
    unknown = client.post(url, {"username": "ghost", "role": "purchaser"})
    assert b'data-testid="error-username"' in unknown.content
    response = client.post(url, {"username": "colleague", "role": "purchaser"})
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="colleague", organisation_id=admin.organisation_id)
    detail = client.get(reverse("accounts:organisation_detail", args=[admin.organisation_id])).content.decode()
    assert 'data-testid="member-revoke-colleague"' in detail
    client.post(reverse("accounts:member_revoke", args=[admin.organisation_id, membership.pk]))
    membership.refresh_from_db()
    assert not membership.is_active


def test_non_admin_cannot_add_members(county):
    client, m = logged_in(OrgType.BUDGET_UNIT, region=county)
    UserFactory(username="colleague")
    response = client.post(
        reverse("accounts:member_add", args=[m.organisation_id]), {"username": "colleague", "role": "purchaser"}
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user__username="colleague").exists()


def test_operator_deactivates(county):
    client, _ = logged_in(OrgType.OPERATOR, region=county)
    org = OrganisationFactory(region=county)
    response = client.post(reverse("accounts:organisation_deactivate", args=[org.pk]))
    assert response.status_code == 302
    org.refresh_from_db()
    assert not org.is_active


def test_profile_shows_memberships_and_totp_status(county):
    client, m = logged_in(OrgType.REGULATOR, region=county)
    content = client.get(reverse("accounts:profile")).content.decode()
    assert m.organisation.name in content
    assert 'data-testid="profile-totp"' in content


def test_org_switcher_lists_memberships_in_header(county):
    client, m = logged_in(OrgType.BUDGET_UNIT, region=county)
    second = MembershipFactory(user=m.user, organisation=OrganisationFactory(org_type=OrgType.AGENCY, region=county))
    content = client.get(reverse("web:home")).content.decode()
    assert f'data-testid="org-switch-{second.pk}"' in content
    assert f'data-testid="org-switch-{m.pk}"' in content
