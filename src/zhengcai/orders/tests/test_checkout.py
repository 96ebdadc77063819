from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zhengcai.audit.models import AuditEvent
from zhengcai.budgets.errors import InsufficientBudget
from zhengcai.budgets.models import BudgetLine, Commitment
from zhengcai.core.errors import NotFound, ValidationFailed
from zhengcai.listings.errors import OutOfStock
from zhengcai.notify.models import OutboxMessage
from zhengcai.orders import cart, services
from zhengcai.orders.models import CartLine, Order
from zhengcai.plans.models import ProcurementPlan
from zhengcai.plans.services import plan_file
from zhengcai.plans.states import PlanStatus
from zhengcai.plans.tests.conftest import draft

pytestmark = pytest.mark.django_db


def _state(*listings: Any) -> tuple[Any, ...]:
    for x in listings:
        x.refresh_from_db()
    lines = tuple(BudgetLine.objects.order_by("pk").values_list("reserved", "committed"))
    return (tuple(x.stock for x in listings), lines, Order.objects.count(), Commitment.objects.count())


def test_checkout_splits_one_order_per_supplier(  # noqa: PLR0917
    purchaser: Any, plan: Any, paper: Any, pc: Any, supplier1: Any, supplier2: Any
) -> None:
    cart.cart_add(actor=purchaser, listing_id=paper.pk, quantity=10)
    cart.cart_add(actor=purchaser, listing_id=pc.pk, quantity=2)
    cart.cart_add(actor=purchaser, listing_id=paper.pk, quantity="2")
    view = cart.cart_get(actor=purchaser)
    assert [g.subtotal for g in view.groups] == [Decimal("9600.00"), Decimal("300.00")]
    assert view.total == Decimal("9900.00")

    orders = services.order_checkout(actor=purchaser, plan_id=plan.pk)
    assert len(orders) == 2
    by_supplier = {o.supplier_id: o for o in orders}
    paper_order = by_supplier[paper.supplier_id]
    assert paper_order.total_amount == Decimal("300.00")
    assert paper_order.reference_amount == Decimal("358.80")
    assert paper_order.savings == Decimal("58.80")
    assert paper_order.supplier_is_sme
    assert paper_order.rule_set_id is not None
    assert paper_order.plan_id == plan.pk
    line = paper_order.lines.get()
    assert (line.title, line.quantity, line.unit_price, line.reference_price) == (
        "得力A4复印纸",
        12,
        Decimal("25.00"),
        Decimal("29.90"),
    )
    paper.refresh_from_db()
    pc.refresh_from_db()
    assert (paper.stock, pc.stock) == (88, 3)
    assert set(Commitment.objects.values_list("commitment_ref", flat=True)) == {o.commitment_ref for o in orders}
    assert not CartLine.objects.exists()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.EXECUTING
    assert AuditEvent.objects.filter(action="orders.order.place").count() == 2
    assert OutboxMessage.objects.filter(
        recipient_id=supplier1.user_id, source_key=f"order:{paper_order.pk}:placed"
    ).exists()


def test_checkout_charges_the_current_price_and_shows_the_change(purchaser: Any, plan: Any, paper: Any) -> None:
    cart.cart_add(actor=purchaser, listing_id=paper.pk, quantity=4)
    paper.price = Decimal("26.50")
    paper.save()
    item = cart.cart_get(actor=purchaser).groups[0].items[0]
    assert item.price_change == Decimal("1.50")
    order = services.order_checkout(actor=purchaser, plan_id=plan.pk)[0]
    assert order.total_amount == Decimal("106.00")


def test_all_or_nothing_when_one_order_fails(purchaser: Any, plan: Any, paper: Any, pc: Any) -> None:
    cart.cart_add(actor=purchaser, listing_id=paper.pk, quantity=10)
    cart.cart_add(actor=purchaser, listing_id=pc.pk, quantity=6)  # only 5 in stock
    before = _state(paper, pc)
    with pytest.raises(OutOfStock) as exc:
        services.order_checkout(actor=purchaser, plan_id=plan.pk)
    assert "联想台式计算机" in str(exc.value.message)
    assert _state(paper, pc) == before
    assert CartLine.objects.count() == 2


def test_beyond_the_plan_refused_and_nothing_changes(purchaser: Any, plan: Any, paper: Any, pc: Any) -> None:
    cart.cart_add(actor=purchaser, listing_id=paper.pk, quantity=10)
    pc.stock = 20
    pc.save()
    cart.cart_add(actor=purchaser, listing_id=pc.pk, quantity=11)  # 52,800 > 50,000 reserved
    before = _state(paper, pc)
    with pytest.raises(InsufficientBudget):
        services.order_checkout(actor=purchaser, plan_id=plan.pk)
    assert _state(paper, pc) == before


def test_direct_purchase_limit(purchaser: Any, lines: Any, sup2: Any) -> None:
    from zhengcai.listings.tests.factories import ListingFactory

    p = plan_file(actor=purchaser, plan_id=draft(purchaser, lines["big"], qty="40", price="5000").pk)
    assert p.channel == "e_mall"
    item = ListingFactory(supplier=sup2.organisation, price=Decimal("5000.00"), reference_price=Decimal("5100.00"))
    cart.cart_add(actor=purchaser, listing_id=item.pk, quantity=41)  # 205,000 > 200,000
    with pytest.raises(ValidationFailed) as exc:
        services.order_checkout(actor=purchaser, plan_id=p.pk)
    assert exc.value.code == "above_direct_limit"
    assert "在线询价" in str(exc.value.message)  # points to online inquiry / reverse auction
    cart.cart_update(actor=purchaser, line_id=CartLine.objects.get().pk, quantity=40)  # exactly 200,000
    assert services.order_checkout(actor=purchaser, plan_id=p.pk)[0].total_amount == Decimal("200000.00")


def test_order_without_a_plan_or_with_another_units_plan_is_refused(
    purchaser: Any, other_unit_purchaser: Any, plan: Any, paper: Any
) -> None:
    cart.cart_add(actor=purchaser, listing_id=paper.pk, quantity=1)
    for plan_id in ("", None, "x", 999999):
        with pytest.raises(ValidationFailed) as exc:
            services.order_checkout(actor=purchaser, plan_id=plan_id)
        assert exc.value.code == "plan_required"
    cart.cart_add(actor=other_unit_purchaser, listing_id=paper.pk, quantity=1)
    with pytest.raises(ValidationFailed) as exc:
        services.order_checkout(actor=other_unit_purchaser, plan_id=plan.pk)
    assert exc.value.code == "plan_required"  # the same as a missing plan: existence not revealed
    paper.refresh_from_db()
    assert paper.stock == 100
    assert not Order.objects.exists()


def test_plan_not_in_the_mall_or_not_in_force_refused(purchaser: Any, lines: Any, paper: Any) -> None:
    cart.cart_add(actor=purchaser, listing_id=paper.pk, quantity=1)
    project = plan_file(
        actor=purchaser,
        plan_id=draft(purchaser, lines["big"], code="A02030500", qty="1", price="150000", form="centralised").pk,
    )
    assert project.channel != "e_mall"
    with pytest.raises(ValidationFailed) as exc:
        services.order_checkout(actor=purchaser, plan_id=project.pk)
    assert exc.value.code == "plan_not_mall"
    drafted = draft(purchaser, lines["small"])
    with pytest.raises(ValidationFailed) as exc:
        services.order_checkout(actor=purchaser, plan_id=drafted.pk)
    assert exc.value.code == "plan_not_in_force"


def test_funding_line_must_be_the_plans(purchaser: Any, plan: Any, lines: Any, paper: Any) -> None:
    cart.cart_add(actor=purchaser, listing_id=paper.pk, quantity=1)
    with pytest.raises(ValidationFailed) as exc:
        services.order_checkout(actor=purchaser, plan_id=plan.pk, funding={paper.supplier_id: lines["small"]})
    assert exc.value.code == "line_not_in_plan"
    orders = services.order_checkout(actor=purchaser, plan_id=plan.pk, funding={paper.supplier_id: lines["big"]})
    assert orders[0].line_id == lines["big"]


def test_cart_is_per_user_and_roles(purchaser: Any, supplier1: Any, regulator: Any, paper: Any) -> None:
    line = cart.cart_add(actor=purchaser, listing_id=paper.pk, quantity=1)
    for actor in (supplier1, regulator):
        with pytest.raises(NotFound):
            cart.cart_add(actor=actor, listing_id=paper.pk, quantity=1)
        with pytest.raises(NotFound):
            cart.cart_remove(actor=actor, line_id=line.pk)
        with pytest.raises(NotFound):
            services.order_checkout(actor=actor, plan_id=1)
    for bad in ("0", "-1", "1.5", "abc", ""):
        with pytest.raises(ValidationFailed):
            cart.cart_add(actor=purchaser, listing_id=paper.pk, quantity=bad)
    cart.cart_remove(actor=purchaser, line_id=line.pk)
    assert cart.cart_count(actor=purchaser) == 0


def test_empty_cart_refused(purchaser: Any, plan: Any) -> None:
    with pytest.raises(ValidationFailed):
        services.order_checkout(actor=purchaser, plan_id=plan.pk)
    assert ProcurementPlan.objects.get(pk=plan.pk).status == PlanStatus.FILED
