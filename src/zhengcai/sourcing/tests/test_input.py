"""What people type: amounts exact to the fen (refused, never rounded), the specific
message of a refused bid on the board and on the plain page, an auction ending before it
starts, and the API taking JSON numbers with translated messages and ``prices.<item id>``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from zhengcai.core.errors import ValidationFailed
from zhengcai.sourcing import outcomes, responses
from zhengcai.sourcing.models import Bid, Quote, SourcingEvent
from zhengcai.sourcing.states import Status
from zhengcai.sourcing.tests.conftest import publish
from zhengcai.sourcing.tests.test_api import BASE, event_body, post
from zhengcai.sourcing.tests.test_views import client_for, form, local

pytestmark = pytest.mark.django_db

SUB_FEN = "金额最多两位小数（精确到分），例如 1234.56。"


def chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text) and "Input should" not in text


def test_sub_fen_amounts_are_refused_not_rounded(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        publish(purchaser, plan, category, ceiling="9000.123")
    assert [str(m) for m in exc.value.fields["ceiling"]] == [SUB_FEN]
    assert not SourcingEvent.objects.exists()
    publish(purchaser, plan, category, ceiling="9000.120")  # a trailing zero is exact
    event = publish(purchaser, plan, category, ceiling="100000")
    ids = list(event.items.values_list("pk", flat=True))
    with pytest.raises(ValidationFailed) as exc:
        responses.quote_submit(actor=s1, event_id=event.pk, prices={ids[0]: "85.555", ids[1]: "1"}, delivery_days=5)
    assert [str(m) for m in exc.value.fields[f"prices.{ids[0]}"]] == [SUB_FEN]
    assert not Quote.objects.exists()
    auction = publish(purchaser, plan, category, kind="auction", ceiling="100000")
    with pytest.raises(ValidationFailed) as exc:
        responses.bid_place(actor=s1, event_id=auction.pk, amount="99999.999")
    assert [str(m) for m in exc.value.fields["amount"]] == [SUB_FEN]
    assert not Bid.objects.exists()


def test_a_price_for_another_item_is_refused(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any
) -> None:
    event = publish(purchaser, plan, category)
    ids = list(event.items.values_list("pk", flat=True))
    with pytest.raises(ValidationFailed) as exc:
        responses.quote_submit(
            actor=s1, event_id=event.pk, prices={ids[0]: "1", ids[1]: "1", 999999: "1"}, delivery_days=5
        )
    assert set(exc.value.fields) == {"prices.999999"}


def test_an_auction_ending_before_it_starts_says_so(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any
) -> None:
    now = frozen_clock.now()
    with pytest.raises(ValidationFailed) as exc:
        publish(
            purchaser,
            plan,
            category,
            kind="auction",
            opens_at=now + dt.timedelta(hours=2),
            closes_at=now + dt.timedelta(hours=1),
        )
    assert [str(m) for m in exc.value.fields["closes_at"]] == ["竞价结束时间必须晚于开始时间。"]


def test_refused_bids_show_their_reason(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any
) -> None:
    event = publish(purchaser, plan, category, kind="auction", ceiling="200000")
    client = client_for(s1)
    url = reverse("sourcing:bid", args=[event.pk])
    refusals = (
        ("abc", "不是有效的金额"),
        ("-5", "金额不得为负数"),
        ("0", "金额须大于零"),
        ("", "请填写金额"),
        ("1.001", SUB_FEN),
    )
    for amount, reason in refusals:
        board = client.post(url, {"amount": amount}, HTTP_HX_REQUEST="true")
        assert board.status_code == 400
        text = board.content.decode()
        assert 'data-testid="bid-error"' in text
        assert reason in text, (amount, text)
        assert "部分输入内容无效" not in text
    # Without htmx: the page again, with the reason on the board and the amount kept.
    page = client.post(url, {"amount": "200000.01"})
    assert page.status_code == 400
    text = page.content.decode()
    assert 'data-testid="auction-board"' in text
    assert "¥200,000.00" in text  # the maximum allowed
    assert 'value="200000.01"' in text
    assert not Bid.objects.exists()
    ok = client.post(url, {"amount": "199000"})
    assert ok.status_code == 302


def test_the_form_names_budget_lines_and_says_when_an_auction_ends_too_early(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any
) -> None:
    client = client_for(purchaser)
    page = client.get(reverse("sourcing:create") + "?kind=auction").content.decode()
    assert "指标 #" not in page
    assert "设备购置 L1" in page  # the project of the plan's line
    now = frozen_clock.now()
    bad = client.post(
        reverse("sourcing:create"),
        form(
            plan,
            category,
            now,
            kind="auction",
            opens_at=local(now + dt.timedelta(hours=2)),
            closes_at=local(now + dt.timedelta(hours=1)),
        ),
    )
    assert bad.status_code == 400
    assert "竞价结束时间必须晚于开始时间。" in bad.content.decode()


def test_the_page_links_its_plan_and_its_order(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any, s2: Any, regulator: Any
) -> None:
    event = publish(purchaser, plan, category, kind="auction", ceiling="200000")
    responses.bid_place(actor=s1, event_id=event.pk, amount="199000")
    responses.bid_place(actor=s2, event_id=event.pk, amount="190000")
    url = reverse("sourcing:detail", args=[event.pk])
    page = client_for(purchaser).get(url).content.decode()
    assert reverse("plans:detail", args=[plan.pk]) in page
    assert 'data-testid="order-link"' not in page
    assert 'data-testid="plan-link"' not in client_for(s1).get(url).content.decode()
    frozen_clock.set(event.closes_at)
    outcomes.sourcing_settle(event_id=event.pk)  # the automatic award
    event.refresh_from_db()
    assert event.status == Status.AWARDED
    order_url = reverse("orders:detail", args=[event.order_id])
    page = client_for(purchaser).get(url).content.decode()
    assert order_url in page
    assert "出价时间" in page  # the bids table's time column
    assert order_url in client_for(s2).get(url).content.decode()  # the winner
    assert order_url not in client_for(s1).get(url).content.decode()
    regulator_page = client_for(regulator).get(url).content.decode()
    assert order_url in regulator_page
    assert reverse("plans:detail", args=[plan.pk]) in regulator_page


def test_api_takes_json_numbers_and_names_prices_by_item(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any
) -> None:
    buyer = client_for(purchaser)
    created = post(buyer, "", event_body(plan, category, frozen_clock.now(), ceiling=200000.5))
    assert created.status_code == 201, created.content
    assert created.json()["ceiling"] == "200000.50"
    sub_fen = post(buyer, "", event_body(plan, category, frozen_clock.now(), ceiling=9000.123))
    assert sub_fen.status_code == 400
    assert sub_fen.json()["error"]["fields"] == {"ceiling": [SUB_FEN]}
    event = created.json()
    item = event["items"][0]["id"]
    supplier = client_for(s1)
    path = f"{event['id']}/quote"
    for price, status in (("80.001", 400), (80.001, 400), ("abc", 422), (None, 422), (-1, 400)):
        r = post(supplier, path, {"prices": {str(item): price}, "delivery_days": 5})
        assert r.status_code == status, (price, r.content)
        fields = r.json()["error"]["fields"]
        assert list(fields) == [f"prices.{item}"], fields
        assert chinese(fields[f"prices.{item}"][0]), fields  # not pydantic's English
    assert post(supplier, path, {"prices": {str(item): 80.001}, "delivery_days": 5}).json()["error"]["fields"] == {
        f"prices.{item}": [SUB_FEN]
    }
    days = post(supplier, path, {"prices": {str(item): 80}, "delivery_days": 1.5})
    assert days.status_code == 422
    assert days.json()["error"]["fields"] == {"delivery_days": ["请输入整数。"]}
    ok = post(supplier, path, {"prices": {str(item): 80.5}, "delivery_days": 5.0})
    assert ok.status_code == 200, ok.content
    assert ok.json()["total"] == "3220.00"
    assert not Quote.objects.exclude(total=Decimal("3220.00")).exists()


def test_api_bids_as_json_numbers(*, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any) -> None:
    event = publish(purchaser, plan, category, kind="auction", ceiling="200000")
    supplier = client_for(s1)
    refused = post(supplier, f"{event.pk}/bids", {"amount": 199999.999})
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"amount": [SUB_FEN]}
    placed = post(supplier, f"{event.pk}/bids", {"amount": 199000})
    assert placed.status_code == 201, placed.content
    assert placed.json()["amount"] == "199000.00"
    assert supplier.get(f"{BASE}{event.pk}/board").json()["best"] == "199000.00"
