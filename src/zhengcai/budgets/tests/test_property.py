"""Any sequence of operations keeps ledger sums == cached balances, available >= 0, no
reservation negative and every commitment in agreement with its entries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhengcai.budgets import payments, services
from zhengcai.budgets.ledger import ledger_verify
from zhengcai.budgets.models import BudgetLine
from zhengcai.budgets.tests.conftest import World
from zhengcai.core.errors import DomainError

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("400"), places=2)
ops = st.lists(
    st.tuples(
        st.sampled_from(["reserve", "release", "commit", "accept", "cancel", "return", "reduce", "pay", "up", "down"]),
        st.integers(min_value=0, max_value=3),
        amounts,
    ),
    max_size=25,
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=ops)
def test_any_sequence_keeps_the_ledger_consistent(world: World, sequence: list[tuple[str, int, Decimal]]) -> None:
    line = world.make_line("1000.00")
    commitments: list[int] = []
    a = world.admin
    for op, i, amount in sequence:
        ref = f"plan:{i}"
        try:
            if op == "reserve":
                services.budget_reserve(actor=a, line_id=line.pk, amount=amount, ref=ref)
            elif op == "release":
                services.budget_release(actor=a, line_id=line.pk, amount=amount, ref=ref)
            elif op == "commit":
                c = services.budget_commit(
                    actor=a,
                    line_id=line.pk,
                    amount=amount,
                    ref=ref,
                    commitment_ref=f"contract:{i}",
                    supplier_org_id=None,
                    description="",
                )
                commitments.append(c.pk)
            elif op in ("up", "down"):
                services.budget_line_adjust(actor=a, line_id=line.pk, kind=op, amount=amount, reason="test")
            elif commitments:
                cid = commitments[i % len(commitments)]
                if op == "accept":
                    services.commitment_accept(
                        actor=a, commitment_id=cid, accepted_amount=amount, accepted_on=dt.date(2026, 3, 1)
                    )
                elif op == "cancel":
                    services.commitment_cancel(actor=a, commitment_id=cid)
                elif op == "return":
                    services.commitment_cancel(actor=a, commitment_id=cid, to_reservation=True)
                elif op == "reduce":
                    services.commitment_reduce(actor=a, commitment_id=cid, amount=amount)
                else:
                    p = payments.payment_request_create(actor=world.clerk, commitment_id=cid, amount=amount)
                    payments.payment_request_submit(actor=world.clerk, payment_id=p.pk)
                    payments.payment_request_approve(actor=a, payment_id=p.pk)
                    payments.payment_request_record_paid(actor=a, payment_id=p.pk, voucher_no=f"PZ-{p.pk}")
        except DomainError:
            pass  # refused operations must leave everything as it was, which the checks below confirm
        result = ledger_verify(line)
        assert result.ok, result.problems
        assert BudgetLine.objects.get(pk=line.pk).available >= 0
