"""QA fixes at checkout: direct purchase only for plans whose e-mall modes allow it, the
direct-purchase limit per plan (not per checkout), money held by open inquiries and
auctions, the same "free" figure in the cart and in the refusal, system tokens."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zhengcai.budgets.errors import InsufficientBudget
from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotPermitted, ValidationFailed
from zhengcai.core.roles import OrgType, Role
from zhengcai.listings.tests.factories import ListingFactory
from zhengcai.orders import cart, selectors, services
from zhengcai.orders.models import Order
from zhengcai.plans.holds import plan_hold_place, plan_line_free
from zhengcai.plans.services import plan_file
from zhengcai.plans.tests.conftest import draft

pytestmark = pytest.mark.django_db
D = Decimal


def _listing(supplier: Any, price: str, stock: int = 1000) -> Any:
    return ListingFactory(supplier=supplier.organisation, price=D(price), reference_price=D(price), stock=stock)


def test_a_plan_without_direct_purchase_is_not_offered_and_refused(purchaser: Any, lines: Any, sup2: Any) -> None:
    big = plan_file(actor=purchaser, plan_id=draft(purchaser, lines["big"], qty="50", price="5000").pk)
    assert big.channel == "e_mall"
    assert "direct" not in big.mall_modes  # 250,000 is above the direct-purchase limit
    assert all(row["plan"].pk != big.pk for row in selectors.plans_for_checkout(actor=purchaser))
    cart.cart_add(actor=purchaser, listing_id=_listing(sup2, "100").pk, quantity=1)
    with pytest.raises(ValidationFailed) as exc:
        services.order_checkout(actor=purchaser, plan_id=big.pk)
    assert exc.value.code == "plan_not_direct"
    assert big.number in str(exc.value.message)
    assert not Order.objects.exists()


def test_the_direct_purchase_limit_counts_the_plans_earlier_orders(
    purchaser: Any, lines: Any, sup1: Any, sup2: Any, supplier2: Any
) -> None:
    p = plan_file(actor=purchaser, plan_id=draft(purchaser, lines["big"], qty="40", price="5000").pk)
    item = _listing(sup2, "5000")
    cart.cart_add(actor=purchaser, listing_id=item.pk, quantity=30)
    first = services.order_checkout(actor=purchaser, plan_id=p.pk)[0]
    assert selectors.direct_spent(p.pk) == D("150000.00")
    assert selectors.direct_left(p) == D("50000.00")
    # A second checkout of 55,000 (split over two suppliers) would bring the plan to 205,000.
    cart.cart_add(actor=purchaser, listing_id=item.pk, quantity=10)
    cart.cart_add(actor=purchaser, listing_id=_listing(sup1, "5000").pk, quantity=1)
    with pytest.raises(ValidationFailed) as exc:
        services.order_checkout(actor=purchaser, plan_id=p.pk)
    assert exc.value.code == "above_direct_limit"
    message = str(exc.value.message)
    assert "¥50,000.00" in message
    assert "¥150,000.00" in message
    assert sup1.organisation.name in message or sup2.organisation.name in message
    assert Order.objects.count() == 1
    # A declined order no longer counts.
    services.order_decline(actor=supplier2, order_id=first.pk, reason="缺货")
    assert selectors.direct_spent(p.pk) == D("0.00")
    assert len(services.order_checkout(actor=purchaser, plan_id=p.pk)) == 2


def test_checkout_cannot_spend_money_held_by_an_inquiry(purchaser: Any, plan: Any, lines: Any, sup2: Any) -> None:
    plan_hold_place(actor=purchaser, plan_id=plan.pk, line_id=lines["big"], amount=D("44000"), ref="sourcing:XJ1")
    row = next(r for r in selectors.plans_for_checkout(actor=purchaser) if r["plan"].pk == plan.pk)
    assert row["fundings"][0]["outstanding"] == D("6000.00")  # the cart's figure
    cart.cart_add(actor=purchaser, listing_id=_listing(sup2, "6000.01").pk, quantity=1)
    with pytest.raises(InsufficientBudget) as exc:
        services.order_checkout(actor=purchaser, plan_id=plan.pk)
    message = str(exc.value.message)
    assert "¥6,000.00" in message
    assert sup2.organisation.name in message
    assert plan_line_free(plan_id=plan.pk, line_id=lines["big"]) == D("6000.00")


def test_the_refusal_quotes_the_cart_figure_across_orders(
    purchaser: Any, plan: Any, lines: Any, sup1: Any, sup2: Any
) -> None:
    """Two orders on one line: the refusal quotes what was free before the checkout (the cart's
    figure), not the balance after the first order in the rolled-back transaction."""
    cart.cart_add(actor=purchaser, listing_id=_listing(sup1, "30000").pk, quantity=1)
    cart.cart_add(actor=purchaser, listing_id=_listing(sup2, "20000.01").pk, quantity=1)
    with pytest.raises(InsufficientBudget) as exc:
        services.order_checkout(actor=purchaser, plan_id=plan.pk)
    message = str(exc.value.message)
    assert "¥50,000.00" in message
    assert "¥30,000.00" in message or "¥20,000.01" in message
    assert not Order.objects.exists()


def test_another_units_plan_reads_as_missing(purchaser: Any, other_unit_purchaser: Any, plan: Any, sup2: Any) -> None:
    cart.cart_add(actor=other_unit_purchaser, listing_id=_listing(sup2, "10").pk, quantity=1)
    with pytest.raises(ValidationFailed) as theirs:
        services.order_checkout(actor=other_unit_purchaser, plan_id=plan.pk)
    with pytest.raises(ValidationFailed) as missing:
        services.order_checkout(actor=other_unit_purchaser, plan_id=987654)
    assert theirs.value.as_dict() == missing.value.as_dict()


def test_a_system_token_gets_a_clear_refusal(purchaser: Any, unit: Any, plan: Any, paper: Any) -> None:
    token = Actor(
        user_id=None,
        username="token:budget-sync",
        organisation_id=unit.pk,
        organisation_name=unit.name,
        org_type=OrgType.BUDGET_UNIT,
        role=Role.PURCHASER,
        region_code="330802",
        is_system=True,
    )
    for call in (
        lambda: cart.cart_add(actor=token, listing_id=paper.pk),
        lambda: services.order_checkout(actor=token, plan_id=plan.pk),
    ):
        with pytest.raises(NotPermitted) as exc:
            call()
        assert exc.value.code == "cart_needs_person"
