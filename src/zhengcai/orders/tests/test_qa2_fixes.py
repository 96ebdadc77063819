"""QA2 findings on the order steps and pages: ship-form messages, refusals naming the action,
shipping the rest after a partial shipment, savings and the timeline after a partial
acceptance, order numbers in local time, links between orders and plans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from zhengcai.core.errors import InvalidTransition, ValidationFailed
from zhengcai.orders import cart, selectors, services
from zhengcai.orders.models import Order
from zhengcai.orders.tests.test_views import client_for
from zhengcai.plans.holds import plan_hold_place

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(purchaser: Any, plan: Any, paper: Any) -> Order:
    cart.cart_add(actor=purchaser, listing_id=paper.pk, quantity=3)
    return services.order_checkout(actor=purchaser, plan_id=plan.pk)[0]


def _line(order: Order) -> Any:
    return order.lines.get()


def test_ship_form_says_what_is_missing(order: Order, supplier1: Any) -> None:
    services.order_confirm(actor=supplier1, order_id=order.pk)
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as exc:
        services.order_ship(actor=supplier1, order_id=order.pk, carrier=" ", tracking_number="SF1")
    assert "carrier" in exc.value.fields
    assert "原因" not in str(exc.value.message)
    with pytest.raises(ValidationFailed) as exc:
        services.order_ship(actor=supplier1, order_id=order.pk, carrier="顺丰", tracking_number="")
    assert "tracking_number" in exc.value.fields
    assert "tracking number" in str(exc.value.message).lower() or "单号" in str(exc.value.message)


def test_a_repeated_step_names_the_action_in_words(order: Order, supplier1: Any) -> None:
    services.order_confirm(actor=supplier1, order_id=order.pk)
    with translation.override("en"), pytest.raises(InvalidTransition) as exc:
        services.order_confirm(actor=supplier1, order_id=order.pk)
    assert str(exc.value.message) == "You cannot confirm the order while the status is “Confirmed”."


def test_the_rest_of_a_partial_shipment_can_be_shipped(order: Order, supplier1: Any, purchaser: Any) -> None:
    line = _line(order)
    services.order_confirm(actor=supplier1, order_id=order.pk)
    services.order_ship(
        actor=supplier1, order_id=order.pk, carrier="顺丰", tracking_number="SF1", quantities={line.pk: 2}
    )
    order.refresh_from_db()
    assert selectors.to_ship(order) == {line.pk: 1}
    assert "ship" in selectors.order_actions(actor=supplier1, order=order)
    with pytest.raises(ValidationFailed):  # at most what is still to ship
        services.order_ship(
            actor=supplier1, order_id=order.pk, carrier="顺丰", tracking_number="SF2", quantities={line.pk: 2}
        )
    services.order_ship(actor=supplier1, order_id=order.pk, carrier="顺丰", tracking_number="SF2")
    order.refresh_from_db()
    assert _line(order).shipped_quantity == 3
    assert order.deliveries.count() == 2
    assert "ship" not in selectors.order_actions(actor=supplier1, order=order)
    with pytest.raises(InvalidTransition) as exc:
        services.order_ship(actor=supplier1, order_id=order.pk, carrier="顺丰", tracking_number="SF3")
    assert exc.value.code == "fully_shipped"
    assert services.order_accept(actor=purchaser, order_id=order.pk).accepted_amount == Decimal("75.00")


def test_partial_acceptance_savings_timeline_and_badge(order: Order, supplier1: Any, purchaser: Any) -> None:
    line = _line(order)
    services.order_confirm(actor=supplier1, order_id=order.pk)
    services.order_ship(actor=supplier1, order_id=order.pk, carrier="顺丰", tracking_number="SF1")
    assert order.savings == Decimal("14.70")  # (29.90 - 25.00) × 3
    services.order_accept(actor=purchaser, order_id=order.pk, quantities={line.pk: 1})
    services.order_rate(actor=purchaser, order_id=order.pk, stars=5)
    services.order_payment_request_create(actor=purchaser, order_id=order.pk)
    order = Order.objects.get(pk=order.pk)
    assert order.savings == Decimal("4.90")  # the accepted unit only, as in the figures
    assert order.partly_accepted
    with translation.override("en"):
        labels = [str(step["label"]) for step in selectors.order_timeline(order)]
    assert labels[-3:] == ["Partly accepted", "Supplier rated", "Payment requested"]
    page = client_for(purchaser).get(reverse("orders:detail", args=[order.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert "部分验收" in html
    assert "¥4.90" in html


def test_order_number_uses_the_local_date(frozen_clock: Any, purchaser: Any, plan: Any, paper: Any) -> None:
    # 2026-03-02 23:30 UTC is already 2026-03-03 in Asia/Shanghai.
    frozen_clock.set(dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC))
    cart.cart_add(actor=purchaser, listing_id=paper.pk, quantity=1)
    placed = services.order_checkout(actor=purchaser, plan_id=plan.pk)[0]
    assert placed.number.startswith("DD20260303")


def test_order_and_plan_pages_link_to_each_other(
    order: Order, purchaser: Any, supplier1: Any, plan: Any, lines: Any
) -> None:
    buyer = client_for(purchaser)
    html = buyer.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert reverse("plans:detail", args=[plan.pk]) in html
    assert reverse("budgets:commitment_detail", args=[order.commitment_id]) in html
    # The supplier sees neither the plan nor the commitment: no links.
    seller = client_for(supplier1).get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert reverse("plans:detail", args=[plan.pk]) not in seller
    plan_hold_place(actor=purchaser, plan_id=plan.pk, line_id=lines["big"], amount=Decimal("1000"), ref="sourcing:1")
    page = buyer.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert order.number in page  # the order's commitment, labelled with its number
    assert 'data-testid="plan-holds"' in page
    assert "¥48,925.00" in page  # free: 50,000 - 75 ordered - 1,000 held


def test_cart_shows_the_free_figure_and_the_direct_limit_left(
    purchaser: Any, plan: Any, lines: Any, paper: Any
) -> None:
    plan_hold_place(actor=purchaser, plan_id=plan.pk, line_id=lines["big"], amount=Decimal("40000"), ref="sourcing:1")
    cart.cart_add(actor=purchaser, listing_id=paper.pk, quantity=1)
    html = client_for(purchaser).get(reverse("orders:cart")).content.decode()
    assert "¥10,000.00" in html
    assert 'data-testid="cart-direct-left"' in html
