"""Figures: amounts, savings against reference prices, SME share, groups, medians, scope."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from zhengcai.orders import cart, figures, services

pytestmark = pytest.mark.django_db


def test_figures_and_plan_to_acceptance_median(  # noqa: PLR0917
    frozen_clock: Any,
    purchaser: Any,
    plan: Any,
    paper: Any,
    pc: Any,
    supplier1: Any,
    supplier2: Any,
    regulator: Any,
    other_regulator: Any,
) -> None:
    cart.cart_add(actor=purchaser, listing_id=paper.pk, quantity=10)  # SME: 250.00, reference 299.00
    cart.cart_add(actor=purchaser, listing_id=pc.pk, quantity=1)  # large: 4800.00, reference 5200.00
    orders = {o.supplier_id: o for o in services.order_checkout(actor=purchaser, plan_id=plan.pk)}
    frozen_clock.advance(dt.timedelta(hours=2))
    paper_order = orders[paper.supplier_id]
    services.order_confirm(actor=supplier1, order_id=paper_order.pk)
    services.order_ship(actor=supplier1, order_id=paper_order.pk, carrier="顺丰", tracking_number="1")
    frozen_clock.advance(dt.timedelta(hours=4))
    line = paper_order.lines.get()
    services.order_accept(actor=purchaser, order_id=paper_order.pk, quantities={line.pk: 8})  # 200.00 accepted
    services.order_decline(actor=supplier2, order_id=orders[pc.supplier_id].pk, reason="缺货")

    report = figures.order_figures(actor=regulator)
    assert report.total.orders == 1  # the declined order does not count
    assert report.total.amount == Decimal("200.00")
    assert report.total.savings == Decimal("39.20")  # (29.90 - 25.00) × 8
    assert report.total.sme_share == 1.0
    assert [r.label for r in report.by_region] == ["柯城区"]
    assert [r.label for r in report.by_unit] == ["衢州第一中学"]
    assert [r.label for r in report.by_supplier] == ["衢州办公用品有限公司"]
    assert report.by_status == {"accepted": 1, "declined": 1}

    medians = figures.plan_to_acceptance_medians(actor=purchaser)
    assert [(m.region_code, m.orders, m.hours) for m in medians] == [("330802", 1, 6.0)]
    assert figures.order_figures(actor=supplier2).total.orders == 0
    assert figures.order_figures(actor=other_regulator).total.orders == 0
    assert figures.plan_to_acceptance_medians(actor=other_regulator) == []

    book = load_workbook(io.BytesIO(figures.figures_xlsx(actor=regulator)))
    assert len(book.sheetnames) == 5
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][1] == 1
