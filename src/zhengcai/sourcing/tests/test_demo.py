"""The sourcing demo: an open inquiry with two quotes, a closed one with three awaiting the
award, a running auction with bids; idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from zhengcai.budgets.ledger import ledger_verify
from zhengcai.budgets.models import BudgetLine
from zhengcai.core.actor import SYSTEM
from zhengcai.listings.models import Category
from zhengcai.listings.tests.factories import CategoryFactory
from zhengcai.sourcing.demo import CATEGORY
from zhengcai.sourcing.demo import seed_demo as sourcing_seed_demo
from zhengcai.sourcing.models import SourcingEvent
from zhengcai.sourcing.selectors import is_running
from zhengcai.sourcing.states import Status

pytestmark = pytest.mark.django_db


def test_demo_scenes_and_idempotence() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    if not Category.objects.filter(code=CATEGORY).exists():  # independent of the listings demo
        CategoryFactory(code=CATEGORY, name="台式计算机", parent=CategoryFactory(code="computers", name="计算机设备"))
    sourcing_seed_demo(actor=SYSTEM)
    events = {e.title: e for e in SourcingEvent.objects.all()}
    open_one = events["教研组办公电脑询价"]
    assert open_one.status == Status.OPEN
    assert open_one.quotes.count() == 2
    closed = events["机关办公电脑更新询价"]
    assert closed.status == Status.CLOSED
    assert closed.quotes.count() == 3
    auction = events["门诊办公电脑竞价"]
    assert is_running(auction)
    assert auction.bids.values("supplier").distinct().count() == 3
    assert sourcing_seed_demo(actor=SYSTEM) == 0
    call_command("seed_demo", stdout=io.StringIO())
    assert SourcingEvent.objects.count() == 3
    assert all(ledger_verify(line).ok for line in BudgetLine.objects.all())
