"""Real parallel connections on PostgreSQL: ratings are never lost, a credit code registers once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from django.db import connection, connections

from zhengcai.core.actor import SYSTEM
from zhengcai.core.creditcode import make_code
from zhengcai.core.errors import ValidationFailed
from zhengcai.suppliers import services
from zhengcai.suppliers.models import SupplierProfile
from zhengcai.suppliers.tests.test_services import REG

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real parallel connections (PostgreSQL)"),
    pytest.mark.django_db(transaction=True),
]

N = 8


def run_parallel(n: int, call: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
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


def test_parallel_ratings_are_all_counted(profile: Any) -> None:
    _results, errors = run_parallel(
        N, lambda i: services.supplier_rating_add(actor=SYSTEM, organisation_id=profile.organisation_id, stars=4)
    )
    assert not errors
    profile.refresh_from_db()
    assert (profile.rating_count, profile.rating_sum) == (N, 4 * N)


def test_one_credit_code_registers_once(regions: Any) -> None:
    code = make_code("91", "330802", "MA2TX0009")
    results, errors = run_parallel(
        N, lambda i: services.supplier_register(data=replace(REG, credit_code=code, username=f"race{i}"))
    )
    assert len(results) == 1
    assert all(isinstance(e, ValidationFailed) for e in errors), errors[:3]
    assert SupplierProfile.objects.filter(organisation__credit_code=code).count() == 1
