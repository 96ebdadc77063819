"""Organisation and membership services: validation and the authorisation matrix."""

from __future__ import annotations

import pytest
from django.utils import translation

from zhengcai.accounts import services
from zhengcai.accounts.models import Membership, Organisation, User
from zhengcai.accounts.selectors import organisation_get, organisations_visible
from zhengcai.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
    make_actor,
)
from zhengcai.audit.models import AuditEvent
from zhengcai.core.actor import SYSTEM
from zhengcai.core.creditcode import make_code
from zhengcai.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from zhengcai.core.roles import OrgType, Role
from zhengcai.rules.models import RegionLevel

pytestmark = pytest.mark.django_db

VALID = make_code("91", "330802", "MA2GY0099")


@pytest.fixture
def regions():
    province = RegionFactory(code="330000", name="浙江省", level=RegionLevel.PROVINCE)
    city = RegionFactory(code="330800", name="衢州市", level=RegionLevel.CITY, parent=province)
    county = RegionFactory(code="330802", name="柯城区", level=RegionLevel.COUNTY, parent=city)
    hangzhou = RegionFactory(code="330100", name="杭州市", level=RegionLevel.CITY, parent=province)
    return {"province": province, "city": city, "county": county, "hangzhou": hangzhou}


def snapshot() -> tuple:
    return (
        list(Organisation.objects.order_by("pk").values_list("pk", "name", "is_active", "region_id")),
        list(Membership.objects.order_by("pk").values_list("pk", "is_active", "is_admin")),
        User.objects.count(),
        AuditEvent.objects.count(),
    )


def create(actor, **kw):
    args = {
        "org_type": OrgType.SUPPLIER,
        "name": "衢州市测试办公用品有限公司",
        "credit_code": VALID,
        "region_code": "330802",
    }
    args.update(kw)
    return services.organisation_create(actor=actor, **args)


def test_operator_creates_organisation_and_it_is_audited(regions):
    operator = make_actor(OrgType.OPERATOR)
    org = create(operator, credit_code=VALID.lower())
    assert org.credit_code == VALID
    assert org.region == regions["county"]
    event = AuditEvent.objects.get(action="accounts.organisation.create")
    assert event.object_id == str(org.pk)
    assert event.actor_id == operator.user_id


@pytest.mark.parametrize(
    ("code", "expected_en"),
    [
        ("91330802MA2GY009", "has 18 characters; this one has 16"),
        ("91330802MA2GY009OX", "may not contain: O"),
        ("91ABCDEFMA2GY0099X", "administrative division code"),
        (VALID[:-1] + ("0" if VALID[-1] != "0" else "1"), "does not add up"),
    ],
)
def test_credit_code_errors_say_what_is_wrong(regions, code, expected_en):
    operator = make_actor(OrgType.OPERATOR)
    before = snapshot()
    with translation.override("en"), pytest.raises(ValidationFailed) as err:
        create(operator, credit_code=code)
    assert expected_en in str(err.value.fields["credit_code"][0])
    assert str(err.value.message) == str(err.value.fields["credit_code"][0])
    assert snapshot() == before


def test_credit_code_must_be_unique(regions):
    operator = make_actor(OrgType.OPERATOR)
    create(operator)
    before = snapshot()
    with pytest.raises(ValidationFailed) as err:
        create(operator, name="另一家公司")
    assert "credit_code" in err.value.fields
    assert snapshot() == before


def test_bad_type_region_and_name_are_refused(regions):
    operator = make_actor(OrgType.OPERATOR)
    before = snapshot()
    for kw, field in [
        ({"org_type": "pirate"}, "org_type"),
        ({"region_code": "999999"}, "region_code"),
        ({"name": " "}, "name"),
    ]:
        with pytest.raises(ValidationFailed) as err:
            create(operator, **kw)
        assert field in err.value.fields
    assert snapshot() == before


@pytest.mark.parametrize("org_type", [t for t in OrgType.values if t != OrgType.OPERATOR])
def test_only_operator_creates_organisations(regions, org_type):
    actor = make_actor(org_type, is_staff=True)
    before = snapshot()
    with pytest.raises(NotPermitted):
        create(actor)
    assert snapshot() == before


@pytest.mark.parametrize("org_type", [t for t in OrgType.values if t != OrgType.OPERATOR])
def test_only_operator_updates_and_deactivates(regions, org_type):
    actor = make_actor(org_type)
    target = OrganisationFactory(region=regions["county"]) if org_type != OrgType.BUDGET_UNIT else None
    target = target or OrganisationFactory(region=regions["county"])
    before = snapshot()
    with pytest.raises((NotPermitted, NotFound)):
        services.organisation_update(actor=actor, organisation_id=target.pk, name="新名称")
    with pytest.raises((NotPermitted, NotFound)):
        services.organisation_deactivate(actor=actor, organisation_id=target.pk)
    assert snapshot() == before


def test_operator_updates_and_deactivates(regions):
    operator = make_actor(OrgType.OPERATOR)
    org = OrganisationFactory(region=regions["county"])
    services.organisation_update(actor=operator, organisation_id=org.pk, name="新名称", region_code="330800")
    org.refresh_from_db()
    assert (org.name, org.region.code) == ("新名称", "330800")
    services.organisation_deactivate(actor=operator, organisation_id=org.pk)
    org.refresh_from_db()
    assert not org.is_active
    with pytest.raises(Conflict):
        services.organisation_deactivate(actor=operator, organisation_id=org.pk)
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions[-2:] == ["accounts.organisation.update", "accounts.organisation.deactivate"]


def test_regulator_sees_its_region_subtree_only(regions):
    city_regulator = make_actor(
        OrgType.REGULATOR, organisation=OrganisationFactory(org_type=OrgType.REGULATOR, region=regions["city"])
    )
    inside = OrganisationFactory(region=regions["county"])
    outside = OrganisationFactory(region=regions["hangzhou"])
    visible = set(organisations_visible(city_regulator).values_list("pk", flat=True))
    assert inside.pk in visible
    assert outside.pk not in visible
    with pytest.raises(NotFound):
        organisation_get(city_regulator, outside.pk)
    with pytest.raises(NotFound):
        organisation_get(city_regulator, 987654)


def test_plain_member_sees_only_own_organisation(regions):
    actor = make_actor(OrgType.SUPPLIER)
    other = OrganisationFactory()
    assert list(organisations_visible(actor).values_list("pk", flat=True)) == [actor.organisation_id]
    with pytest.raises(NotFound):
        organisation_get(actor, other.pk)


def test_org_admin_grants_and_revokes_in_own_organisation(regions):
    admin_membership = MembershipFactory(is_admin=True)
    admin = make_actor_from(admin_membership)
    newcomer = UserFactory(username="newcomer")
    m = services.membership_grant(actor=admin, organisation_id=admin_membership.organisation_id, username="newcomer")
    assert m.role == Role.PURCHASER
    assert m.user == newcomer
    with pytest.raises(ValidationFailed):
        services.membership_grant(actor=admin, organisation_id=admin_membership.organisation_id, username="newcomer")
    services.membership_revoke(actor=admin, membership_id=m.pk)
    m.refresh_from_db()
    assert not m.is_active
    # Granting again reactivates the same row.
    again = services.membership_grant(
        actor=admin, organisation_id=admin_membership.organisation_id, username="newcomer"
    )
    assert again.pk == m.pk
    assert again.is_active
    with pytest.raises(Conflict):
        services.membership_revoke(actor=admin, membership_id=admin_membership.pk)


def make_actor_from(membership):
    from zhengcai.accounts.selectors import actor_from_membership

    return actor_from_membership(membership.user, membership)


def test_role_must_fit_organisation_type(regions):
    operator = make_actor(OrgType.OPERATOR)
    org = OrganisationFactory(org_type=OrgType.SUPPLIER)
    UserFactory(username="x")
    before = snapshot()
    with pytest.raises(ValidationFailed) as err:
        services.membership_grant(actor=operator, organisation_id=org.pk, username="x", role=Role.REGULATOR)
    assert "role" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        services.membership_grant(actor=operator, organisation_id=org.pk, username="nobody")
    assert "username" in err.value.fields
    assert snapshot() == before


@pytest.mark.parametrize("who", ["non_admin_member", "admin_of_other_org", "regulator", "supplier"])
def test_membership_management_refused_for_wrong_actors(regions, who):
    org = OrganisationFactory(region=regions["county"])
    target = MembershipFactory(organisation=org)
    UserFactory(username="candidate")
    actor = {
        "non_admin_member": lambda: make_actor_from(MembershipFactory(organisation=org)),
        "admin_of_other_org": lambda: make_actor_from(MembershipFactory(is_admin=True)),
        "regulator": lambda: make_actor(
            OrgType.REGULATOR, organisation=OrganisationFactory(org_type=OrgType.REGULATOR, region=regions["city"])
        ),
        "supplier": lambda: make_actor(OrgType.SUPPLIER),
    }[who]()
    before = snapshot()
    with pytest.raises((NotPermitted, NotFound)):
        services.membership_grant(actor=actor, organisation_id=org.pk, username="candidate")
    with pytest.raises((NotPermitted, NotFound)):
        services.membership_revoke(actor=actor, membership_id=target.pk)
    with pytest.raises(NotPermitted):
        services.user_create(
            actor=actor, username="fresh", password="a-good-long-passphrase"
        ) if not actor.is_org_admin else (_raise_not_permitted())
    assert snapshot() == before


def _raise_not_permitted():
    raise NotPermitted()


def test_user_create_validates(regions):
    operator = make_actor(OrgType.OPERATOR)
    user = services.user_create(
        actor=operator, username="fresh", display_name="新人", password="a-good-long-passphrase"
    )
    assert user.check_password("a-good-long-passphrase")
    before = snapshot()
    with pytest.raises(ValidationFailed) as err:
        services.user_create(actor=operator, username="FRESH")
    assert "username" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        services.user_create(actor=operator, username="other", password="123")
    assert "password" in err.value.fields
    assert snapshot() == before
    no_password = services.user_create(actor=operator, username="nopw")
    assert not no_password.has_usable_password()


def test_system_actor_is_the_platform(regions):
    org = create(SYSTEM)
    assert org.pk


def test_the_regulator_of_the_organisations_region_sees_its_creation(regions):
    """The operator sits in the province; the event belongs to the county it concerns."""
    from zhengcai.audit.selectors import events_visible

    operator_org = OrganisationFactory(org_type=OrgType.OPERATOR, region=regions["province"])
    operator = make_actor(OrgType.OPERATOR, organisation=operator_org)
    quzhou = make_actor(
        OrgType.REGULATOR, organisation=OrganisationFactory(org_type=OrgType.REGULATOR, region=regions["city"])
    )
    hangzhou = make_actor(
        OrgType.REGULATOR, organisation=OrganisationFactory(org_type=OrgType.REGULATOR, region=regions["hangzhou"])
    )
    org = create(operator)
    seen = events_visible(actor=quzhou).filter(action="accounts.organisation.create", object_id=str(org.pk))
    assert seen.get().region_code == "330802"
    assert not events_visible(actor=hangzhou).filter(object_id=str(org.pk)).exists()
