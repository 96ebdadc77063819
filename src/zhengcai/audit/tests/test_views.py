"""The regulator's viewer, exports, verification and the public heads page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zhengcai.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    log_in_verified,
)
from zhengcai.audit.exports import xlsx_bytes
from zhengcai.audit.models import AuditAnchor, AuditEvent
from zhengcai.audit.services import audit_record
from zhengcai.audit.tests.helpers import set_data
from zhengcai.core.actor import Actor
from zhengcai.core.roles import OrgType

pytestmark = pytest.mark.django_db

CST = timezone.get_fixed_timezone(8 * 60)


def record(region: str, action: str, *, user_id: int = 1, username: str = "u", org_id: int = 1, **kw) -> AuditEvent:
    actor = Actor(
        user_id=user_id,
        username=username,
        organisation_id=org_id,
        organisation_name=f"单位{org_id}",
        region_code=region,
    )
    with transaction.atomic():
        return audit_record(actor=actor, action=action, **kw)


@pytest.fixture
def trail(frozen_clock):
    """Events in Kecheng (330802), Qujiang (330803), Quzhou city (330800) and Hangzhou (330106)."""
    events = {}
    events["kecheng"] = record(
        "330802",
        "plans.plan.file",
        user_id=11,
        username="alice",
        org_id=101,
        object_type="plans.plan",
        object_id="7",
        data={"amount": "1200.50", "名称": "课桌椅"},
    )
    frozen_clock.advance(dt.timedelta(days=1))
    events["qujiang"] = record("330803", "mall.order.place", user_id=12, username="bob", org_id=102)
    frozen_clock.advance(dt.timedelta(days=1))
    events["city"] = record("330800", "rules.ruleset.publish", user_id=13, username="carol", org_id=103)
    events["hangzhou"] = record("330106", "plans.plan.file", user_id=14, username="dave", org_id=104)
    events["formula"] = record("330802", "plans.plan.note", user_id=15, username="=HYPERLINK(1)", org_id=105)
    return events


def member(org_type: str, region: str, level: str = "county") -> Any:
    org = OrganisationFactory(org_type=org_type, region=RegionFactory(code=region, name=region, level=level))
    return MembershipFactory(organisation=org)


def client_for(org_type: str, region: str = "330802", level: str = "county") -> Client:
    m = member(org_type, region, level)
    client = Client()
    if org_type in (OrgType.REGULATOR, OrgType.OPERATOR):
        return log_in_verified(client, m.user)
    client.force_login(m.user)
    return client


@pytest.fixture
def city_regulator(trail) -> Client:
    return client_for(OrgType.REGULATOR, "330800", "city")


def same_page(a: bytes, b: bytes) -> bool:
    """Equal once the per-response CSRF masks and the request's own path are blanked out."""

    def blank(body: bytes) -> str:
        text = re.sub(r"[A-Za-z0-9]{64}", "TOKEN", body.decode())
        return re.sub(r"/audit/events/\d+/", "PATH", text)

    return blank(a) == blank(b)


def seqs(response) -> list[int]:
    """The trail's events on the page; logins (the regulators' own among them) left out."""
    return [e.seq for e in response.context["page"] if not e.action.startswith("accounts.")]


def test_regulator_sees_only_own_region(trail, city_regulator):
    response = city_regulator.get(reverse("audit:events"))
    assert response.status_code == 200
    assert seqs(response) == [5, 3, 2, 1]  # newest first, Hangzhou's event 4 left out
    assert "dave" not in response.content.decode()
    county = client_for(OrgType.REGULATOR, "330803")
    assert seqs(county.get(reverse("audit:events"))) == [2]
    province = client_for(OrgType.REGULATOR, "330000", "province")
    assert seqs(province.get(reverse("audit:events"))) == [5, 4, 3, 2, 1]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "plans."}, [5, 1]),
        ({"action": "plans.plan.file"}, [1]),
        ({"actor": "alice"}, [1]),
        ({"actor": "12"}, [2]),  # a user id
        ({"actor": "单位103"}, [3]),  # the organisation's name is part of the label
        ({"organisation": "102"}, [2]),
        ({"object_type": "Plans.Plan", "object_id": "7"}, [1]),
        ({"object_type": "plans.plan", "object_id": "8"}, []),
        ({"time_from": "2026-03-03"}, [5, 3, 2]),
        ({"time_to": "2026-03-03"}, [2, 1]),  # a date alone includes the whole day
        ({"time_from": "2026-03-03T00:00", "time_to": "2026-03-03T09:00"}, [2]),
        ({"time_to": "2026-03-03T08:59"}, [1]),
    ],
)
def test_filters(trail, city_regulator, query, expected):
    response = city_regulator.get(reverse("audit:events"), query)
    assert response.status_code == 200
    assert seqs(response) == expected


def test_bad_dates_give_a_clear_message(trail, city_regulator):
    response = city_regulator.get(reverse("audit:events"), {"time_from": "2026-13-45"})
    assert response.status_code == 200
    assert response.context["page"] is None
    assert "2026-03-02 09:00" in response.content.decode()  # the example in the message
    response = city_regulator.get(reverse("audit:events"), {"time_from": "2026-03-05", "time_to": "2026-03-01"})
    assert response.context["page"] is None
    assert response.context["form"].errors["time_to"]


def test_htmx_filtering_returns_the_results_fragment(trail, city_regulator):
    response = city_regulator.get(
        reverse("audit:events"), {"action": "mall."}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="audit-results"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert seqs(response) == [2]
    assert 'hx-get="/audit/events/"' not in body  # the form stays on the page, only results swap


def test_pagination_keeps_filters(frozen_clock, city_regulator):
    for _ in range(60):
        record("330802", "plans.plan.file")
    first = city_regulator.get(reverse("audit:events"), {"action": "plans."})
    assert len(seqs(first)) == 50
    assert "action=plans.&amp;page=2" in first.content.decode()
    second = city_regulator.get(reverse("audit:events"), {"action": "plans.", "page": "2"})
    assert len(seqs(second)) == 12  # 60 here and seqs 1 and 5 from the trail


def test_event_detail(trail, city_regulator):
    response = city_regulator.get(reverse("audit:event", args=[1]))
    body = response.content.decode()
    assert response.status_code == 200
    assert trail["kecheng"].hash in body
    assert trail["kecheng"].prev_hash in body
    assert "&quot;名称&quot;: &quot;课桌椅&quot;" in body  # pretty-printed, not escaped to \\u
    assert 'data-hash="ok"' in body
    set_data(1, json.dumps({"amount": "1.00"}))
    assert 'data-hash="mismatch"' in city_regulator.get(reverse("audit:event", args=[1])).content.decode()


def test_event_outside_region_and_missing_event_look_the_same(trail, city_regulator):
    outside = city_regulator.get(reverse("audit:event", args=[4]))
    missing = city_regulator.get(reverse("audit:event", args=[999]))
    assert outside.status_code == missing.status_code == 404
    assert same_page(outside.content, missing.content)


def test_csv_export(trail, city_regulator):
    response = city_regulator.get(reverse("audit:events_export", args=["csv"]), {"action": "plans."})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 3
    assert [r[0] for r in rows[1:]] == ["5", "1"]
    alice = rows[2]
    assert alice[3] == "alice @ 单位101"
    assert json.loads(alice[9]) == {"amount": "1200.50", "名称": "课桌椅"}
    assert alice[11] == trail["kecheng"].hash
    assert rows[1][3].startswith("'=")  # defused: no formula in a spreadsheet program
    assert "dave" not in text


def test_excel_export(trail, city_regulator):
    response = city_regulator.get(reverse("audit:events_export", args=["xlsx"]))
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in sheet.iter_rows(values_only=True) if not str(r[6]).startswith("accounts.")]
    assert len(rows) == 5  # header + 4 events of the city (logins left out)
    assert [r[0] for r in rows[1:]] == [5, 3, 2, 1]
    assert rows[4][11] == trail["kecheng"].hash
    assert rows[4][1] == "2026-03-02T01:00:00.000000Z"  # the time as hashed, as text
    assert rows[1][3] == "=HYPERLINK(1) @ 单位105"  # kept as text
    assert sheet.cell(row=2, column=4).data_type == "s"


def test_excel_export_is_capped(trail):
    content = xlsx_bytes(AuditEvent.objects.order_by("seq"), max_rows=2)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:3]] == [1, 2]
    assert len(rows) == 4
    assert "CSV" in rows[3][0]


def test_export_with_bad_filters_changes_nothing(trail, city_regulator):
    response = city_regulator.get(reverse("audit:events_export", args=["csv"]), {"time_to": "yesterday"})
    assert response.status_code == 400
    assert response.context["form"].errors["time_to"]


def test_verify_now(trail, city_regulator):
    response = city_regulator.post(reverse("audit:verify"))
    assert response.status_code == 200
    assert 'data-verify="ok"' in response.content.decode()
    set_data(3, json.dumps({"x": 1}))
    response = city_regulator.post(reverse("audit:verify"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert 'data-reason="hash_mismatch"' in body
    assert city_regulator.get(reverse("audit:verify")).status_code == 405


@pytest.mark.parametrize(
    "org_type", [OrgType.BUDGET_UNIT, OrgType.SUPPLIER, OrgType.OPERATOR, OrgType.AGENCY, OrgType.BANK]
)
def test_other_roles_get_not_found_and_nothing_changes(trail, org_type):
    client = client_for(org_type, "330802")
    before = (AuditEvent.objects.count(), AuditAnchor.objects.count())
    for response in (
        client.get(reverse("audit:events")),
        client.get(reverse("audit:event", args=[1])),
        client.get(reverse("audit:events_export", args=["csv"])),
        client.get(reverse("audit:events_export", args=["xlsx"])),
        client.post(reverse("audit:verify")),
    ):
        assert response.status_code == 404
        assert trail["kecheng"].hash not in response.content.decode()
    assert (AuditEvent.objects.count(), AuditAnchor.objects.count()) == before


def test_anonymous_is_sent_to_login(trail):
    response = Client().get(reverse("audit:events"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_public_heads_page(trail, frozen_clock):
    AuditAnchor.objects.create(
        day=dt.date(2026, 3, 3), seq=2, hash=trail["qujiang"].hash, published_at=frozen_clock.now()
    )
    response = Client().get(reverse("audit:public_heads"))
    body = response.content.decode()
    assert response.status_code == 200
    assert trail["formula"].hash in body  # the live head
    assert trail["qujiang"].hash in body
    assert "2026-03-03" in body
    assert "dave" not in body


def test_public_heads_page_on_an_empty_trail():
    response = Client().get(reverse("audit:public_heads"))
    assert response.status_code == 200
    assert "0" * 64 in response.content.decode()
