"""Order pages: cart, checkout, the list for each role, the step forms, figures and export."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhengcai.accounts.models import User
from zhengcai.accounts.tests.factories import log_in_verified
from zhengcai.budgets.models import PaymentRequest
from zhengcai.core.roles import OrgType
from zhengcai.orders.models import Order
from zhengcai.orders.states import OrderStatus

pytestmark = pytest.mark.django_db


def client_for(actor: Any) -> Client:
    client = Client()
    user = User.objects.get(pk=actor.user_id)
    if actor.org_type == OrgType.REGULATOR:
        return log_in_verified(client, user)
    client.force_login(user)
    return client


def test_cart_checkout_and_journey_through_the_pages(  # noqa: PLR0917
    purchaser: Any, plan: Any, paper: Any, supplier1: Any, supplier2: Any, regulator: Any, other_regulator: Any
) -> None:
    buyer = client_for(purchaser)
    assert buyer.get(reverse("orders:cart")).status_code == 200
    response = buyer.post(reverse("orders:cart_add"), {"listing_id": paper.pk, "quantity": "3"})
    assert response.status_code == 302
    page = buyer.get(reverse("orders:cart")).content.decode()
    assert 'data-testid="cart-line"' in page
    assert 'data-testid="checkout-form"' in page
    response = buyer.post(reverse("orders:checkout"), {"plan_id": plan.pk})
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:detail", args=[order.pk])
    assert order.number in buyer.get(reverse("orders:list")).content.decode()

    seller = client_for(supplier1)
    assert order.number in seller.get(reverse("orders:list")).content.decode()
    detail = seller.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert 'data-testid="order-confirm"' in detail
    seller.post(reverse("orders:action", args=[order.pk, "confirm"]))
    seller.post(
        reverse("orders:action", args=[order.pk, "ship"]),
        {"carrier": "顺丰", "tracking_number": "SF1", f"qty_{order.lines.get().pk}": "3"},
    )
    assert Order.objects.get().status == OrderStatus.SHIPPED
    # The other supplier and the other region's regulator see nothing.
    assert client_for(supplier2).get(reverse("orders:detail", args=[order.pk])).status_code == 404
    assert client_for(other_regulator).get(reverse("orders:detail", args=[order.pk])).status_code == 404
    watcher = client_for(regulator)
    page = watcher.get(reverse("orders:detail", args=[order.pk])).content.decode()
    assert 'data-testid="order-timeline"' in page
    assert 'data-testid="order-accept"' not in page
    assert watcher.post(reverse("orders:action", args=[order.pk, "accept"])).status_code == 404
    assert Order.objects.get().status == OrderStatus.SHIPPED

    buyer.post(reverse("orders:action", args=[order.pk, "accept"]))
    assert Order.objects.get().status == OrderStatus.ACCEPTED
    response = buyer.post(reverse("orders:action", args=[order.pk, "payment_request"]))
    payment = PaymentRequest.objects.get()
    assert response["Location"] == reverse("budgets:payment_detail", args=[payment.pk])
    buyer.post(reverse("orders:action", args=[order.pk, "rate"]), {"stars": "5", "comment": "好"})
    assert Order.objects.get().rating.stars == 5

    for client in (buyer, watcher, seller):
        assert client.get(reverse("orders:figures")).status_code == 200
        export = client.get(reverse("orders:figures_export"))
        assert export.status_code == 200
        assert export.content[:2] == b"PK"


def test_wrong_roles_get_404(supplier1: Any, regulator: Any, paper: Any) -> None:
    for actor in (supplier1, regulator):
        client = client_for(actor)
        assert client.get(reverse("orders:cart")).status_code == 404
        assert client.post(reverse("orders:cart_add"), {"listing_id": paper.pk}).status_code == 404
        assert client.post(reverse("orders:checkout"), {"plan_id": 1}).status_code == 404


def test_checkout_refusal_shows_the_message_and_changes_nothing(purchaser: Any, paper: Any) -> None:
    buyer = client_for(purchaser)
    buyer.post(reverse("orders:cart_add"), {"listing_id": paper.pk, "quantity": "1"})
    response = buyer.post(reverse("orders:checkout"), {"plan_id": ""}, follow=True)
    assert "plan" in response.content.decode().lower() or "计划" in response.content.decode()
    assert not Order.objects.exists()
    paper.refresh_from_db()
    assert paper.stock == 100


def test_dashboard_shows_the_median_widget(purchaser: Any, regulator: Any) -> None:
    for actor in (purchaser, regulator):
        page = client_for(actor).get("/").content.decode()
        assert 'data-testid="mall-orders-widget"' in page
