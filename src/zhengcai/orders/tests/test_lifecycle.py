from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from zhengcai.audit.models import AuditEvent
from zhengcai.budgets import selectors as budget_selectors
from zhengcai.budgets.ledger import ledger_verify
from zhengcai.budgets.models import BudgetLine, Commitment, EntryKind, LedgerEntry
from zhengcai.budgets.selectors import committed_for_ref, reservations_for_ref
from zhengcai.budgets.services import reservation_outstanding
from zhengcai.budgets.states import CommitmentStatus
from zhengcai.core.errors import Conflict, DeadlinePassed, InvalidTransition, NotFound, ValidationFailed
from zhengcai.orders import cart, services
from zhengcai.orders.models import Order
from zhengcai.orders.states import OrderStatus
from zhengcai.orders.tasks import order_confirm_sweep
from zhengcai.plans import execution
from zhengcai.plans.models import ProcurementPlan
from zhengcai.suppliers.models import SupplierProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(purchaser: Any, plan: Any, paper: Any) -> Order:
    cart.cart_add(actor=purchaser, listing_id=paper.pk, quantity=10)
    return services.order_checkout(actor=purchaser, plan_id=plan.pk)[0]


def _shipped(order: Order, supplier: Any) -> Order:
    services.order_confirm(actor=supplier, order_id=order.pk)
    return services.order_ship(actor=supplier, order_id=order.pk, carrier="顺丰", tracking_number="SF123")


def test_full_journey_to_payment_request(order: Order, purchaser: Any, supplier1: Any, paper: Any, plan: Any) -> None:
    with pytest.raises(Conflict):
        services.order_payment_request_create(actor=purchaser, order_id=order.pk)
    _shipped(order, supplier1)
    with pytest.raises(Conflict):
        services.order_payment_request_create(actor=purchaser, order_id=order.pk)
    order = services.order_accept(actor=purchaser, order_id=order.pk)
    assert order.status == OrderStatus.ACCEPTED
    assert order.accepted_amount == Decimal("250.00")
    commitment = Commitment.objects.get(pk=order.commitment_id)
    assert commitment.status == CommitmentStatus.ACCEPTED
    assert commitment.accepted_amount == Decimal("250.00")
    paper.refresh_from_db()
    assert (paper.stock, paper.sales_count) == (90, 10)
    payment = services.order_payment_request_create(actor=purchaser, order_id=order.pk)
    assert payment.amount == Decimal("250.00")
    with pytest.raises(Conflict):
        services.order_payment_request_create(actor=purchaser, order_id=order.pk)
    assert list(order.events.values_list("action", flat=True)) == [
        "place",
        "confirm",
        "ship",
        "accept",
        "payment_request",
    ]


def _plan_figures(plan: Any) -> tuple[Decimal, Decimal]:
    plan = ProcurementPlan.objects.get(pk=plan.pk)
    return plan.committed_amount, plan.released_amount


def _consistent(plan: Any) -> None:
    """The plan's cache agrees with the ledger, every line verifies, and reserved money is
    accounted for: outstanding reservations + committed + released = what the plan reserved."""
    plan = ProcurementPlan.objects.get(pk=plan.pk)
    assert plan.committed_amount == committed_for_ref(plan.ref)
    held = sum((amount for _line, amount in reservations_for_ref(plan.ref)), Decimal("0"))
    assert held + plan.committed_amount + plan.released_amount == plan.total_amount
    assert all(ledger_verify(line).ok for line in BudgetLine.objects.all())


def test_partial_acceptance_reduces_the_commitment_in_one_step(  # noqa: PLR0917
    order: Order, purchaser: Any, supplier1: Any, paper: Any, plan: Any, lines: Any
) -> None:
    _shipped(order, supplier1)
    line = order.lines.get()
    before = BudgetLine.objects.get(pk=lines["big"])
    commitment_id = order.commitment_id
    assert _plan_figures(plan) == (Decimal("250.00"), Decimal("0.00"))
    mark = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    order = services.order_accept(actor=purchaser, order_id=order.pk, quantities={line.pk: 6})
    assert order.accepted_amount == Decimal("150.00")
    line.refresh_from_db()
    assert line.accepted_quantity == 6
    assert order.commitment_id == commitment_id  # the same commitment, lowered, not a new one
    commitment = Commitment.objects.get(pk=order.commitment_id)
    assert (commitment.amount, commitment.accepted_amount, commitment.status) == (
        Decimal("150.00"),
        Decimal("150.00"),
        CommitmentStatus.ACCEPTED,
    )
    after = BudgetLine.objects.get(pk=lines["big"])
    assert after.committed == before.committed - Decimal("100.00")
    assert after.reserved == before.reserved
    assert after.available == before.available + Decimal("100.00")
    # The ledger: one reduce entry carrying the savings reason; nothing cancelled or re-committed.
    entries = list(LedgerEntry.objects.filter(commitment_id=commitment_id).values_list("kind", "amount", "reason"))
    assert entries == [(EntryKind.COMMIT, Decimal("250.00"), ""), (EntryKind.REDUCE, Decimal("100.00"), "savings")]
    assert not LedgerEntry.objects.filter(kind__in=[EntryKind.UNCOMMIT, EntryKind.RETURN]).exists()
    # The audit trail of the acceptance: one clean reduction.
    actions = list(AuditEvent.objects.filter(pk__gt=mark).order_by("pk").values_list("action", flat=True))
    money = [a for a in actions if a.startswith(("budgets.", "plans."))]
    assert money == ["budgets.commitment.reduce", "plans.plan.reduce", "budgets.commitment.accept"]
    reduce = AuditEvent.objects.get(action="budgets.commitment.reduce")
    assert (reduce.data["amount_before"], reduce.data["amount"], reduce.data["released"]) == (
        "250.00",
        "150.00",
        "100.00",
    )
    assert reduce.data["reason"] == "savings"
    assert "orders.order.accept" in actions
    # The plan's figures: committed lowered, the difference released (savings).
    assert _plan_figures(plan) == (Decimal("150.00"), Decimal("100.00"))
    _consistent(plan)
    figures, _rows = budget_selectors.budget_figures(actor=purchaser)
    assert figures.savings == Decimal("100.00")
    paper.refresh_from_db()
    assert (paper.stock, paper.sales_count) == (94, 6)
    payment = services.order_payment_request_create(actor=purchaser, order_id=order.pk)
    assert payment.amount == Decimal("150.00")


def test_full_acceptance_leaves_the_plan_figures(order: Order, purchaser: Any, supplier1: Any, plan: Any) -> None:
    _shipped(order, supplier1)
    services.order_accept(actor=purchaser, order_id=order.pk)
    assert _plan_figures(plan) == (Decimal("250.00"), Decimal("0.00"))
    assert not AuditEvent.objects.filter(action__in=["budgets.commitment.reduce", "plans.plan.reduce"]).exists()
    _consistent(plan)


def test_bad_acceptance_quantities_refused(order: Order, purchaser: Any, supplier1: Any) -> None:
    _shipped(order, supplier1)
    line = order.lines.get()
    for bad in ({line.pk: 11}, {line.pk: "x"}, {line.pk: 0}, {999: 1}, {line.pk: -1}):
        with pytest.raises(ValidationFailed):
            services.order_accept(actor=purchaser, order_id=order.pk, quantities=bad)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SHIPPED


def test_decline_releases_stock_and_budget(order: Order, supplier1: Any, paper: Any, plan: Any, lines: Any) -> None:
    with pytest.raises(ValidationFailed):
        services.order_decline(actor=supplier1, order_id=order.pk, reason="  ")
    assert _plan_figures(plan) == (Decimal("250.00"), Decimal("0.00"))
    order = services.order_decline(actor=supplier1, order_id=order.pk, reason="缺货")
    assert order.status == OrderStatus.DECLINED
    paper.refresh_from_db()
    assert paper.stock == 100
    assert Commitment.objects.get(pk=order.commitment_id).status == CommitmentStatus.CANCELLED
    # Back to the plan's reservation in one entry (the plan executes), not re-reserved.
    assert reservation_outstanding(lines["big"], plan.ref) == Decimal("50000.00")
    assert BudgetLine.objects.get(pk=lines["big"]).committed == 0
    assert list(LedgerEntry.objects.filter(commitment_id=order.commitment_id).values_list("kind", flat=True)) == [
        EntryKind.COMMIT,
        EntryKind.RETURN,
    ]
    assert LedgerEntry.objects.filter(ref=plan.ref, kind=EntryKind.RESERVE).count() == 1
    assert _plan_figures(plan) == (Decimal("0.00"), Decimal("0.00"))
    uncommit = AuditEvent.objects.get(action="plans.plan.uncommit")
    assert (uncommit.data["returned"], uncommit.data["to"]) == ("250.00", "reservation")
    assert AuditEvent.objects.get(action="budgets.commitment.cancel").data["to"] == "reservation"
    assert AuditEvent.objects.filter(action="budgets.line.reserve").count() == 1  # the filing's only
    _consistent(plan)


def test_cancel_after_the_plan_completed_goes_back_to_the_line(
    order: Order, purchaser: Any, plan: Any, lines: Any
) -> None:
    execution.plan_complete(actor=purchaser, plan_id=plan.pk)
    assert _plan_figures(plan) == (Decimal("250.00"), Decimal("49750.00"))
    services.order_cancel(actor=purchaser, order_id=order.pk)
    assert reservations_for_ref(plan.ref) == []
    line = BudgetLine.objects.get(pk=lines["big"])
    assert (line.reserved, line.committed) == (Decimal("0.00"), Decimal("0.00"))
    assert _plan_figures(plan) == (Decimal("0.00"), Decimal("50000.00"))
    assert AuditEvent.objects.get(action="plans.plan.uncommit").data["to"] == "available"
    _consistent(plan)


def test_purchaser_cancels_before_confirmation_only(
    purchaser: Any, supplier1: Any, plan: Any, paper: Any, order: Order
) -> None:
    services.order_cancel(actor=purchaser, order_id=order.pk)
    paper.refresh_from_db()
    assert paper.stock == 100
    assert _plan_figures(plan) == (Decimal("0.00"), Decimal("0.00"))
    _consistent(plan)
    cart.cart_add(actor=purchaser, listing_id=paper.pk, quantity=1)
    second = services.order_checkout(actor=purchaser, plan_id=plan.pk)[0]
    services.order_confirm(actor=supplier1, order_id=second.pk)
    with pytest.raises(InvalidTransition):
        services.order_cancel(actor=purchaser, order_id=second.pk)


def test_sweeper_cancels_unconfirmed_orders(frozen_clock: Any, order: Order, paper: Any, purchaser: Any) -> None:
    assert order_confirm_sweep() == 0
    frozen_clock.advance(dt.timedelta(days=1))  # Tuesday: still within one working day
    assert order_confirm_sweep() == 0
    frozen_clock.advance(dt.timedelta(days=1))
    assert order_confirm_sweep() == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.cancel_reason
    paper.refresh_from_db()
    assert paper.stock == 100
    assert _plan_figures(order.plan) == (Decimal("0.00"), Decimal("0.00"))
    assert reservation_outstanding(order.line_id, order.plan.ref) == Decimal("50000.00")
    _consistent(order.plan)
    assert order_confirm_sweep() == 0


def test_confirm_after_the_deadline_refused(frozen_clock: Any, order: Order, supplier1: Any) -> None:
    frozen_clock.advance(dt.timedelta(days=2))
    with pytest.raises(DeadlinePassed):
        services.order_confirm(actor=supplier1, order_id=order.pk)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED


def test_reject_then_ship_again(order: Order, purchaser: Any, supplier1: Any) -> None:
    _shipped(order, supplier1)
    with pytest.raises(ValidationFailed):
        services.order_reject(actor=purchaser, order_id=order.pk, reason="")
    services.order_reject(actor=purchaser, order_id=order.pk, reason="包装破损")
    with pytest.raises(InvalidTransition):
        services.order_accept(actor=purchaser, order_id=order.pk)
    services.order_ship(actor=supplier1, order_id=order.pk, carrier="EMS", tracking_number="E2")
    order = services.order_accept(actor=purchaser, order_id=order.pk)
    assert order.deliveries.count() == 2
    assert order.status == OrderStatus.ACCEPTED


def test_rating_once_after_acceptance(order: Order, purchaser: Any, supplier1: Any, sup1: Any) -> None:
    with pytest.raises(Conflict):
        services.order_rate(actor=purchaser, order_id=order.pk, stars=5)
    _shipped(order, supplier1)
    services.order_accept(actor=purchaser, order_id=order.pk)
    for bad in (0, 6, "x", True):
        with pytest.raises(ValidationFailed):
            services.order_rate(actor=purchaser, order_id=order.pk, stars=bad)
    services.order_rate(actor=purchaser, order_id=order.pk, stars="4", comment="送货及时")
    with pytest.raises(Conflict):
        services.order_rate(actor=purchaser, order_id=order.pk, stars=5)
    profile = SupplierProfile.objects.get(pk=sup1.pk)
    assert (profile.rating_sum, profile.rating_count) == (4, 1)


def test_wrong_roles(  # noqa: PLR0917
    order: Order, purchaser: Any, other_unit_purchaser: Any, supplier1: Any, supplier2: Any, regulator: Any
) -> None:
    for actor in (other_unit_purchaser, supplier2):
        with pytest.raises(NotFound):
            services.order_confirm(actor=actor, order_id=order.pk)
        with pytest.raises(NotFound):
            services.order_cancel(actor=actor, order_id=order.pk)
    # The other party's step reads as not found too (QA4 #17).
    with pytest.raises(NotFound):
        services.order_confirm(actor=purchaser, order_id=order.pk)
    with pytest.raises(NotFound):
        services.order_cancel(actor=supplier1, order_id=order.pk)
    with pytest.raises(NotFound):
        services.order_confirm(actor=regulator, order_id=order.pk)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED
