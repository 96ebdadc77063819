"""QA4 #2: the accept form says that accepting with units unshipped closes the order;
#17: order steps by a party that is not the party of that step read as 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from zhengcai.core.errors import NotFound
from zhengcai.orders import cart, services
from zhengcai.orders.models import Order
from zhengcai.orders.tests.test_views import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(purchaser: Any, plan: Any, paper: Any) -> Order:
    cart.cart_add(actor=purchaser, listing_id=paper.pk, quantity=3)
    return services.order_checkout(actor=purchaser, plan_id=plan.pk)[0]


def test_the_accept_form_warns_about_unshipped_units(order: Order, supplier1: Any, purchaser: Any) -> None:
    line = order.lines.get()
    services.order_confirm(actor=supplier1, order_id=order.pk)
    services.order_ship(
        actor=supplier1, order_id=order.pk, carrier="顺丰", tracking_number="SF1", quantities={line.pk: 2}
    )
    html = client_for(purchaser).get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert 'data-testid="accept-unshipped-warning"' in html
    assert f"{line.title} × 1" in html
    services.order_ship(actor=supplier1, order_id=order.pk, carrier="顺丰", tracking_number="SF2")
    html = client_for(purchaser).get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert 'data-testid="accept-unshipped-warning"' not in html
    assert 'data-testid="accept-form"' in html


def test_steps_of_the_other_party_are_not_found(order: Order, supplier1: Any, purchaser: Any) -> None:
    with pytest.raises(NotFound):
        services.order_confirm(actor=purchaser, order_id=order.pk)
    services.order_confirm(actor=supplier1, order_id=order.pk)
    services.order_ship(actor=supplier1, order_id=order.pk, carrier="顺丰", tracking_number="SF1")
    with pytest.raises(NotFound):
        services.order_accept(actor=supplier1, order_id=order.pk)
    assert client_for(purchaser).post(f"/api/v1/mall/orders/{order.pk}/confirm/").status_code == 404
    accept = client_for(supplier1).post(f"/api/v1/mall/orders/{order.pk}/accept/", {}, content_type="application/json")
    assert accept.status_code == 404


def test_the_plan_page_adds_up_after_a_partial_acceptance(
    order: Order, supplier1: Any, purchaser: Any, plan: Any
) -> None:
    from decimal import Decimal

    from zhengcai.audit.models import AuditEvent
    from zhengcai.plans import selectors as plan_selectors

    line = order.lines.get()  # 3 × 25.00
    services.order_confirm(actor=supplier1, order_id=order.pk)
    services.order_ship(actor=supplier1, order_id=order.pk, carrier="顺丰", tracking_number="SF1")
    services.order_accept(actor=purchaser, order_id=order.pk, quantities={line.pk: 1})
    plan.refresh_from_db()
    money = plan_selectors.plan_money(plan)
    assert money["committed"] == Decimal("25.00")
    assert money["released"] == Decimal("50.00")
    assert money["reserved"] + money["committed"] + money["released"] == money["planned"] == Decimal("50000.00")
    assert plan_selectors.commitments_reduced(plan) == {f"order:{order.number}": Decimal("50.00")}
    event = AuditEvent.objects.get(action="plans.plan.reduce")
    assert event.data["released"] == "50.00"
    html = client_for(purchaser).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'data-testid="plan-money"' in html
    assert 'data-testid="plan-commitment-released"' in html
    assert "49,925.00" in html  # still reserved
