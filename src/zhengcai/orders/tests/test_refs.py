"""An order's commitment reads as the order ("订单 DD…") on budget pages and in budget messages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from zhengcai.accounts.models import User
from zhengcai.budgets import services as budget_services
from zhengcai.budgets.refs import ref_label
from zhengcai.core.errors import Conflict
from zhengcai.orders import cart, services
from zhengcai.orders.refs import order_ref_label

pytestmark = pytest.mark.django_db


def test_the_labeller() -> None:
    with translation.override("en"):
        assert order_ref_label("DD20260302000017") == "Order DD20260302000017"
        assert ref_label("order:DD20260302000017") == "Order DD20260302000017"
        assert ref_label("order:DD202603021234567") == "Order DD202603021234567"
    with translation.override("zh-hans"):
        assert ref_label("order:DD20260302000017") == "订单 DD20260302000017"
    for raw in ("order:demo-1-3", "order:1", "order:DD2026", "order:"):
        assert ref_label(raw) == raw  # not an order number: shown as it is


def test_budget_pages_and_messages_show_the_order_number(purchaser: Any, plan: Any, paper: Any) -> None:
    cart.cart_add(actor=purchaser, listing_id=paper.pk, quantity=2)
    order = services.order_checkout(actor=purchaser, plan_id=plan.pk)[0]
    client = Client()
    client.force_login(User.objects.get(pk=purchaser.user_id))
    for url in (
        reverse("budgets:commitment_detail", args=[order.commitment_id]),
        reverse("budgets:line_detail", args=[order.line_id]),
    ):
        page = client.get(url).content.decode()
        assert f"订单 {order.number}" in page, url
        assert order.commitment_ref not in page, url
    with translation.override("zh-hans"), pytest.raises(Conflict) as repeated:
        budget_services.budget_commit(
            actor=purchaser,
            line_id=order.line_id,
            amount=order.total_amount,
            ref=plan.ref,
            commitment_ref=order.commitment_ref,
            supplier_org_id=None,
            description="",
        )
    assert f"订单 {order.number}" in str(repeated.value.message)
