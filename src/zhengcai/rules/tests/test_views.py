"""Rule-set and calendar screens: operators publish, others read or are refused; bad input saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from zhengcai.audit.models import AuditEvent
from zhengcai.core.actor import SYSTEM
from zhengcai.core.clock import FrozenClock
from zhengcai.core.roles import OrgType
from zhengcai.rules import services
from zhengcai.rules.defaults import national_2022
from zhengcai.rules.forms import RuleSetForm
from zhengcai.rules.models import CalendarOverride, RuleSet

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def seeded(frozen_clock: FrozenClock, regions) -> None:
    services.rules_seed_defaults(actor=SYSTEM)


def form_post(region: str = "330802", effective_from: str = "2026-04-01", **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        k: ("" if v is None else ("on" if v is True else v))
        for k, v in RuleSetForm.initial_from(national_2022()).items()
        if v is not False
    }
    data.update(region=region, effective_from=effective_from, version_label="柯城 2026", source="", notes="")
    data.update(changes)
    return data


def test_operator_sees_versions_with_the_one_in_force(seeded, client_for) -> None:
    response = client_for(OrgType.OPERATOR).get(reverse("rules:rulesets"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "全国 2022" in body
    assert "浙江 2021" in body
    assert body.count('data-testid="in-force"') == 2  # national 2022 and Zhejiang 2022
    assert reverse("rules:ruleset_new") in body


def test_regulator_reads_but_cannot_publish(seeded, client_for) -> None:
    client = client_for(OrgType.REGULATOR)
    response = client.get(reverse("rules:rulesets"))
    assert response.status_code == 200
    assert reverse("rules:ruleset_new") not in response.content.decode()
    rs = RuleSet.objects.get(version_label="浙江 2022")
    detail = client.get(reverse("rules:ruleset_detail", args=[rs.pk]))
    assert detail.status_code == 200
    assert "《政府采购法实施条例》第三十三条" in detail.content.decode()
    assert client.get(reverse("rules:ruleset_new")).status_code == 403
    assert client.post(reverse("rules:ruleset_new"), form_post()).status_code == 403
    assert RuleSet.objects.count() == 4


@pytest.mark.parametrize("org_type", [OrgType.SUPPLIER, OrgType.BUDGET_UNIT, OrgType.AGENCY, OrgType.BANK])
def test_other_roles_are_refused(seeded, client_for, org_type: str) -> None:
    client = client_for(org_type)
    rs = RuleSet.objects.first()
    assert client.get(reverse("rules:rulesets")).status_code == 403
    assert client.get(reverse("rules:ruleset_detail", args=[rs.pk])).status_code == 404
    assert client.get(reverse("rules:ruleset_detail", args=[999999])).status_code == 404
    assert client.get(reverse("rules:ruleset_new")).status_code == 403
    assert client.post(reverse("rules:ruleset_new"), form_post()).status_code == 403
    post = client.post(reverse("rules:calendar_override_set"), {"day": "2026-03-07", "is_working_day": "1"})
    assert post.status_code == 403
    assert RuleSet.objects.count() == 4
    assert not CalendarOverride.objects.exists()
    # Everyone logged in reads the calendar.
    assert client.get(reverse("rules:calendar")).status_code == 200


def test_anonymous_is_sent_to_login(seeded) -> None:
    response = Client().get(reverse("rules:rulesets"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_new_version_form_is_prefilled_from_the_version_in_force(seeded, client_for) -> None:
    client = client_for(OrgType.OPERATOR)
    response = client.get(reverse("rules:ruleset_new") + "?region=330802")
    assert response.status_code == 200
    form = response.context["form"]
    assert response.context["based_on"].version_label == "浙江 2022"
    assert form.initial["bid_bond_allowed"] is False
    assert form.initial["sme_small_micro_deduction__min"] == 10
    assert form.initial["region"] == "330802"
    national = client.get(reverse("rules:ruleset_new"))
    assert national.context["form"].initial["bid_bond_allowed"] is True


def test_operator_publishes_a_version(seeded, client_for) -> None:
    client = client_for(OrgType.OPERATOR)
    data = form_post(mall_direct_purchase_limit="300000.00", tender_notice_period__n="6", notes="衢州试点")
    del data["bid_bond_allowed"]  # untick the checkbox
    response = client.post(reverse("rules:ruleset_new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rs = RuleSet.objects.get(version_label="柯城 2026")
    assert rs.region.code == "330802"
    assert rs.effective_from == D(2026, 4, 1)
    values = rs.rule_values
    assert values.mall_direct_purchase_limit == 300000
    assert values.tender_notice_period.n == 6
    assert values.bid_bond_allowed is False
    assert values.committee_expert_share_min.denominator == 3
    assert values.abnormally_low_price_percent is None
    assert response["Location"] == reverse("rules:ruleset_detail", args=[rs.pk])
    assert AuditEvent.objects.filter(action="rules.ruleset.create", object_id=str(rs.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"tender_committee_min": "4"}, "tender_committee_min"),  # service: committees are odd
        ({"tender_committee_min": "x"}, "tender_committee_min"),  # form: not a number
        ({"sme_small_micro_deduction__min": "30"}, "sme_small_micro_deduction__min"),  # band order
        ({"committee_expert_share_min": "3/2"}, "committee_expert_share_min"),
        ({"effective_from": "2026-03-01"}, "effective_from"),  # in the past
        ({"effective_from": "2022-07-01", "region": ""}, "effective_from"),  # past and duplicate
        ({"version_label": ""}, "version_label"),
        ({"tender_notice_period__unit": "weeks"}, "tender_notice_period__unit"),
    ],
)
def test_bad_input_shows_a_message_and_saves_nothing(seeded, client_for, changes, field) -> None:
    client = client_for(OrgType.OPERATOR)
    events = AuditEvent.objects.count()
    response = client.post(reverse("rules:ruleset_new"), form_post(**changes))
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors.get(field), form.errors
    assert "invalid-feedback" in response.content.decode()
    assert RuleSet.objects.count() == 4
    assert AuditEvent.objects.count() == events


def test_duplicate_date_is_reported_on_the_field(seeded, client_for) -> None:
    client = client_for(OrgType.OPERATOR)
    assert client.post(reverse("rules:ruleset_new"), form_post()).status_code == 302
    response = client.post(reverse("rules:ruleset_new"), form_post(version_label="again"))
    assert response.status_code == 400
    assert response.context["form"].errors["effective_from"]
    assert RuleSet.objects.count() == 5


def test_calendar_year_view(seeded, client_for) -> None:
    client = client_for(OrgType.SUPPLIER)
    response = client.get(reverse("rules:calendar") + "?year=2025")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-day="2025-10-01" data-kind="holiday"' in body
    assert 'data-day="2025-01-26" data-kind="makeup_workday"' in body
    assert 'data-day="2025-03-08" data-kind="weekend"' in body
    assert 'data-testid="override-save"' not in body  # no form for non-operators
    assert 'data-testid="no-official-data"' not in body
    later = client.get(reverse("rules:calendar") + "?year=2031")
    assert 'data-testid="no-official-data"' in later.content.decode()
    assert client.get(reverse("rules:calendar") + "?year=abc").context["year"] == 2026


def test_operator_sets_and_removes_an_override(seeded, client_for) -> None:
    client = client_for(OrgType.OPERATOR)
    page = client.get(reverse("rules:calendar"))
    assert 'data-testid="override-save"' in page.content.decode()
    response = client.post(
        reverse("rules:calendar_override_set"), {"day": "2027-01-01", "is_working_day": "0", "note": "元旦"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?year=2027")
    body = client.get(response["Location"]).content.decode()
    assert 'data-day="2027-01-01" data-kind="override_rest"' in body
    assert CalendarOverride.objects.get().note == "元旦"
    response = client.post(reverse("rules:calendar_override_delete"), {"day": "2027-01-01"})
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()


def test_override_in_the_past_shows_the_error(seeded, client_for) -> None:
    client = client_for(OrgType.OPERATOR)
    response = client.post(reverse("rules:calendar_override_set"), {"day": "2026-01-05", "is_working_day": "0"})
    assert response.status_code == 400
    assert response.context["form"].errors["day"]
    response = client.post(reverse("rules:calendar_override_set"), {"day": "", "is_working_day": "0"})
    assert response.status_code == 400
    assert not CalendarOverride.objects.exists()


def test_pages_are_in_chinese_by_default(seeded, client_for) -> None:
    client = client_for(OrgType.OPERATOR)
    assert "规则集" in client.get(reverse("rules:rulesets")).content.decode()
    rs = RuleSet.objects.get(version_label="浙江 2022")
    detail = client.get(reverse("rules:ruleset_detail", args=[rs.pk])).content.decode()
    assert "可以收取投标保证金" in detail
    assert "20 日" in detail
    assert "5 个工作日" in detail
    assert "10%–20%" in detail
    calendar = client.get(reverse("rules:calendar") + "?year=2026").content.decode()
    assert "工作日历" in calendar
    assert "调休上班日" in calendar
