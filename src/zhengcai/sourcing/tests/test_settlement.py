"""One settlement whatever closes an auction (sweeper, API, page); who may close; the winner
walking away (award the next supplier or publish again); labelled refusals; re-publishing
with a lower ceiling."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from zhengcai.core.errors import Conflict, InvalidTransition, ValidationFailed
from zhengcai.listings.tests.factories import ListingFactory
from zhengcai.orders.lifecycle import order_cancel, order_decline
from zhengcai.orders.models import Order
from zhengcai.sourcing import outcomes, responses, services
from zhengcai.sourcing.models import SourcingEvent
from zhengcai.sourcing.states import Status
from zhengcai.sourcing.tasks import sourcing_sweep
from zhengcai.sourcing.tests.conftest import publish
from zhengcai.sourcing.tests.test_api import BASE, post
from zhengcai.sourcing.tests.test_inquiry import quote
from zhengcai.sourcing.tests.test_views import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def auction(frozen_clock: Any, purchaser: Any, plan: Any, category: Any) -> Any:
    return publish(purchaser, plan, category, kind="auction", ceiling="200000")


def _bid(actor: Any, event: Any, amount: str) -> None:
    responses.bid_place(actor=actor, event_id=event.pk, amount=amount)


@pytest.fixture
def ended(frozen_clock: Any, auction: Any, s1: Any, s2: Any, s3: Any) -> Any:
    _bid(s1, auction, "199000")
    _bid(s2, auction, "198000")
    _bid(s3, auction, "197000")
    frozen_clock.set(auction.closes_at)
    return auction


def test_api_close_awards_like_the_sweeper(*, ended: Any, purchaser: Any, s1: Any, s3: Any) -> None:
    # A bidder sees the auction but may not close it: 404, nothing changes.
    assert post(client_for(s1), f"{ended.pk}/close", {}).status_code == 404
    assert SourcingEvent.objects.get(pk=ended.pk).status == Status.OPEN
    closed = post(client_for(purchaser), f"{ended.pk}/close", {}).json()
    assert closed["status"] == "awarded"
    assert Order.objects.get(pk=closed["order_id"]).supplier_id == s3.organisation_id


def test_sweeper_awards_an_auction_left_closed(*, ended: Any, s3: Any) -> None:
    # Closed by an older path that did not award: the sweeper picks it up.
    SourcingEvent.objects.filter(pk=ended.pk).update(status=Status.CLOSED, closed_at=ended.closes_at)
    assert outcomes.due_event_ids() == [ended.pk]
    sourcing_sweep()
    ended.refresh_from_db()
    assert ended.status == Status.AWARDED
    assert ended.winner_org_id == s3.organisation_id
    assert outcomes.due_event_ids() == []


def test_winner_declines_then_next_is_awarded(*, ended: Any, purchaser: Any, s2: Any, s3: Any) -> None:
    sourcing_sweep()
    ended.refresh_from_db()
    assert not outcomes.award_lapsed(ended)
    with pytest.raises(InvalidTransition):
        outcomes.sourcing_award_next(actor=purchaser, event_id=ended.pk)
    order_decline(actor=s3, order_id=ended.order_id, reason="无货")
    ended.refresh_from_db()
    assert outcomes.award_lapsed(ended)
    page = client_for(purchaser).get(reverse("sourcing:detail", args=[ended.pk])).content.decode()
    assert 'data-testid="award-lapsed"' in page
    assert 'data-testid="award-next"' in page
    assert 'data-testid="republish-form"' in page
    assert client_for(purchaser).get(f"{BASE}{ended.pk}").json()["award_lapsed"] is True
    with translation.override("zh-hans"):
        listing = client_for(purchaser).get(reverse("sourcing:list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "中标供应商已拒绝，请确认下一名或重新发布" in listing.content.decode()
    response = client_for(purchaser).post(reverse("sourcing:award_next", args=[ended.pk]))
    assert response.status_code == 302
    ended.refresh_from_db()
    assert ended.status == Status.AWARDED
    assert not outcomes.award_lapsed(ended)
    assert (ended.winner_org_id, ended.award_amount) == (s2.organisation_id, Decimal("198000.00"))
    assert ended.passed_over == [s3.organisation_id]
    assert Order.objects.get(pk=ended.order_id).supplier_id == s2.organisation_id


def test_no_one_left_then_publish_again(*, frozen_clock: Any, auction: Any, purchaser: Any, s1: Any, s2: Any) -> None:
    _bid(s1, auction, "199000")
    _bid(s2, auction, "198000")
    frozen_clock.set(auction.closes_at)
    sourcing_sweep()
    auction.refresh_from_db()
    order_cancel(actor=purchaser, order_id=auction.order_id, reason="预算调整")
    outcomes.sourcing_award_next(actor=purchaser, event_id=auction.pk)  # s1 is next
    auction.refresh_from_db()
    order_decline(actor=s1, order_id=auction.order_id, reason="无货")
    with pytest.raises(Conflict):
        outcomes.sourcing_award_next(actor=purchaser, event_id=auction.pk)
    again = services.sourcing_republish(
        actor=purchaser, event_id=auction.pk, closes_at=frozen_clock.now() + dt.timedelta(hours=2)
    )
    assert again.status == Status.OPEN
    assert again.republished_from_id == auction.pk
    with pytest.raises(InvalidTransition):  # once only
        services.sourcing_republish(
            actor=purchaser, event_id=auction.pk, closes_at=frozen_clock.now() + dt.timedelta(hours=2)
        )


def test_refusals_name_the_action(*, auction: Any, purchaser: Any) -> None:
    services.sourcing_cancel(actor=purchaser, event_id=auction.pk, reason="不再需要")
    with translation.override("zh-hans"), pytest.raises(InvalidTransition) as refused:
        services.sourcing_cancel(actor=purchaser, event_id=auction.pk, reason="again")
    text = str(refused.value.message)
    assert "cancel" not in text
    assert "取消" in text
    response = post(client_for(purchaser), f"{auction.pk}/award", {})
    assert "award" not in response.json()["error"]["message"]


def test_republish_with_a_lower_ceiling(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, auction: Any
) -> None:
    services.sourcing_cancel(actor=purchaser, event_id=auction.pk, reason="重新安排")
    free = services.line_free(plan.pk, auction.line_id)
    # Another event takes most of what is free: the old ceiling no longer fits.
    publish(purchaser, plan, category, kind="auction", ceiling=str(free - Decimal("50000")))
    page = client_for(purchaser).get(reverse("sourcing:detail", args=[auction.pk])).content.decode()
    assert 'data-testid="republish-ceiling"' in page
    assert "¥50,000.00" in page
    closes = frozen_clock.now() + dt.timedelta(hours=2)
    with pytest.raises(ValidationFailed) as refused:
        services.sourcing_republish(actor=purchaser, event_id=auction.pk, closes_at=closes)
    assert "ceiling" in refused.value.fields
    again = services.sourcing_republish(actor=purchaser, event_id=auction.pk, closes_at=closes, ceiling="50000")
    assert again.ceiling == Decimal("50000.00")


def test_empty_bid_asks_for_an_amount(*, auction: Any, s1: Any) -> None:
    with translation.override("zh-hans"):
        response = post(client_for(s1), f"{auction.pk}/bids", {"amount": ""})
    assert response.status_code == 422
    assert "请填写金额" in str(response.json())


def test_supplier_sees_the_category_and_a_warning_off_it(*, auction: Any, s1: Any) -> None:
    page = client_for(s1).get(reverse("sourcing:detail", args=[auction.pk])).content.decode()
    assert 'data-testid="category-notice"' in page
    assert "alert-warning" in page
    assert auction.category.code in page


def test_inquiry_runner_up_is_the_next_compliant_quote(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, s1: Any, s2: Any, s3: Any
) -> None:
    event = publish(purchaser, plan, category)
    quote(s1, event, "4000", "900")  # 196,000: the winner, who walks away
    quote(s2, event, "4200", "900")  # 204,000: next in line
    quote(s3, event, "4100", "900")  # 200,000: marked non-compliant, so passed by
    frozen_clock.advance(dt.timedelta(days=2, minutes=1))
    q3 = event.quotes.get(supplier_id=s3.organisation_id)
    responses.quote_mark(actor=purchaser, quote_id=q3.pk, non_compliant=True, reason="型号不符")
    event = outcomes.sourcing_award(actor=purchaser, event_id=event.pk)
    order_decline(actor=s1, order_id=event.order_id, reason="无货")
    event = outcomes.sourcing_award_next(actor=purchaser, event_id=event.pk)
    assert event.winner_org_id == s2.organisation_id
    assert event.award_amount == Decimal("204000.00")


def test_a_lister_gets_the_category_without_a_warning(*, auction: Any, s2: Any) -> None:
    ListingFactory(supplier_id=s2.organisation_id, category=auction.category)
    page = client_for(s2).get(reverse("sourcing:detail", args=[auction.pk])).content.decode()
    assert 'data-testid="category-notice"' in page
    assert "alert-warning" not in page
