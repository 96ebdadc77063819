"""Figures: amounts, savings against reference prices, SME share, groups, medians, scope."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
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
    # The city regulator's view rolls up: its city row includes the district.
    assert [(r.label, r.depth, r.orders) for r in report.by_region] == [("衢州市", 0, 1), ("柯城区", 1, 1)]
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
    assert "·" in str(rows[0][0])  # the row that says what the workbook holds
    assert rows[2][1] == 1


def _accepted_order(purchaser: Any, plan: Any, listing: Any, supplier: Any, quantity: int) -> Any:
    cart.cart_add(actor=purchaser, listing_id=listing.pk, quantity=quantity)
    order = services.order_checkout(actor=purchaser, plan_id=plan.pk)[0]
    services.order_confirm(actor=supplier, order_id=order.pk)
    services.order_ship(actor=supplier, order_id=order.pk, carrier="顺丰", tracking_number="1")
    return services.order_accept(actor=purchaser, order_id=order.pk)


def test_regions_roll_up_for_the_province_and_the_year_filter(  # noqa: PLR0917
    frozen_clock: Any, purchaser: Any, plan: Any, paper: Any, supplier1: Any, regions: Any, lines: Any
) -> None:
    from zhengcai.accounts.tests.factories import OrganisationFactory, make_actor
    from zhengcai.core.roles import OrgType
    from zhengcai.plans.services import plan_file
    from zhengcai.plans.tests.conftest import draft, make_line

    city_unit = OrganisationFactory(org_type=OrgType.BUDGET_UNIT, region=regions["330800"], name="衢州市教育局")
    city_buyer = make_actor(OrgType.BUDGET_UNIT, organisation=city_unit)
    city_finance = OrganisationFactory(org_type=OrgType.REGULATOR, region=regions["330800"], name="财政局")
    line = make_line(make_actor(OrgType.REGULATOR, organisation=city_finance), city_unit, "100000.00", "C1")
    city_plan = plan_file(actor=city_buyer, plan_id=draft(city_buyer, line).pk)
    _accepted_order(purchaser, plan, paper, supplier1, 2)  # 柯城区
    frozen_clock.advance(dt.timedelta(hours=3))
    later = _accepted_order(city_buyer, city_plan, paper, supplier1, 4)  # 衢州市 itself
    # Placed at 2027-01-01 00:30 in Shanghai (still 2026 in UTC): counts for 2027.
    type(later).objects.filter(pk=later.pk).update(placed_at=dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC))

    province = OrganisationFactory(org_type=OrgType.REGULATOR, region=regions["330000"], name="浙江省财政厅")
    regulator = make_actor(OrgType.REGULATOR, organisation=province)
    report = figures.order_figures(actor=regulator)
    assert [(r.key, r.depth, r.orders, r.amount) for r in report.by_region] == [
        ("330000", 0, 2, Decimal("150.00")),
        ("330800", 1, 2, Decimal("150.00")),
        ("330802", 2, 1, Decimal("50.00")),
    ]
    medians = figures.plan_to_acceptance_medians(actor=regulator)
    assert [(m.region_code, m.orders, m.depth) for m in medians] == [
        ("330000", 2, 0),
        ("330800", 2, 1),
        ("330802", 1, 2),
    ]
    assert figures.figure_years(actor=regulator) == [2027, 2026]
    only_2026 = figures.order_figures(actor=regulator, year=2026)
    assert only_2026.total.orders == 1
    assert [r.key for r in only_2026.by_region] == ["330000", "330800", "330802"]
    assert [m.orders for m in figures.plan_to_acceptance_medians(actor=regulator, year=2027)] == [1, 1]

    book = load_workbook(io.BytesIO(figures.figures_xlsx(actor=regulator, year=2026)))
    total = book.worksheets[0]
    assert "2026" in str(total["A1"].value)
    assert total["C3"].value == 50
    assert total["C3"].number_format == "#,##0.00"
    assert total["F3"].value == 1
    assert total["F3"].number_format == "0.0%"
    by_region = list(book.worksheets[1].iter_rows(min_row=3, values_only=True))
    assert [r[-1] for r in by_region] == ["330000", "330800", "330802"]


def test_figures_page_and_api_take_the_year_and_carry_codes(
    purchaser: Any, plan: Any, paper: Any, supplier1: Any
) -> None:
    from zhengcai.orders.tests.test_views import client_for

    _accepted_order(purchaser, plan, paper, supplier1, 1)
    client = client_for(purchaser)
    assert client.get("/mall/orders/figures/?year=2026").status_code == 200
    export = client.get(reverse("orders:figures_export") + "?year=2026")
    assert export.status_code == 200
    assert "2026" in export["Content-Disposition"]
    data = client.get("/api/v1/mall/orders/figures/?year=2026").json()
    assert data["year"] == 2026
    assert data["by_region"][0]["code"] == "330802"
    assert data["by_unit"][0]["code"] == str(plan.organisation_id)
    assert data["by_supplier"][0]["code"] == str(paper.supplier_id)
    assert client.get("/api/v1/mall/orders/figures/?year=2025").json()["total"]["orders"] == 0
    xlsx = client.get("/api/v1/mall/orders/figures/xlsx/?year=2026")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxml")
