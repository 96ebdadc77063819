"""QA4 #4: checkout checks the goods against the plan's items (same catalogue class, the
first five characters of the code); the cart leaves out plans no product fits and marks
those that do not cover every product; the cart's "you can order up to" figure (#16)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhengcai.accounts.models import User
from zhengcai.catalogue.models import CatalogueItem
from zhengcai.core.errors import ValidationFailed
from zhengcai.listings.tests.factories import CategoryFactory, ListingFactory
from zhengcai.orders import cart, selectors, services
from zhengcai.orders.fit import fits, listing_code
from zhengcai.orders.models import Order

pytestmark = pytest.mark.django_db
D = Decimal


def _category(code: str | None, parent: Any = None) -> Any:
    item = CatalogueItem.objects.get(code=code) if code else None
    return CategoryFactory(catalogue_item=item, parent=parent)


def _listing(sup: Any, category: Any, title: str, price: str = "100") -> Any:
    return ListingFactory(
        supplier=sup.organisation, category=category, title=title, price=D(price), reference_price=D(price), stock=50
    )


def test_codes_and_classes(plan: Any, sup2: Any) -> None:
    computers = _category("A02010000")
    leaf = _category(None, parent=computers)
    bare = _category(None, parent=_category(None))
    assert listing_code(_listing(sup2, leaf, "显示器")) == "A02010000"  # the parent's code
    assert listing_code(_listing(sup2, bare, "耗材")) == ""
    assert fits("A02010000", ["A02010105"])
    assert not fits("A05040101", ["A02010105"])
    assert fits("", ["A02010105"])  # no code on the leaf or its parent: cannot be checked, allowed


def test_checkout_refuses_goods_outside_the_plans_items(purchaser: Any, plan: Any, sup1: Any, sup2: Any) -> None:
    # The plan (conftest) is for A02010105 台式计算机.
    paper = _listing(sup1, _category("A05040101"), "得力A4复印纸")
    monitor = _listing(sup2, _category(None, parent=_category("A02010000")), "戴尔显示器")
    cart.cart_add(actor=purchaser, listing_id=paper.pk, quantity=1)
    cart.cart_add(actor=purchaser, listing_id=monitor.pk, quantity=1)
    rows = selectors.plans_for_checkout(actor=purchaser, listings=[paper, monitor])
    row = next(r for r in rows if r["plan"].pk == plan.pk)
    assert row["misfits"] == ["得力A4复印纸"]
    with pytest.raises(ValidationFailed) as exc:
        services.order_checkout(actor=purchaser, plan_id=plan.pk)
    message = str(exc.value.message)
    assert exc.value.code == "goods_not_in_plan"
    for part in ("得力A4复印纸", "A05040101", plan.number, "A02010105"):
        assert part in message
    assert not Order.objects.exists()
    # Paper alone: no line fits, the plan is not offered.
    assert all(r["plan"].pk != plan.pk for r in selectors.plans_for_checkout(actor=purchaser, listings=[paper]))
    cart.cart_clear(actor=purchaser)
    cart.cart_add(actor=purchaser, listing_id=monitor.pk, quantity=1)
    cart.cart_add(actor=purchaser, listing_id=_listing(sup2, _category(None), "无编码商品").pk, quantity=1)
    assert len(services.order_checkout(actor=purchaser, plan_id=plan.pk)) == 1


def test_the_cart_page_says_when_no_plan_covers_the_goods(purchaser: Any, plan: Any, sup1: Any) -> None:
    cart.cart_add(actor=purchaser, listing_id=_listing(sup1, _category("A05040101"), "复印纸").pk, quantity=1)
    client = Client()
    client.force_login(User.objects.get(pk=purchaser.user_id))
    html = client.get(reverse("orders:cart")).content.decode()
    assert 'data-testid="no-plan-fits"' in html
    assert 'data-testid="checkout-form"' not in html


def test_the_cart_quotes_what_can_be_ordered(purchaser: Any, plan: Any, sup2: Any) -> None:
    row = next(r for r in selectors.plans_for_checkout(actor=purchaser) if r["plan"].pk == plan.pk)
    assert row["direct_left"] == D("200000.00")
    assert row["orderable"] == D("50000.00")  # capped by what the plan has free
    cart.cart_add(actor=purchaser, listing_id=_listing(sup2, _category(None), "商品").pk, quantity=1)
    client = Client()
    client.force_login(User.objects.get(pk=purchaser.user_id))
    html = client.get(reverse("orders:cart")).content.decode()
    assert "50,000.00" in html
