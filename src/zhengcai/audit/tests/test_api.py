"""The audit API: events for regulators, public heads, verification."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from zhengcai.audit.models import AuditAnchor, AuditEvent
from zhengcai.audit.tests.helpers import set_data
from zhengcai.audit.tests.test_views import client_for, trail  # noqa: F401 - the fixture
from zhengcai.core.roles import OrgType

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/audit/events"
HEADS = "/api/v1/audit/heads"
VERIFY = "/api/v1/audit/verify"


@pytest.fixture
def regulator(trail) -> Client:  # noqa: F811
    return client_for(OrgType.REGULATOR, "330800", "city")


def test_events_for_a_regulator(trail, regulator):  # noqa: F811
    response = regulator.get(EVENTS)
    assert response.status_code == 200
    body = response.json()
    body["items"] = [e for e in body["items"] if not e["action"].startswith("accounts.")]  # the regulator's login
    assert len(body["items"]) == 4
    assert [e["seq"] for e in body["items"]] == [5, 3, 2, 1]
    first = body["items"][-1]
    assert first["hash"] == trail["kecheng"].hash
    assert first["prev_hash"] == trail["kecheng"].prev_hash
    assert first["data"] == {"amount": "1200.50", "名称": "课桌椅"}
    assert first["actor_label"] == "alice @ 单位101"


def test_events_filters_and_paging(trail, regulator):  # noqa: F811
    body = regulator.get(EVENTS, {"action": "plans.", "limit": 1, "offset": 1}).json()
    assert body["count"] == 2
    assert [e["seq"] for e in body["items"]] == [1]
    body = regulator.get(EVENTS, {"time_to": "2026-03-03", "object_type": ""}).json()
    assert [e["seq"] for e in body["items"]] == [2, 1]
    assert regulator.get(EVENTS, {"limit": 500}).status_code in (400, 422)


def test_events_bad_dates(trail, regulator):  # noqa: F811
    response = regulator.get(EVENTS, {"time_from": "2026-02-30"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_failed"
    assert "time_from" in error["fields"]


@pytest.mark.parametrize("org_type", [OrgType.BUDGET_UNIT, OrgType.SUPPLIER, OrgType.OPERATOR])
def test_events_and_verify_are_not_found_for_other_roles(trail, org_type):  # noqa: F811
    client = client_for(org_type)
    before = AuditEvent.objects.count()
    for url in (EVENTS, VERIFY):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert AuditEvent.objects.count() == before


def test_events_need_authentication(trail):  # noqa: F811
    assert Client().get(EVENTS).status_code == 401
    assert Client().get(VERIFY).status_code == 401


def test_heads_are_public(trail, frozen_clock):  # noqa: F811
    AuditAnchor.objects.create(
        day=dt.date(2026, 3, 3), seq=2, hash=trail["qujiang"].hash, published_at=frozen_clock.now()
    )
    response = Client().get(HEADS)
    assert response.status_code == 200
    body = response.json()
    assert body["head"]["seq"] == 5
    assert body["head"]["hash"] == trail["formula"].hash
    assert body["anchors"] == [
        {
            "day": "2026-03-03",
            "seq": 2,
            "hash": trail["qujiang"].hash,
            "published_at": body["anchors"][0]["published_at"],
        }
    ]
    assert body["count"] == 1
    assert "dave" not in json.dumps(body)


def test_verify(trail, regulator):  # noqa: F811
    body = regulator.get(VERIFY).json()
    assert body["ok"] is True
    assert body["checked"] == AuditEvent.objects.count()  # logging in is audited too
    assert body["broken"] is None
    set_data(2, json.dumps({"forged": True}))
    body = regulator.get(VERIFY).json()
    assert body["ok"] is False
    assert body["broken"]["seq"] == 2
    assert body["broken"]["reason"] == "hash_mismatch"
