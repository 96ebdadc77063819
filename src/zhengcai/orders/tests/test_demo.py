"""The orders demo: orders in every state for the demo purchasers, idempotent."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import F

from zhengcai.accounts.models import Organisation
from zhengcai.budgets.ledger import ledger_verify
from zhengcai.budgets.models import BudgetLine
from zhengcai.core.actor import SYSTEM
from zhengcai.listings.models import Listing
from zhengcai.listings.tests.factories import ListingFactory
from zhengcai.orders.demo import SUPPLIERS
from zhengcai.orders.demo import seed_demo as orders_seed_demo
from zhengcai.orders.models import Order
from zhengcai.orders.states import OrderStatus

pytestmark = pytest.mark.django_db


def test_demo_orders_in_every_state() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    # Independent of the listings demo: give each demo supplier a few listings if it has none.
    for name in SUPPLIERS.values():
        org = Organisation.objects.get(name=name)
        if not Listing.objects.filter(supplier=org).exists():
            for n in range(3):
                ListingFactory(supplier=org, price=Decimal(20 + n), reference_price=Decimal(25 + n), stock=500)
    orders_seed_demo(actor=SYSTEM)
    statuses = set(Order.objects.values_list("status", flat=True))
    assert statuses >= {
        OrderStatus.PLACED,
        OrderStatus.CONFIRMED,
        OrderStatus.SHIPPED,
        OrderStatus.ACCEPTED,
        OrderStatus.DECLINED,
        OrderStatus.CANCELLED,
    }
    accepted = Order.objects.filter(status=OrderStatus.ACCEPTED)
    assert all(o.payment_request_id for o in accepted)
    assert accepted.filter(accepted_amount__lt=F("total_amount")).exists()  # one partial acceptance
    count = Order.objects.count()
    assert orders_seed_demo(actor=SYSTEM) == 0
    call_command("seed_demo", stdout=io.StringIO())
    assert Order.objects.count() == count
    assert all(ledger_verify(line).ok for line in BudgetLine.objects.all())
