"""Real parallel connections on PostgreSQL: two buyers of the last unit, exactly one gets it."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from zhengcai.core.errors import DomainError
from zhengcai.listings import services
from zhengcai.listings.errors import OutOfStock
from zhengcai.listings.tests.factories import ListingFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real parallel connections (PostgreSQL)"),
    pytest.mark.django_db(transaction=True),
]


def test_two_buyers_of_the_last_unit(supplier_org: Any, categories: Any, purchaser: Any) -> None:
    listing = ListingFactory(supplier=supplier_org, category=categories["office-paper"], stock=1)
    barrier = threading.Barrier(2)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def buy() -> None:
        try:
            barrier.wait()
            taken = services.stock_take(actor=purchaser, listing_id=listing.pk, quantity=1)
            with lock:
                results.append(taken.stock)
        except DomainError as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buy) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [0]
    assert len(errors) == 1
    assert isinstance(errors[0], OutOfStock)
    listing.refresh_from_db()
    assert listing.stock == 0
