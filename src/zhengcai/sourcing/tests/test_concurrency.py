"""Real parallel connections on PostgreSQL: the row lock on the auction serialises bids, so
two suppliers can never both beat the same best price."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from zhengcai.accounts.tests.factories import make_actor
from zhengcai.budgets.tests.test_concurrency import run_parallel
from zhengcai.core.errors import ValidationFailed
from zhengcai.core.roles import OrgType
from zhengcai.sourcing import responses
from zhengcai.sourcing.models import Bid
from zhengcai.sourcing.tests.conftest import publish
from zhengcai.suppliers.tests.factories import SupplierProfileFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real parallel connections (PostgreSQL)"),
    pytest.mark.django_db(transaction=True),
]

N = 8


@pytest.fixture
def bidders(regions: Any) -> list[Any]:
    out = []
    for _i in range(N):
        profile = SupplierProfileFactory(organisation__region=regions["330802"])
        out.append(make_actor(OrgType.SUPPLIER, organisation=profile.organisation))
    return out


def _chain_holds(event: Any) -> None:
    """In the order they landed, every bid beat the one before by at least the step."""
    amounts = list(Bid.objects.filter(event=event).order_by("placed_at", "pk").values_list("amount", flat=True))
    for before, after in itertools.pairwise(amounts):
        assert after <= before - event.step_amount


def test_parallel_bids_against_one_best_only_one_lands(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, bidders: list[Any]
) -> None:
    event = publish(purchaser, plan, category, kind="auction", ceiling="200000")  # step 1,000.00
    responses.bid_place(actor=bidders[0], event_id=event.pk, amount="199000")
    # Every bid beats 199,000 by the step, but they are all within 1,000 of one another:
    # whichever takes the lock first lands, and each of the others is refused.
    results, errors = run_parallel(
        N,
        lambda i: responses.bid_place(actor=bidders[i], event_id=event.pk, amount=Decimal("198000") - Decimal(100 * i)),
    )
    assert len(results) == 1, errors[:3]
    assert len(errors) == N - 1
    assert all(isinstance(e, ValidationFailed) for e in errors), errors[:3]
    assert Bid.objects.filter(event=event).count() == 2
    _chain_holds(event)


def test_parallel_bids_with_room_keep_the_chain(
    *, frozen_clock: Any, purchaser: Any, plan: Any, category: Any, bidders: list[Any]
) -> None:
    event = publish(purchaser, plan, category, kind="auction", ceiling="200000")
    frozen_clock.advance(dt.timedelta(minutes=1))
    results, errors = run_parallel(
        N,
        lambda i: responses.bid_place(
            actor=bidders[i], event_id=event.pk, amount=Decimal("199000") - Decimal(1000 * i)
        ),
    )
    assert all(isinstance(e, ValidationFailed) for e in errors), errors[:3]
    assert len(results) + len(errors) == N
    assert Bid.objects.filter(event=event).count() == len(results) >= 1
    _chain_holds(event)
