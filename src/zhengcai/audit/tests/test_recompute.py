"""Anyone holding the API output or an export can recompute every hash and link of the chain."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json

import pytest
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook

from zhengcai.audit.chain import event_hash
from zhengcai.audit.services import audit_record
from zhengcai.audit.tests.test_views import client_for
from zhengcai.core.actor import Actor
from zhengcai.core.roles import OrgType

pytestmark = pytest.mark.django_db

ACTOR = Actor(user_id=5, username="钱会计", organisation_id=9, organisation_name="柯城区财政局", region_code="330802")


def recompute(row: dict) -> str:
    """What an outsider does: parse the published fields and hash them again."""
    occurred_at = dt.datetime.strptime(row["occurred_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
    return event_hash(
        seq=int(row["seq"]),
        prev_hash=row["prev_hash"],
        occurred_at=occurred_at,
        actor_id=None if row["actor_id"] in (None, "") else int(row["actor_id"]),
        actor_label=row["actor_label"],
        organisation_id=None if row["organisation_id"] in (None, "") else int(row["organisation_id"]),
        region_code=row["region_code"] or "",
        action=row["action"],
        object_type=row["object_type"] or "",
        object_id=row["object_id"] or "",
        data=row["data"],
    )


@pytest.fixture
def chain(frozen_clock):
    """Events with sub-millisecond times (the hash keeps microseconds)."""
    events = []
    for i, micro in enumerate([123456, 1, 999999, 0]):
        frozen_clock.advance(dt.timedelta(minutes=7, microseconds=micro))
        with transaction.atomic():
            events.append(
                audit_record(
                    actor=ACTOR, action="test.plan.file", object_type="test.plan", object_id=str(i), data={"n": i}
                )
            )
    return events


@pytest.fixture
def regulator(chain):
    return client_for(OrgType.REGULATOR, "330800", "city")


def assert_chain(rows: list[dict], chain) -> None:
    rows = sorted((r for r in rows if r["action"] == "test.plan.file"), key=lambda r: int(r["seq"]))
    assert len(rows) == len(chain)
    for row, event in zip(rows, chain, strict=True):
        assert recompute(row) == row["hash"] == event.hash
    for before, after in itertools.pairwise(rows):
        assert after["prev_hash"] == before["hash"]


def test_api_times_are_exactly_as_hashed(chain, regulator):
    items = regulator.get("/api/v1/audit/events", {"action": "test."}).json()["items"]
    stamps = sorted(i["occurred_at"] for i in items)
    assert [s[-7:] for s in stamps] == ["123456Z", "123457Z", "123456Z", "123456Z"]
    assert_chain(items, chain)


def test_api_head_time_is_exactly_as_hashed(chain, regulator):
    head = regulator.get("/api/v1/audit/heads").json()["head"]
    assert head["occurred_at"] == chain[-1].occurred_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _sheet_rows(cells: list[list]) -> list[dict]:
    names = ["seq", "occurred_at", "actor_id", "actor_label", "organisation_id", "region_code", "action"]
    names += ["object_type", "object_id", "data", "prev_hash", "hash"]
    rows = []
    for values in cells[1:]:
        row = dict(zip(names, values, strict=True))
        row["data"] = json.loads(row["data"])
        rows.append(row)
    return rows


def test_excel_export_recomputes(chain, regulator):
    response = regulator.get(reverse("audit:events_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert all(isinstance(r[1], str) for r in cells[1:])  # text, not a spreadsheet date
    assert sheet.cell(row=2, column=2).data_type == "s"
    assert_chain(_sheet_rows(cells), chain)


def test_csv_export_recomputes(chain, regulator):
    response = regulator.get(reverse("audit:events_export", args=["csv"]))
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    cells = [list(r) for r in csv.reader(io.StringIO(text))]
    assert_chain(_sheet_rows(cells), chain)
