"""One working day in the e-mall, in real Chromium (issue 4, item 7).

A purchaser files a plan the rules send to the e-mall, searches the mall with a
two-character term (硒鼓), opens a product, puts it in the cart and checks out against the
plan; the supplier, at another desk, confirms and ships with a delivery note; the purchaser
accepts the delivery and creates and submits the payment request; the purchaser's and the regulator's
dashboards then show the median plan-to-acceptance time of the region with this order in it.
"""

from __future__ import annotations

import datetime as dt
import statistics
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from zhengcai.accounts.models import Organisation
from zhengcai.budgets.models import PaymentRequest
from zhengcai.budgets.states import PaymentStatus
from zhengcai.notify.tasks import outbox_sweep
from zhengcai.orders.models import Order
from zhengcai.orders.states import OrderStatus
from zhengcai.plans.methods import Channel
from zhengcai.plans.models import ProcurementPlan
from zhengcai.plans.states import PlanStatus
from zhengcai.rules.models import Region
from zhengcai.shop.indexer import index_sync
from zhengcai.web.demo import DEMO_PASSWORD
from zhengcai.web.tests.browser.journey_helpers import open_notification, second_page
from zhengcai.web.tests.browser.test_journeys import demo_user, log_in
from zhengcai.web.tests.browser.test_plans_journey import fill_plan, line_id, zh

pytestmark = pytest.mark.browser

PLAN_TITLE = "打印机硒鼓（电子卖场直购）"
TONER = "惠普 88A 黑色硒鼓 CC388A"  # a demo listing of 衢州市墨彩打印耗材有限公司 (the demo login supplier3)
SELLER = "supplier3"


@pytest.fixture
def mall(demo_data):  # type: ignore[no-untyped-def]
    """The demo data with the search index up to date (in the temporary SEARCH_INDEX_DIR
    of src/conftest.py)."""
    index_sync()
    return demo_data


def median_row(page: Page, region: str) -> tuple[int, Decimal]:
    """The dashboard's plan-to-acceptance row of ``region``: (accepted orders, median hours)."""
    table = page.get_by_test_id("plan-to-acceptance")
    expect(table).to_be_visible()
    row = table.get_by_test_id("median-row").filter(has_text=region)
    expect(row).to_have_count(1)
    cells = row.locator("td")
    return int(cells.nth(1).inner_text()), Decimal(row.get_by_test_id("median-hours").inner_text().strip())


def expected_median(*, buyer_ids: list[int], region_code: str) -> Decimal:
    """The median in hours from plan filing to acceptance, worked out here from the records."""
    spans = [
        (o.accepted_at - o.plan.filed_at).total_seconds() / 3600
        for o in Order.objects.filter(
            # A region's row rolls up the regions below it (a city includes its districts).
            buyer_id__in=buyer_ids,
            region_code__startswith=Region.objects.get(code=region_code).prefix,
            status=OrderStatus.ACCEPTED,
        ).select_related("plan")
    ]
    return Decimal(str(round(statistics.median(spans), 1)))


def test_one_working_day_from_plan_to_payment_request(page: Page, mall, browser) -> None:  # type: ignore[no-untyped-def]
    buyer = demo_user("purchaser")
    log_in(page, buyer.username, buyer.password)
    expect(page.get_by_test_id("dashboard-title")).to_be_visible()
    region = Organisation.objects.select_related("region").get(name=buyer.organisation).region.name
    widget = page.get_by_test_id("mall-orders-widget")
    expect(widget).to_be_visible()
    before = widget.get_by_test_id("median-row").filter(has_text=region)  # the demo's accepted orders
    accepted_before = int(before.locator("td").nth(1).inner_text()) if before.count() else 0

    # 1. The plan: a toner purchase the rules send to the e-mall, filed at once.
    fill_plan(
        page,
        title=PLAN_TITLE,
        code="A02021000",
        qty="2",
        price="450",
        line_id=line_id(buyer.organisation, "JY-01"),
        amount="900",
    )
    page.fill("input[name=items-0-unit]", "支")
    expect(page.get_by_test_id("decision-channel")).to_have_text(zh(Channel.E_MALL.label))
    page.get_by_test_id("plan-save").click()
    page.get_by_test_id("plan-file").click()
    expect(page.get_by_test_id("plan-status")).to_have_text(zh(PlanStatus.FILED.label))
    plan = ProcurementPlan.objects.get(title=PLAN_TITLE)
    assert plan.channel == Channel.E_MALL
    assert plan.filed_at is not None

    # 2. A two-character search from the mall's home page, then the product page.
    page.goto(reverse("shop:home"))
    page.get_by_test_id("shop-q").fill("硒鼓")
    page.get_by_test_id("shop-search").click()
    expect(page.get_by_test_id("result-total")).to_be_visible()
    expect(page.get_by_test_id("result-title").first).to_contain_text("硒鼓")
    page.get_by_test_id("result-card").filter(has_text=TONER).get_by_test_id("result-title").click()
    expect(page.get_by_test_id("listing-title")).to_have_text(TONER)
    expect(page.get_by_test_id("listing-price")).to_contain_text("429.00")

    # 3. Into the cart, two of them, and checked out against the plan: one order to the supplier.
    page.fill("#quantity", "2")
    page.get_by_test_id("cart-add").click()
    expect(page.get_by_test_id("cart-line")).to_have_count(1)
    expect(page.get_by_test_id("cart-total")).to_contain_text("858.00")
    page.select_option("#plan_id", str(plan.pk))
    page.fill("#delivery_address", "衢州市教育局三楼总务处")
    page.get_by_test_id("checkout-submit").click()
    expect(page.get_by_test_id("order-status")).to_have_text(zh(OrderStatus.PLACED.label))
    number = page.get_by_test_id("order-number").inner_text().strip()
    order = Order.objects.get(number=number)
    assert order.plan_id == plan.pk
    assert order.total_amount == Decimal("858.00")
    outbox_sweep()  # what the background worker does: deliver the notifications

    # 4. The supplier, at another desk, is notified of the new order, opens it from the
    # notification, confirms it and ships it with a delivery note.
    with second_page(browser, mall, "mall_journey_supplier") as seller:
        log_in(seller, SELLER, DEMO_PASSWORD)
        expect(seller.get_by_test_id("dashboard-title")).to_be_visible()
        open_notification(seller, number)
        expect(seller.get_by_test_id("order-number")).to_have_text(number)
        expect(seller.get_by_test_id("order-status")).to_have_text(zh(OrderStatus.PLACED.label))
        seller.get_by_test_id("order-confirm").click()
        expect(seller.get_by_test_id("order-status")).to_have_text(zh(OrderStatus.CONFIRMED.label))
        ship = seller.get_by_test_id("ship-form")
        ship.locator("#carrier").fill("顺丰速运")
        ship.locator("#tracking_number").fill("SF1234567890")
        ship.locator("#ship-note").fill("当日送达，请总务处签收")
        seller.get_by_test_id("order-ship").click()
        expect(seller.get_by_test_id("order-status")).to_have_text(zh(OrderStatus.SHIPPED.label))
        expect(seller.get_by_test_id("delivery-note")).to_contain_text("SF1234567890")
        assert not seller.js_errors, seller.js_errors  # type: ignore[attr-defined]

    outbox_sweep()

    # 5. The purchaser is told of the shipment, sees the delivery note, accepts in full,
    # creates the payment request and submits it for approval.
    open_notification(page, number, "SF1234567890")
    expect(page.get_by_test_id("order-number")).to_have_text(number)
    expect(page.get_by_test_id("order-status")).to_have_text(zh(OrderStatus.SHIPPED.label))
    expect(page.get_by_test_id("delivery-note")).to_contain_text("顺丰速运")
    page.get_by_test_id("order-accept").click()
    expect(page.get_by_test_id("order-status")).to_have_text(zh(OrderStatus.ACCEPTED.label))
    expect(page.get_by_test_id("order-accepted")).to_contain_text("858.00")
    page.get_by_test_id("order-payment-request").click()
    expect(page.get_by_test_id("payment-status")).to_have_text(zh(PaymentStatus.DRAFT.label))
    page.get_by_test_id("payment-submit").click()
    expect(page.get_by_test_id("payment-status")).to_have_text(zh(PaymentStatus.SUBMITTED.label))
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    assert order.payment_request_id is not None
    payment = PaymentRequest.objects.get(pk=order.payment_request_id)
    assert payment.amount == Decimal("858.00")
    assert payment.status == PaymentStatus.SUBMITTED
    # The whole path took one sitting, far less than a working day.
    assert order.accepted_at - plan.filed_at < dt.timedelta(hours=8)

    # 6. The dashboard: the median plan-to-acceptance time of the region, this order included.
    assert Region.objects.get(code=order.region_code).name == region
    page.goto(reverse("web:home"))
    orders, hours = median_row(page, region)
    assert orders == accepted_before + 1
    assert hours == expected_median(buyer_ids=[order.buyer_id], region_code=order.region_code)
    # No script failed and nothing was blocked by the Content Security Policy on the way.
    assert not page.js_errors, page.js_errors  # type: ignore[attr-defined]

    # The regulator of the city sees the same figure over every unit of the region.
    with second_page(browser, mall, "mall_journey_regulator") as supervisor:
        regulator = demo_user("regulator")
        log_in(supervisor, regulator.username, regulator.password, regulator.totp_secret)
        expect(supervisor.get_by_test_id("dashboard-title")).to_be_visible()
        orders, hours = median_row(supervisor, region)
        prefix = Region.objects.get(code=order.region_code).prefix
        in_region = Order.objects.filter(region_code__startswith=prefix, status=OrderStatus.ACCEPTED)
        assert orders == in_region.count()
        assert order.pk in set(in_region.values_list("pk", flat=True))
        buyers = list(in_region.values_list("buyer_id", flat=True).distinct())
        assert hours == expected_median(buyer_ids=buyers, region_code=order.region_code)


def broken_images(page: Page) -> list[str]:
    """The sources of the images on the page that did not load."""
    page.wait_for_load_state("load")
    return page.evaluate(
        "() => [...document.images].filter(i => i.complete && i.naturalWidth === 0).map(i => i.getAttribute('src'))"
    )


def test_shop_sorts_and_shows_pictures(page: Page, mall) -> None:  # type: ignore[no-untyped-def]
    """Search and product page as the purchaser sees them: every picture loads, choosing a
    sort order re-sorts the results (the dearest first: not the order relevance gives them),
    nothing is blocked by the Content Security Policy."""
    buyer = demo_user("purchaser")
    log_in(page, buyer.username, buyer.password)
    page.goto(reverse("shop:search") + "?q=硒鼓")
    expect(page.get_by_test_id("result-card").first).to_be_visible()
    assert not broken_images(page)
    page.get_by_test_id("sort").select_option("price_desc")
    page.wait_for_url("**sort=price_desc**")
    prices = [
        Decimal(t.replace("¥", "").replace(",", "").strip())
        for t in page.get_by_test_id("result-price").all_inner_texts()
    ]
    assert len(prices) > 1
    assert prices == sorted(prices, reverse=True)
    page.get_by_test_id("result-card").filter(has_text=TONER).get_by_test_id("result-title").click()
    expect(page.get_by_test_id("listing-title")).to_have_text(TONER)
    assert not broken_images(page)
    assert not page.js_errors, page.js_errors  # type: ignore[attr-defined]


def test_cart_keeps_to_the_security_policy(page: Page, mall) -> None:  # type: ignore[no-untyped-def]
    """Straight from a search result into the cart: the cart page loads its pictures and
    nothing on it is blocked by the Content Security Policy (no inline styles or handlers)."""
    buyer = demo_user("purchaser")
    log_in(page, buyer.username, buyer.password)
    page.goto(reverse("shop:search") + "?q=硒鼓")
    page.get_by_test_id("result-card").filter(has_text=TONER).get_by_test_id("cart-add").click()
    expect(page.get_by_test_id("cart-line")).to_have_count(1)
    assert not broken_images(page)
    assert not page.js_errors, page.js_errors  # type: ignore[attr-defined]
