"""Real parallel connections on PostgreSQL: the row lock keeps the ledger from overspending."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections

from zhengcai.budgets import payments, services
from zhengcai.budgets.errors import InsufficientBudget
from zhengcai.budgets.ledger import ledger_verify
from zhengcai.budgets.models import PaymentRequest
from zhengcai.budgets.tests.conftest import World
from zhengcai.budgets.tests.helpers import accepted_commitment
from zhengcai.core.errors import DomainError

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real parallel connections (PostgreSQL)"),
    pytest.mark.django_db(transaction=True),
]

D = Decimal
N = 50


def run_parallel(n: int, call: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run ``call(i)`` in ``n`` threads released together; each thread closes its own connection."""
    barrier = threading.Barrier(n)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        try:
            barrier.wait()
            result = call(i)
            with lock:
                results.append(result)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted by the test
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_fifty_parallel_reservations_never_overspend(world: World) -> None:
    line = world.make_line("10000.00")
    each = D("730.00")  # covers floor(10000 / 730) = 13 of them
    results, errors = run_parallel(
        N, lambda i: services.budget_reserve(actor=world.admin, line_id=line.pk, amount=each, ref=f"plan:{i}")
    )
    assert len(results) == 13
    assert len(errors) == N - 13
    assert all(isinstance(e, InsufficientBudget) for e in errors), errors[:3]
    line.refresh_from_db()
    assert line.reserved == each * 13 <= line.allocated
    assert line.available == D("10000.00") - each * 13
    assert ledger_verify(line).ok


def test_parallel_payment_requests_never_exceed_the_acceptance(world: World) -> None:
    c = accepted_commitment(world, "1000.00")
    results, errors = run_parallel(
        N, lambda i: payments.payment_request_create(actor=world.clerk, commitment_id=c.pk, amount=D("70"))
    )
    assert len(results) == 14  # floor(1000 / 70)
    assert all(isinstance(e, InsufficientBudget) for e in errors), errors[:3]
    assert sum(p.amount for p in PaymentRequest.objects.all()) == D("980.00")


def test_parallel_record_paid_never_overpays(world: World) -> None:
    c = accepted_commitment(world, "1000.00")
    ids = []
    for _ in range(3):
        p = payments.payment_request_create(actor=world.clerk, commitment_id=c.pk, amount=D("300"))
        payments.payment_request_submit(actor=world.clerk, payment_id=p.pk)
        payments.payment_request_approve(actor=world.admin, payment_id=p.pk)
        ids.append(p.pk)
    # The same approved request recorded from many connections at once: paid exactly once.
    results, errors = run_parallel(
        20,
        lambda i: payments.payment_request_record_paid(actor=world.admin, payment_id=ids[i % 3], voucher_no=f"PZ-{i}"),
    )
    assert len(results) == 3
    assert all(isinstance(e, DomainError) for e in errors)
    c.refresh_from_db()
    line = c.line
    line.refresh_from_db()
    assert c.paid == D("900.00") == line.paid
    assert ledger_verify(line).ok


def test_ledger_trigger_refuses_update_and_delete(world: World) -> None:
    line = world.make_line()
    entry = line.entries.get()
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE budgets_ledgerentry SET amount = 1 WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM budgets_ledgerentry WHERE id = %s", [entry.pk])


def test_parallel_reductions_and_cancellations_keep_the_commitment_consistent(world: World) -> None:
    line = world.make_line("100000.00")
    services.budget_reserve(actor=world.admin, line_id=line.pk, amount=D("1000"), ref="plan:1")
    c = services.budget_commit(
        actor=world.admin,
        line_id=line.pk,
        amount=D("1000"),
        ref="plan:1",
        commitment_ref="contract:1",
        supplier_org_id=None,
        description="",
    )

    def call(i: int) -> Any:
        if i % 5 == 4:
            return services.commitment_cancel(actor=world.admin, commitment_id=c.pk, to_reservation=True)
        return services.commitment_reduce(actor=world.admin, commitment_id=c.pk, amount=D(1000 - 10 * (i + 1)))

    _results, errors = run_parallel(20, call)
    assert all(isinstance(e, DomainError) for e in errors), errors[:3]
    c.refresh_from_db()
    line.refresh_from_db()
    assert ledger_verify(line).ok
    reduced = sum(e.amount for e in c.entries.filter(kind="reduce"))
    assert c.amount == D("1000.00") - reduced
    if c.status == "cancelled":
        assert line.committed == 0
        assert services.reservation_outstanding(line.pk, "plan:1") == c.amount
    else:
        assert line.committed == c.amount
