"""Scenario helpers built with the real services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhengcai.budgets import services
from zhengcai.budgets.models import Commitment
from zhengcai.budgets.tests.conftest import World


def accepted_commitment(world: World, amount: str = "1000.00", accepted: str | None = None) -> Commitment:
    line = world.make_line("100000.00")
    services.budget_reserve(actor=world.admin, line_id=line.pk, amount=Decimal(amount), ref="plan:7")
    commitment = services.budget_commit(
        actor=world.admin,
        line_id=line.pk,
        amount=Decimal(amount),
        ref="plan:7",
        commitment_ref="contract:3",
        supplier_org_id=None,
        description="打印机",
    )
    return services.commitment_accept(
        actor=world.admin,
        commitment_id=commitment.pk,
        accepted_amount=Decimal(accepted or amount),
        accepted_on=dt.date(2026, 2, 20),
    )
