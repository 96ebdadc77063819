from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zhengcai.budgets.errors import InsufficientBudget
from zhengcai.budgets.models import Commitment
from zhengcai.core.errors import ValidationFailed
from zhengcai.orders import services
from zhengcai.orders.models import Order
from zhengcai.orders.states import OrderStatus
from zhengcai.orders.types import AwardedItem

pytestmark = pytest.mark.django_db


def test_awarded_order_commits_the_plan(purchaser: Any, plan: Any, lines: Any, sup2: Any, pc: Any) -> None:
    order = services.order_place_awarded(
        actor=purchaser,
        plan_id=plan.pk,
        line_id=lines["big"],
        supplier_org_id=sup2.organisation_id,
        items=[AwardedItem("联想台式计算机 M720", 2, Decimal("4500.00"), listing_id=pc.pk)],
        source="reverse_auction",
        source_ref="auction:7",
    )
    assert order.status == OrderStatus.PLACED
    assert order.total_amount == Decimal("9000.00")
    assert order.reference_amount == Decimal("10400.00")
    assert order.supplier_size == "large"
    assert not order.supplier_is_sme
    commitment = Commitment.objects.get(pk=order.commitment_id)
    assert commitment.commitment_ref == f"order:{order.number}"
    assert commitment.amount == Decimal("9000.00")
    pc.refresh_from_db()
    assert pc.stock == 3
    line = order.lines.get()
    assert line.brand == "联想"
    assert line.reference_price == Decimal("5200.00")


def test_awarded_beyond_the_plan_is_refused_and_nothing_changes(
    purchaser: Any, plan: Any, lines: Any, sup2: Any
) -> None:
    with pytest.raises(InsufficientBudget):
        services.order_place_awarded(
            actor=purchaser,
            plan_id=plan.pk,
            line_id=lines["big"],
            supplier_org_id=sup2.organisation_id,
            items=[AwardedItem("服务器", 1, Decimal("60000.00"))],
            source="inquiry",
            source_ref="inquiry:1",
        )
    assert not Order.objects.exists()
    assert not Commitment.objects.exists()


def test_awarded_bad_source_refused(purchaser: Any, plan: Any, lines: Any, sup2: Any) -> None:
    with pytest.raises(ValidationFailed):
        services.order_place_awarded(
            actor=purchaser,
            plan_id=plan.pk,
            line_id=lines["big"],
            supplier_org_id=sup2.organisation_id,
            items=[AwardedItem("x", 1, Decimal("1.00"))],
            source="direct",
            source_ref="",
        )
