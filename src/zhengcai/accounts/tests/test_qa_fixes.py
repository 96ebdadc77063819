"""QA follow-ups: lockout cleared by a password reset, credit-code input, list filters, default membership."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhengcai.accounts import services
from zhengcai.accounts.models import Membership, Organisation
from zhengcai.accounts.selectors import default_membership
from zhengcai.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
    log_in_verified,
)
from zhengcai.audit.models import AuditEvent
from zhengcai.core.actor import Actor
from zhengcai.core.creditcode import make_code
from zhengcai.core.errors import ValidationFailed
from zhengcai.core.roles import OrgType
from zhengcai.rules.models import RegionLevel

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _plain_login_page(settings):
    settings.DEMO_MODE = False


@pytest.fixture
def county():
    province = RegionFactory(code="330000", name="浙江省", level=RegionLevel.PROVINCE)
    city = RegionFactory(code="330800", name="衢州市", level=RegionLevel.CITY, parent=province)
    return RegionFactory(code="330802", name="柯城区", level=RegionLevel.COUNTY, parent=city)


def login(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def lock_out(username: str) -> None:
    client = Client()
    for _ in range(5):
        response = login(client, username, "wrong")
    assert response.status_code == 403


def reset_password(email: str, new: str) -> None:
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": email})
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[-1].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302


# -- #12: a completed password reset lifts the lockout ----------------------------------------


def test_password_reset_lifts_the_lockout_and_is_audited():
    anna = MembershipFactory(user=UserFactory(username="anna", email="anna@example.test")).user
    lock_out("anna")
    assert login(Client(), "anna").status_code == 403
    new = "a-much-better-secret-42"
    reset_password("anna@example.test", new)
    assert login(Client(), "anna", new).status_code == 302
    event = AuditEvent.objects.get(action="accounts.user.lockout_clear", actor_id=anna.pk)
    assert event.data["reason"] == "password_reset"
    assert event.data["attempts_cleared"] >= 1


def test_lockout_clear_touches_only_that_username():
    anna = UserFactory(username="anna")
    MembershipFactory(user=anna)
    MembershipFactory(user=UserFactory(username="bert"))
    lock_out("anna")
    lock_out("bert")
    assert services.user_lockout_clear(user=anna, reason="password_reset") >= 1
    assert not AccessAttempt.objects.filter(username="anna").exists()
    assert AccessAttempt.objects.filter(username="bert").exists()
    assert login(Client(), "bert").status_code == 403


def test_lockout_clear_without_failures_changes_and_records_nothing():
    anna = UserFactory(username="anna")
    assert services.user_lockout_clear(user=anna, reason="password_reset") == 0
    assert not AuditEvent.objects.filter(action="accounts.user.lockout_clear").exists()


def test_password_reset_without_lockout_records_no_clear_event():
    MembershipFactory(user=UserFactory(username="anna", email="anna@example.test"))
    reset_password("anna@example.test", "a-much-better-secret-42")
    assert not AuditEvent.objects.filter(action="accounts.user.lockout_clear").exists()


# -- #16: credit codes typed full-width or with spaces ---------------------------------------


def test_organisation_create_normalises_full_width_credit_code(county):
    code = make_code("91", "330802", "MA28F3A1X")
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    org = services.organisation_create(
        actor=Actor(user_id=None, username="platform", is_system=True),
        org_type=OrgType.SUPPLIER,
        name="衢州市恒信办公用品有限公司",
        credit_code=f" {full_width[:9]}\u3000{full_width[9:]} ",
        region_code="330802",
    )
    assert org.credit_code == code


def test_wrong_check_character_message_does_not_give_the_answer(county):
    code = make_code("91", "330802", "MA28F3A1X")
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(ValidationFailed) as err:
        services.organisation_create(
            actor=Actor(user_id=None, username="platform", is_system=True),
            org_type=OrgType.SUPPLIER,
            name="某公司",
            credit_code=wrong,
            region_code="330802",
        )
    text = " ".join(str(m) for m in err.value.fields["credit_code"])
    assert f"({code[17]})" not in text
    assert f" {code[17]}" not in text
    assert "expected" not in text


def test_registration_form_accepts_full_width_code(county):
    org = OrganisationFactory(org_type=OrgType.OPERATOR, region=county)
    client = log_in_verified(Client(), MembershipFactory(organisation=org).user)
    code = make_code("91", "330802", "MA28F3A1X")
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    response = client.post(
        reverse("accounts:organisation_create"),
        {"name": "全角公司", "org_type": OrgType.SUPPLIER, "credit_code": full_width, "region_code": "330802"},
    )
    assert response.status_code == 302
    assert Organisation.objects.get(name="全角公司").credit_code == code


# -- #16: unknown list filters are said, not silently dropped --------------------------------


@pytest.mark.parametrize(
    ("params", "field_text"),
    [
        ({"org_type": "bad"}, "bad"),
        ({"region": "999999"}, "999999"),
        ({"region": "33"}, "33"),
    ],
)
def test_unknown_filter_shows_message_and_lists_nothing(county, params, field_text):
    operator = OrganisationFactory(org_type=OrgType.OPERATOR, region=county, name="平台运营方")
    client = log_in_verified(Client(), MembershipFactory(organisation=operator).user)
    OrganisationFactory(name="衢州市恒信办公用品有限公司", org_type=OrgType.SUPPLIER, region=county)
    response = client.get(reverse("accounts:organisations"), params)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="filter-error"' in html
    assert field_text in html
    assert "恒信" not in html
    assert "is-invalid" in html


def test_unknown_filter_message_is_translated(county):
    operator = OrganisationFactory(org_type=OrgType.OPERATOR, region=county)
    client = log_in_verified(
        Client(headers={"accept-language": "zh-hans"}), MembershipFactory(organisation=operator).user
    )
    html = client.get(reverse("accounts:organisations"), {"org_type": "bad"}).content.decode()
    assert "筛选条件" in html


def test_valid_filters_still_work_and_show_no_warning(county):
    operator = OrganisationFactory(org_type=OrgType.OPERATOR, region=county, name="平台运营方")
    client = log_in_verified(Client(), MembershipFactory(organisation=operator).user)
    OrganisationFactory(name="衢州市恒信办公用品有限公司", org_type=OrgType.SUPPLIER, region=county)
    html = client.get(reverse("accounts:organisations"), {"org_type": "supplier", "region": "330800"}).content.decode()
    assert "恒信" in html
    assert 'data-testid="filter-error"' not in html
    assert 'data-testid="filter-error"' not in client.get(reverse("accounts:organisations")).content.decode()


# -- #16: the default membership is the admin one, then the oldest ---------------------------


def _membership(user, name: str, *, is_admin: bool, days_ago: int) -> Membership:
    org = OrganisationFactory(name=name, org_type=OrgType.BUDGET_UNIT)
    return MembershipFactory(
        user=user, organisation=org, is_admin=is_admin, created_at=timezone.now() - dt.timedelta(days=days_ago)
    )


def test_default_membership_prefers_admin_over_older_and_alphabetically_first():
    user = UserFactory(username="zhangwei")
    _membership(user, "江山市实验小学", is_admin=False, days_ago=30)
    admin = _membership(user, "衢州第一中学", is_admin=True, days_ago=1)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("accounts:profile"))
    assert response.wsgi_request.actor.membership_id == admin.pk


def test_default_membership_without_admin_is_the_oldest():
    user = UserFactory()
    newer = _membership(user, "A 单位", is_admin=False, days_ago=1)
    older = _membership(user, "Z 单位", is_admin=False, days_ago=10)
    assert default_membership([newer, older]) == older
    assert default_membership([older, newer]) == older
    assert default_membership([]) is None


def test_default_membership_ties_break_on_pk():
    user = UserFactory()
    when = timezone.now()
    first = MembershipFactory(user=user, created_at=when, is_admin=True)
    second = MembershipFactory(user=user, created_at=when, is_admin=True)
    assert default_membership([second, first]) == first
