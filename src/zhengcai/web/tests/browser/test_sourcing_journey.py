"""Inquiries and auctions in real Chromium: a supplier bids in the running demo auction (the
board refreshes itself by htmx, a bid that does not beat the best by the step is refused
with the maximum allowed), and the purchaser confirms the closed demo inquiry."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from zhengcai.orders.models import Order
from zhengcai.sourcing.models import SourcingEvent
from zhengcai.sourcing.states import Status
from zhengcai.web.demo import DEMO_PASSWORD
from zhengcai.web.tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser


def test_supplier_bids_in_the_running_auction(page: Page, demo_data) -> None:  # type: ignore[no-untyped-def]
    auction = SourcingEvent.objects.get(title="门诊办公电脑竞价")
    best = auction.bids.order_by("amount").first().amount
    log_in(page, "supplier2", DEMO_PASSWORD)
    page.goto(reverse("sourcing:list"))
    page.get_by_role("link", name=auction.number).click()
    board = page.get_by_test_id("auction-board")
    expect(board.get_by_test_id("best")).to_contain_text(f"{best:,.2f}")
    # Too small a step: refused in place, naming the maximum allowed.
    page.fill("#amount", str(best - auction.step_amount + 1))
    page.get_by_test_id("bid-submit").click()
    expect(page.get_by_test_id("bid-error")).to_contain_text(f"{best - auction.step_amount:,.2f}")
    page.fill("#amount", str(best - auction.step_amount))
    page.get_by_test_id("bid-submit").click()
    expect(page.get_by_test_id("my-rank")).to_contain_text("1")
    expect(page.get_by_test_id("best")).to_contain_text(f"{best - auction.step_amount:,.2f}")
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_purchaser_confirms_the_closed_inquiry(page: Page, demo_data) -> None:  # type: ignore[no-untyped-def]
    inquiry = SourcingEvent.objects.get(title="机关办公电脑更新询价")
    log_in(page, "purchaser", DEMO_PASSWORD)
    page.goto(reverse("sourcing:detail", args=[inquiry.pk]))
    expect(page.get_by_test_id("quote-row")).to_have_count(3)
    page.get_by_test_id("award").click()
    expect(page.get_by_test_id("winner")).to_be_visible()
    inquiry.refresh_from_db()
    assert inquiry.status == Status.AWARDED
    assert Order.objects.filter(pk=inquiry.order_id, source="inquiry").exists()
    assert page.js_errors == []  # type: ignore[attr-defined]
