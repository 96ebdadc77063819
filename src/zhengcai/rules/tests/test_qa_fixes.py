"""QA follow-ups: text lengths, ISO date inputs, translated citations and notes, one calendar range."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from zhengcai.core.actor import SYSTEM
from zhengcai.core.clock import FrozenClock
from zhengcai.core.errors import ValidationFailed
from zhengcai.core.roles import OrgType
from zhengcai.rules import services
from zhengcai.rules.defaults import default_versions, national_2022
from zhengcai.rules.display import stored_text
from zhengcai.rules.models import CalendarOverride, RuleSet
from zhengcai.rules.values import RuleValues

pytestmark = pytest.mark.django_db
BASE = "/api/v1/rules"
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture
def seeded(frozen_clock: FrozenClock, regions) -> None:
    services.rules_seed_defaults(actor=SYSTEM)


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


# -- #8: texts longer than their columns are refused everywhere -------------------------------


@pytest.mark.parametrize(
    ("field", "length"), [("version_label", 1000), ("source", 2000), ("notes", 5000), ("version_label", 101)]
)
def test_api_refuses_over_long_texts(seeded, client_for, field: str, length: int) -> None:
    payload = {
        "region": "330802",
        "effective_from": "2026-04-01",
        "version_label": "柯城 2026",
        "values": national_2022().model_dump(mode="json"),
        field: "长" * length,
    }
    before = RuleSet.objects.count()
    response = client_for(OrgType.OPERATOR).post(f"{BASE}/rulesets", payload, "application/json")
    assert response.status_code in (400, 422)
    assert RuleSet.objects.count() == before


def test_api_accepts_texts_at_the_limit(seeded, client_for) -> None:
    payload = {
        "region": "330802",
        "effective_from": "2026-04-01",
        "version_label": "长" * 100,
        "source": "据" * 300,
        "values": national_2022().model_dump(mode="json"),
    }
    response = client_for(OrgType.OPERATOR).post(f"{BASE}/rulesets", payload, "application/json")
    assert response.status_code == 201
    assert RuleSet.objects.get(pk=response.json()["id"]).version_label == "长" * 100


@pytest.mark.parametrize(("field", "length"), [("version_label", 101), ("source", 301), ("notes", 2001)])
def test_service_refuses_over_long_texts(seeded, operator, regions, field: str, length: int) -> None:
    kwargs = {"version_label": "柯城 2026", "source": "", "notes": "", field: "长" * length}
    before = RuleSet.objects.count()
    with pytest.raises(ValidationFailed) as err:
        services.ruleset_create(
            actor=operator,
            region=regions["330802"],
            effective_from=dt.date(2026, 4, 1),
            values=national_2022(),
            **kwargs,
        )
    assert field in err.value.fields
    assert RuleSet.objects.count() == before


# -- #9: date inputs always carry ISO dates ---------------------------------------------------


def test_date_inputs_render_iso_dates_in_chinese(seeded, client_for) -> None:
    client = client_for(OrgType.OPERATOR)
    form = client.get(reverse("rules:ruleset_new")).content.decode()
    assert re.search(
        r'type="date" name="effective_from" value="2026-03-03"|name="effective_from"[^>]*value="2026-03-03"', form
    )
    assert "2026/03/03" not in form
    page = client.post(reverse("rules:calendar_override_set"), {"day": "2026-01-05", "is_working_day": "0"})
    assert page.status_code == 400
    assert re.search(r'name="day"[^>]*value="2026-01-05"', page.content.decode())


# -- #11: citations and seeded notes are translated --------------------------------------------


def test_every_citation_has_a_chinese_translation() -> None:
    with translation.override("zh-hans"):
        for name in RuleValues.model_fields:
            source = str(RuleValues.meta(name).source)
            assert source, name
            assert not LATIN.search(source), (name, source)
    with translation.override("en"):
        assert str(RuleValues.meta("open_tender_bidding_period").source) == "Government Procurement Law, Art. 35"


def test_seeded_sources_and_notes_are_stored_as_keys_and_translate() -> None:
    for version in default_versions():
        assert version.notes.isascii()  # stored in English whatever language seeds them
        with translation.override("zh-hans"):
            assert not LATIN.search(stored_text(version.notes)), version.notes
            assert not LATIN.search(stored_text(version.source)), version.source
        with translation.override("en"):
            assert stored_text(version.notes) == version.notes
    assert stored_text("运营方自己写的说明") == "运营方自己写的说明"
    assert stored_text("") == ""


def test_detail_page_in_chinese_shows_chinese_citations(seeded, client_for) -> None:
    rs = RuleSet.objects.get(version_label="全国 2021")
    body = client_for(OrgType.REGULATOR).get(reverse("rules:ruleset_detail", args=[rs.pk])).content.decode()
    assert "《政府采购法》第三十五条" in body
    assert "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第十八条" in body
    assert "《保障中小企业款项支付条例》" in body
    assert "小微企业" in body  # the seeded note
    for english_text in ("Law Art", "O87 Art", "State Council Orders", "e-mall rules", "listing guide", "SME price"):
        assert english_text not in body


def test_detail_page_in_english_shows_english(seeded, client_for) -> None:
    rs = RuleSet.objects.get(version_label="全国 2022")
    body = english(client_for(OrgType.REGULATOR)).get(reverse("rules:ruleset_detail", args=[rs.pk])).content.decode()
    assert "Government Procurement Law, Art. 35" in body
    assert "SME price deduction for goods and services raised to 10-20%" in body


def test_new_version_form_in_chinese_shows_chinese_citations(seeded, client_for) -> None:
    body = client_for(OrgType.OPERATOR).get(reverse("rules:ruleset_new") + "?region=330000").content.decode()
    assert "《政府采购法》第三十五条" in body
    assert "财库〔2022〕19号" in body
    for english_text in ("Law Art", "O87 Art", "State Council Orders", "regional e-mall", "Zhejiang"):
        assert english_text not in body


def test_rule_set_list_in_chinese_shows_chinese_sources(seeded, client_for) -> None:
    body = client_for(OrgType.OPERATOR).get(reverse("rules:rulesets")).content.decode()
    assert "财库〔2020〕46号；国办发〔2019〕55号" in body


# -- #13: one calendar range, one message ------------------------------------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "2101-01-01"])
def test_web_refuses_override_outside_the_range(seeded, client_for, day: str) -> None:
    response = client_for(OrgType.OPERATOR).post(
        reverse("rules:calendar_override_set"), {"day": day, "is_working_day": "1"}
    )
    assert response.status_code == 400
    assert "日历仅涵盖 2000 年至 2100 年" in response.content.decode()
    assert response.context["year"] == 2026
    assert not CalendarOverride.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "2101-01-01"])
def test_api_refuses_override_outside_the_range_with_the_same_message(seeded, client_for, day: str) -> None:
    response = client_for(OrgType.OPERATOR).post(
        f"{BASE}/calendar/overrides", {"day": day, "is_working_day": True}, "application/json"
    )
    assert response.status_code == 400
    assert "日历仅涵盖 2000 年至 2100 年" in response.content.decode()
    assert not CalendarOverride.objects.exists()


def test_last_year_of_the_range_is_accepted(seeded, client_for) -> None:
    client = client_for(OrgType.OPERATOR)
    response = client.post(
        f"{BASE}/calendar/overrides", {"day": "2100-12-31", "is_working_day": True}, "application/json"
    )
    assert response.status_code == 200
    assert client.get(f"{BASE}/calendar/2100").status_code == 200


@pytest.mark.parametrize("year", [1999, 2101, 1901, 2200])
def test_api_calendar_year_range_and_message(seeded, client_for, year: int) -> None:
    response = client_for(OrgType.SUPPLIER).get(f"{BASE}/calendar/{year}")
    assert response.status_code == 400
    assert "日历仅涵盖 2000 年至 2100 年" in response.content.decode()


def test_api_message_in_english(seeded, client_for) -> None:
    client = english(client_for(OrgType.SUPPLIER))
    assert "The calendar covers the years 2000 to 2100." in client.get(f"{BASE}/calendar/2101").content.decode()


def test_calendar_page_stays_in_range(seeded, client_for) -> None:
    client = client_for(OrgType.OPERATOR)
    assert client.get(reverse("rules:calendar") + "?year=2200").context["year"] == 2026
    last = client.get(reverse("rules:calendar") + "?year=2100")
    assert last.context["year"] == 2100
    assert 'data-testid="year-next"' not in last.content.decode()
    first = client.get(reverse("rules:calendar") + "?year=2000")
    assert 'data-testid="year-prev"' not in first.content.decode()
    body = client.get(reverse("rules:calendar")).content.decode()
    assert 'min="2000-01-01"' in body
    assert 'max="2100-12-31"' in body
