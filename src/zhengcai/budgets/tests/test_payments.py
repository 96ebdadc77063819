"""Integrated payment: request, submit, approve by another person, record with a voucher."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhengcai.budgets import payments, selectors, services
from zhengcai.budgets.errors import InsufficientBudget
from zhengcai.budgets.ledger import ledger_verify
from zhengcai.budgets.models import PaymentRequest
from zhengcai.budgets.tests.conftest import World, snapshot
from zhengcai.budgets.tests.helpers import accepted_commitment
from zhengcai.core.errors import Conflict, InvalidTransition, NotFound, NotPermitted, ValidationFailed

D = Decimal


def test_full_payment_flow(world: World) -> None:
    c = accepted_commitment(world, "1000.00")
    p = payments.payment_request_create(actor=world.clerk, commitment_id=c.pk, amount=D("600"))
    assert p.due_on == dt.date(2026, 3, 23)  # 30 days end on Sunday 22nd: rolls to Monday
    payments.payment_request_submit(actor=world.clerk, payment_id=p.pk)
    with pytest.raises(NotPermitted):
        payments.payment_request_approve(actor=world.clerk, payment_id=p.pk)  # not an administrator
    payments.payment_request_approve(actor=world.admin, payment_id=p.pk)
    payments.payment_request_record_paid(actor=world.admin, payment_id=p.pk, voucher_no="PZ-2026-0001")
    c.refresh_from_db()
    line = c.line
    line.refresh_from_db()
    assert (c.paid, c.status, line.committed, line.paid) == (D("600.00"), "accepted", D("400.00"), D("600.00"))
    p2 = payments.payment_request_create(actor=world.clerk, commitment_id=c.pk, amount=D("400"))
    payments.payment_request_submit(actor=world.clerk, payment_id=p2.pk)
    payments.payment_request_approve(actor=world.admin, payment_id=p2.pk)
    with pytest.raises(ValidationFailed):
        payments.payment_request_record_paid(actor=world.admin, payment_id=p2.pk, voucher_no="PZ-2026-0001")
    payments.payment_request_record_paid(actor=world.admin, payment_id=p2.pk, voucher_no="PZ-2026-0002")
    c.refresh_from_db()
    assert c.status == "paid"
    assert ledger_verify(line).ok


def test_requester_may_not_approve_own_request(world: World) -> None:
    c = accepted_commitment(world)
    p = payments.payment_request_create(actor=world.admin, commitment_id=c.pk, amount=D("10"))
    payments.payment_request_submit(actor=world.admin, payment_id=p.pk)
    with pytest.raises(NotPermitted):
        payments.payment_request_approve(actor=world.admin, payment_id=p.pk)


def test_payment_needs_acceptance_and_is_capped(world: World) -> None:
    line = world.make_line()
    services.budget_reserve(actor=world.admin, line_id=line.pk, amount=D("100"), ref="plan:1")
    c = services.budget_commit(
        actor=world.admin,
        line_id=line.pk,
        amount=D("100"),
        ref="plan:1",
        commitment_ref="contract:1",
        supplier_org_id=None,
        description="",
    )
    with pytest.raises(Conflict):
        payments.payment_request_create(actor=world.admin, commitment_id=c.pk, amount=D("10"))
    c2 = accepted_commitment(world, "1000.00", accepted="800.00")
    payments.payment_request_create(actor=world.clerk, commitment_id=c2.pk, amount=D("500"))
    with pytest.raises(InsufficientBudget):
        payments.payment_request_create(actor=world.clerk, commitment_id=c2.pk, amount=D("300.01"))
    for bad in (D("-1"), D("0"), "x"):
        with pytest.raises(ValidationFailed):
            payments.payment_request_create(actor=world.clerk, commitment_id=c2.pk, amount=bad)  # type: ignore[arg-type]
    assert PaymentRequest.objects.count() == 1


def test_rejected_amount_can_be_requested_again(world: World) -> None:
    c = accepted_commitment(world, "100.00")
    p = payments.payment_request_create(actor=world.clerk, commitment_id=c.pk, amount=D("100"))
    payments.payment_request_submit(actor=world.clerk, payment_id=p.pk)
    with pytest.raises(ValidationFailed):
        payments.payment_request_reject(actor=world.admin, payment_id=p.pk, reason="")
    payments.payment_request_reject(actor=world.admin, payment_id=p.pk, reason="发票有误")
    with pytest.raises(InvalidTransition):
        payments.payment_request_approve(actor=world.admin, payment_id=p.pk)
    payments.payment_request_create(actor=world.clerk, commitment_id=c.pk, amount=D("100"))


@pytest.mark.parametrize("who", ["other", "regulator", "regulator_token", "far_regulator", "operator", "supplier"])
def test_outsiders_cannot_touch_payments(world: World, who: str) -> None:
    c = accepted_commitment(world)
    p = payments.payment_request_create(actor=world.clerk, commitment_id=c.pk, amount=D("10"))
    payments.payment_request_submit(actor=world.clerk, payment_id=p.pk)
    before = snapshot(c.line)
    actor = getattr(world, who)
    with pytest.raises((NotFound, NotPermitted)):
        payments.payment_request_create(actor=actor, commitment_id=c.pk, amount=D("1"))
    with pytest.raises((NotFound, NotPermitted)):
        payments.payment_request_approve(actor=actor, payment_id=p.pk)
    with pytest.raises((NotFound, NotPermitted)):
        services.commitment_cancel(actor=actor, commitment_id=c.pk)
    assert snapshot(c.line) == before
    assert PaymentRequest.objects.get().status == "submitted"


def test_overdue_and_due_soon(world: World, frozen_clock) -> None:  # type: ignore[no-untyped-def]
    c = accepted_commitment(world)  # accepted 2026-02-20, due 2026-03-23
    assert [d.commitment for d in selectors.payments_due_soon(actor=world.admin)] == []
    frozen_clock.advance(dt.timedelta(days=16))  # 2026-03-18
    assert [d.commitment for d in selectors.payments_due_soon(actor=world.admin)] == [c]
    frozen_clock.advance(dt.timedelta(days=10))  # 2026-03-28
    overdue = selectors.payments_overdue(actor=world.regulator)
    assert [(d.commitment, d.days_overdue) for d in overdue] == [(c, 5)]
    assert selectors.payments_overdue(actor=world.far_regulator) == []
    assert selectors.payments_overdue(actor=world.other) == []


def test_cancel_refused_while_a_payment_is_in_progress(world: World) -> None:
    c = accepted_commitment(world)
    payments.payment_request_create(actor=world.clerk, commitment_id=c.pk, amount=D("10"))
    with pytest.raises(Conflict):
        services.commitment_cancel(actor=world.admin, commitment_id=c.pk)
