"""Real parallel connections on PostgreSQL: two purchasers, the last unit, one order."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from zhengcai.accounts.models import Organisation
from zhengcai.budgets.tests.test_concurrency import run_parallel
from zhengcai.listings.errors import OutOfStock
from zhengcai.orders import cart, services
from zhengcai.orders.models import Order
from zhengcai.plans.services import plan_file
from zhengcai.plans.tests.conftest import draft, make_line

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real parallel connections (PostgreSQL)"),
    pytest.mark.django_db(transaction=True),
]


def test_two_purchasers_buying_the_last_unit_only_one_succeeds(
    purchaser: Any, other_unit_purchaser: Any, regulator: Any, plan: Any, pc: Any
) -> None:
    other_unit = Organisation.objects.get(pk=other_unit_purchaser.organisation_id)
    other_line = make_line(regulator, other_unit, "100000.00", "L9")
    other_plan = plan_file(actor=other_unit_purchaser, plan_id=draft(other_unit_purchaser, other_line).pk)
    pc.stock = 1
    pc.save()
    buyers = [(purchaser, plan.pk), (other_unit_purchaser, other_plan.pk)]
    for actor, _plan in buyers:
        cart.cart_add(actor=actor, listing_id=pc.pk, quantity=1)

    results, errors = run_parallel(2, lambda i: services.order_checkout(actor=buyers[i][0], plan_id=buyers[i][1]))
    assert len(results) == 1
    assert len(errors) == 1
    assert isinstance(errors[0], OutOfStock), errors
    pc.refresh_from_db()
    assert pc.stock == 0
    assert Order.objects.count() == 1
