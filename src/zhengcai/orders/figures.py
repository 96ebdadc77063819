"""E-mall figures: orders, amounts, savings against reference prices, SME share, per region,
unit and supplier; the median time from plan filing to order acceptance per region.

Every figure is over the orders the actor sees (regulator: its region subtree; purchaser:
its unit; supplier: its own sales) that were not declined or cancelled. The amount of an
accepted order is what was accepted; savings are sum((reference price - unit price) ×
quantity), with the accepted quantity once accepted.
"""

from __future__ import annotations

import io
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from openpyxl import Workbook

from zhengcai.core.actor import Actor
from zhengcai.core.money import ZERO, cny
from zhengcai.orders.models import Order, OrderLine
from zhengcai.orders.selectors import orders_visible
from zhengcai.orders.states import ENDED_UNSOLD, OrderStatus
from zhengcai.rules.selectors import regions_all

FORMULA_PREFIXES = ("=", "+", "-", "@")
MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=20, decimal_places=2)


@dataclass
class Row:
    key: Any
    label: str
    orders: int = 0
    amount: Decimal = ZERO
    savings: Decimal = ZERO
    sme_amount: Decimal = ZERO

    @property
    def sme_share(self) -> float | None:
        return float(self.sme_amount / self.amount) if self.amount else None

    @property
    def savings_rate(self) -> float | None:
        base = self.amount + self.savings
        return float(self.savings / base) if base else None


@dataclass
class Report:
    total: Row
    by_region: list[Row] = field(default_factory=list)
    by_unit: list[Row] = field(default_factory=list)
    by_supplier: list[Row] = field(default_factory=list)
    by_status: dict[str, int] = field(default_factory=dict)


def counted_orders(*, actor: Actor) -> QuerySet[Order]:
    return orders_visible(actor=actor).exclude(status__in=ENDED_UNSOLD)


def _line_figures(orders: QuerySet[Order]) -> dict[int, tuple[Decimal, Decimal]]:
    """{order id: (amount, savings)} from the lines, accepted quantities where accepted."""
    qty = Coalesce("accepted_quantity", "quantity")
    rows = (
        OrderLine.objects.filter(order__in=orders.values("pk"))
        .values("order_id")
        .annotate(
            amount=Sum(ExpressionWrapper(F("unit_price") * qty, output_field=MONEY)),
            savings=Sum(
                ExpressionWrapper(
                    (Coalesce("reference_price", "unit_price") - F("unit_price")) * qty, output_field=MONEY
                )
            ),
        )
    )
    return {r["order_id"]: (cny(r["amount"] or ZERO), cny(r["savings"] or ZERO)) for r in rows}


def order_figures(*, actor: Actor) -> Report:
    orders = counted_orders(actor=actor)
    per_order = _line_figures(orders)
    names = dict(regions_all().values_list("code", "name"))
    total = Row(key="", label=_("All"))
    groups: dict[str, dict[Any, Row]] = {"region": {}, "unit": {}, "supplier": {}}
    for order in orders.values(
        "pk", "region_code", "buyer_id", "buyer__name", "supplier_id", "supplier_name", "supplier_is_sme"
    ):
        amount, savings = per_order.get(order["pk"], (ZERO, ZERO))
        keys = {
            "region": (order["region_code"], names.get(order["region_code"], order["region_code"])),
            "unit": (order["buyer_id"], order["buyer__name"]),
            "supplier": (order["supplier_id"], order["supplier_name"]),
        }
        rows = [total] + [groups[g].setdefault(key, Row(key=key, label=label)) for g, (key, label) in keys.items()]
        for row in rows:
            row.orders += 1
            row.amount += amount
            row.savings += savings
            if order["supplier_is_sme"]:
                row.sme_amount += amount
    by_status: dict[str, int] = {}
    for status in orders_visible(actor=actor).values_list("status", flat=True):
        by_status[status] = by_status.get(status, 0) + 1

    def ordered(rows: Iterable[Row]) -> list[Row]:
        return sorted(rows, key=lambda r: (-r.amount, str(r.label)))

    return Report(
        total=total,
        by_region=ordered(groups["region"].values()),
        by_unit=ordered(groups["unit"].values()),
        by_supplier=ordered(groups["supplier"].values()),
        by_status=by_status,
    )


@dataclass(frozen=True)
class Median:
    region_code: str
    region: str
    orders: int
    hours: float

    @property
    def days(self) -> float:
        return self.hours / 24


def plan_to_acceptance_medians(*, actor: Actor) -> list[Median]:
    """Median hours from the plan's filing to the order's acceptance, per region (of the
    budget unit), over the accepted orders the actor sees."""
    rows = (
        orders_visible(actor=actor)
        .filter(status=OrderStatus.ACCEPTED, accepted_at__isnull=False, plan__filed_at__isnull=False)
        .values_list("region_code", "plan__filed_at", "accepted_at")
    )
    spans: dict[str, list[float]] = {}
    for code, filed, accepted in rows:
        if filed is None or accepted is None:
            continue
        spans.setdefault(code, []).append(max((accepted - filed).total_seconds(), 0) / 3600)
    names = dict(regions_all().filter(code__in=list(spans)).values_list("code", "name"))
    return [
        Median(region_code=code, region=names.get(code, code), orders=len(v), hours=round(statistics.median(v), 1))
        for code, v in sorted(spans.items())
    ]


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def figures_xlsx(*, actor: Actor) -> bytes:
    report = order_figures(actor=actor)
    book = Workbook(write_only=True)
    headers = [
        _("Name"),
        _("Orders"),
        _("Amount"),
        _("Savings against reference prices"),
        _("SME amount"),
        _("SME share"),
    ]
    for title, rows in (
        (_("Total"), [report.total]),
        (_("By region"), report.by_region),
        (_("By unit"), report.by_unit),
        (_("By supplier"), report.by_supplier),
    ):
        sheet = book.create_sheet(title[:31])
        sheet.append(headers)
        for row in rows:
            share = round(row.sme_share, 4) if row.sme_share is not None else None
            sheet.append([_safe(str(row.label)), row.orders, row.amount, row.savings, row.sme_amount, share])
    sheet = book.create_sheet(_("Plan to acceptance")[:31])
    sheet.append([_("Region"), _("Accepted orders"), _("Median hours from plan filing to acceptance")])
    for median in plan_to_acceptance_medians(actor=actor):
        sheet.append([_safe(median.region), median.orders, median.hours])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


__all__ = ["Median", "Report", "Row", "figures_xlsx", "order_figures", "plan_to_acceptance_medians"]
