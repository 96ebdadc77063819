"""The sourcing API: publish, quote, the seal, bids with the maximum allowed, award; the
error format and 404 for those who may not see."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from zhengcai.sourcing.models import Bid, Quote, SourcingEvent
from zhengcai.sourcing.tests.test_views import client_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/mall/sourcing/"


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(BASE + path, json.dumps(body), content_type="application/json")


def event_body(plan: Any, category: Any, now: dt.datetime, kind: str = "inquiry", **kw: Any) -> dict[str, Any]:
    body = {
        "kind": kind,
        "plan_id": plan.pk,
        "line_id": plan.fundings.first().budget_line_id,
        "title": "教师办公电脑",
        "category_id": category.pk,
        "items": [{"description": "台式计算机", "specs": "i5", "quantity": "40", "unit": "台"}],
        "ceiling": "200000",
        "delivery_by": (now + dt.timedelta(days=30)).date().isoformat(),
        "closes_at": (now + (dt.timedelta(days=2) if kind == "inquiry" else dt.timedelta(hours=1))).isoformat(),
    }
    body.update(kw)
    return body


def test_inquiry_through_the_api(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any, s2: Any, s3: Any, unsellable: Any
) -> None:
    buyer = client_for(purchaser)
    bad = post(buyer, "", event_body(plan, category, frozen_clock.now(), ceiling="x"))
    assert bad.status_code == 422  # not a number: refused by the schema, in the common format
    assert "ceiling" in bad.json()["error"]["fields"]
    bad = post(buyer, "", event_body(plan, category, frozen_clock.now(), ceiling="-1"))
    assert bad.status_code == 400  # a number the service refuses
    assert "ceiling" in bad.json()["error"]["fields"]
    created = post(buyer, "", event_body(plan, category, frozen_clock.now()))
    assert created.status_code == 201, created.content
    event = created.json()
    item = event["items"][0]["id"]
    assert event["status"] == "open"
    assert event["min_responses"] == 3
    for n, s in enumerate((s1, s2, s3)):
        r = post(client_for(s), f"{event['id']}/quote", {"prices": {str(item): str(4000 - n)}, "delivery_days": 5})
        assert r.status_code == 200, r.content
    assert (
        post(
            client_for(unsellable), f"{event['id']}/quote", {"prices": {str(item): "1"}, "delivery_days": 5}
        ).status_code
        == 404
    )
    sealed = buyer.get(f"{BASE}{event['id']}/quotes").json()
    assert sealed == {"count": 3, "sealed": True, "quotes": []}
    mine = client_for(s1).get(f"{BASE}{event['id']}/quotes").json()
    assert [q["total"] for q in mine["quotes"]] == ["160000.00"]
    frozen_clock.advance(dt.timedelta(days=2))
    late = post(client_for(s1), f"{event['id']}/quote", {"prices": {str(item): "3000"}, "delivery_days": 5})
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "deadline_passed"
    opened = buyer.get(f"{BASE}{event['id']}/quotes").json()
    assert opened["sealed"] is False
    assert [q["total"] for q in opened["quotes"]] == [
        "159920.00",
        "159960.00",
        "160000.00",
    ]
    awarded = post(buyer, f"{event['id']}/award", {})
    assert awarded.status_code == 200, awarded.content
    assert awarded.json()["status"] == "awarded"
    assert awarded.json()["award_amount"] == "159920.00"
    assert Quote.objects.count() == 3


def test_auction_through_the_api(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any, s2: Any
) -> None:
    buyer = client_for(purchaser)
    event = post(buyer, "", event_body(plan, category, frozen_clock.now(), kind="auction")).json()
    assert event["step_amount"] == "1000.00"
    assert post(client_for(s1), f"{event['id']}/bids", {"amount": "199000"}).status_code == 201
    refused = post(client_for(s2), f"{event['id']}/bids", {"amount": "198999"})
    assert refused.status_code == 400
    assert "¥198,000.00" in refused.json()["error"]["fields"]["amount"][0]  # the maximum allowed
    board = client_for(s2).get(f"{BASE}{event['id']}/board").json()
    assert board["best"] == "199000.00"
    assert board["my_rank"] is None
    assert board["max_allowed"] == "198000.00"
    assert post(buyer, f"{event['id']}/bids", {"amount": "100"}).status_code == 404
    assert Bid.objects.count() == 1
    frozen_clock.advance(dt.timedelta(hours=1))
    closed = post(buyer, f"{event['id']}/close", {}).json()
    assert closed["status"] == "failed"  # one bidder; two are needed


def test_others_see_nothing(
    *, frozen_clock: Any, purchaser: Any, other_unit_purchaser: Any, plan: Any, category: Any
) -> None:
    event = post(client_for(purchaser), "", event_body(plan, category, frozen_clock.now())).json()
    other = client_for(other_unit_purchaser)
    assert other.get(f"{BASE}{event['id']}").status_code == 404
    assert other.get(BASE).json() == []
    assert post(other, f"{event['id']}/cancel", {"reason": "x"}).status_code == 404
    assert SourcingEvent.objects.get().status == "open"
