"""E-mall figures: orders, amounts, savings against reference prices, SME share, per region,
unit and supplier; the median time from plan filing to order acceptance per region.

Every figure is over the orders the actor sees (regulator: its region subtree; purchaser:
its unit; supplier: its own sales) that were not declined or cancelled. The amount of an
accepted order is what was accepted; savings are sum((reference price - unit price) ×
quantity), with the accepted quantity once accepted.

Regions roll up: a region's row counts the orders of its whole subtree (a city includes its
districts), from the root of the actor's view (a regulator: its own region, so a province
regulator gets a province row; others: the nearest region common to all their orders) down
to the units' regions; the medians roll up the same way. ``year`` keeps the orders placed in
that calendar year (Asia/Shanghai).
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.calendar import PLATFORM_TZ
from zhengcai.core.errors import ValidationFailed
from zhengcai.core.money import ZERO, cny
from zhengcai.orders.models import Order, OrderLine
from zhengcai.orders.permissions import regulator_prefix
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
    depth: int = 0  # region rows: levels below the root of the rollup

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
    year: int | None = None


YEAR_MIN, YEAR_MAX = 2000, 2100


class YearOutOfRange(ValidationFailed):
    code = "year_out_of_range"
    status = 422


def year_message(value: Any) -> str:
    return _("“%(value)s” is not a year the figures can show: enter a year from %(min)s to %(max)s.") % {
        "value": str(value)[:20],
        "min": YEAR_MIN,
        "max": YEAR_MAX,
    }


def clean_year(value: Any) -> int | None:
    """A figures year: None (all years) when empty; YEAR_MIN..YEAR_MAX; ``YearOutOfRange`` otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    year = int(text) if text.isdigit() and len(text) == 4 else 0
    if not YEAR_MIN <= year <= YEAR_MAX:
        message = year_message(value)
        raise YearOutOfRange(message, fields={"year": [message]})
    return year


def in_year(orders: QuerySet[Order], year: int | None) -> QuerySet[Order]:
    """The orders placed in ``year`` (local calendar year); all of them without a year."""
    if year is None:
        return orders
    year = clean_year(year)
    assert year is not None
    start = dt.datetime(year, 1, 1, tzinfo=PLATFORM_TZ)
    return orders.filter(placed_at__gte=start, placed_at__lt=start.replace(year=year + 1))


def counted_orders(*, actor: Actor, year: int | None = None) -> QuerySet[Order]:
    return in_year(orders_visible(actor=actor), year).exclude(status__in=ENDED_UNSOLD)


def figure_years(*, actor: Actor) -> list[int]:
    """The years in which the actor's visible orders were placed, latest first (for the filter)."""
    years = {
        timezone.localtime(at, PLATFORM_TZ).year
        for at in orders_visible(actor=actor).values_list("placed_at", flat=True)
    }
    return sorted(years, reverse=True)


@dataclass(frozen=True)
class RegionTree:
    """Region codes -> (name, parent code), and the root of the actor's view."""

    names: dict[str, str]
    parents: dict[str, str | None]
    root: str | None

    def chain(self, code: str) -> list[str]:
        """``code`` and its ancestors up to the root (nearest first); just ``code`` if the
        root is not among its ancestors."""
        out = [code]
        node = code
        while node != self.root and self.parents.get(node):
            node = self.parents[node] or ""
            out.append(node)
        return out if self.root in out else [code]

    def path(self, code: str) -> list[str]:
        """From the root down to ``code`` (for sorting rows in tree order)."""
        return list(reversed(self.chain(code)))

    def depth(self, code: str) -> int:
        return len(self.chain(code)) - 1


def _ancestors(parents: dict[str, str | None], code: str) -> list[str]:
    out = [code]
    while parents.get(out[-1]):
        out.append(parents[out[-1]] or "")
    return out


def region_tree(*, actor: Actor, codes: Iterable[str]) -> RegionTree:
    """The rollup tree for the regions ``codes`` seen by ``actor``."""
    rows = list(regions_all().values_list("code", "name", "parent__code"))
    names = {code: name for code, name, _parent in rows}
    parents: dict[str, str | None] = {code: parent for code, _name, parent in rows}
    wanted = sorted(set(codes))
    root: str | None = None
    prefix = regulator_prefix(actor)
    if prefix is not None and actor.region_code in names:
        root = actor.region_code
    elif wanted:
        common = _ancestors(parents, wanted[0])
        for code in wanted[1:]:
            seen = set(_ancestors(parents, code))
            common = [c for c in common if c in seen]
        root = common[0] if common else None
    return RegionTree(names=names, parents=parents, root=root)


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


def order_figures(*, actor: Actor, year: int | None = None) -> Report:
    orders = counted_orders(actor=actor, year=year)
    per_order = _line_figures(orders)
    values = list(
        orders.values("pk", "region_code", "buyer_id", "buyer__name", "supplier_id", "supplier_name", "supplier_is_sme")
    )
    tree = region_tree(actor=actor, codes=[o["region_code"] for o in values])
    total = Row(key="", label=_("All"))
    groups: dict[str, dict[Any, Row]] = {"region": {}, "unit": {}, "supplier": {}}
    for order in values:
        amount, savings = per_order.get(order["pk"], (ZERO, ZERO))
        keyed = [("region", code, tree.names.get(code, code)) for code in tree.chain(order["region_code"])] + [
            ("unit", order["buyer_id"], order["buyer__name"]),
            ("supplier", order["supplier_id"], order["supplier_name"]),
        ]
        rows = [total] + [groups[g].setdefault(key, Row(key=key, label=label)) for g, key, label in keyed]
        for row in rows:
            row.orders += 1
            row.amount += amount
            row.savings += savings
            if order["supplier_is_sme"]:
                row.sme_amount += amount
    for row in groups["region"].values():
        row.depth = tree.depth(row.key)
    by_status: dict[str, int] = {}
    for status in in_year(orders_visible(actor=actor), year).values_list("status", flat=True):
        by_status[status] = by_status.get(status, 0) + 1

    def ordered(rows: Iterable[Row]) -> list[Row]:
        return sorted(rows, key=lambda r: (-r.amount, str(r.label)))

    return Report(
        total=total,
        by_region=sorted(groups["region"].values(), key=lambda r: tree.path(r.key)),
        by_unit=ordered(groups["unit"].values()),
        by_supplier=ordered(groups["supplier"].values()),
        by_status=by_status,
        year=year,
    )


@dataclass(frozen=True)
class Median:
    region_code: str
    region: str
    orders: int
    hours: float
    depth: int = 0

    @property
    def days(self) -> float:
        return self.hours / 24


def plan_to_acceptance_medians(*, actor: Actor, year: int | None = None) -> list[Median]:
    """Median hours from the plan's filing to the order's acceptance, per region of the
    budget unit, rolled up like the figures (a city's median is over its districts' orders
    too), over the accepted orders the actor sees (placed in ``year``, when given)."""
    rows = (
        in_year(orders_visible(actor=actor), year)
        .filter(status=OrderStatus.ACCEPTED, accepted_at__isnull=False, plan__filed_at__isnull=False)
        .values_list("region_code", "plan__filed_at", "accepted_at")
    )
    spans: dict[str, list[float]] = {}
    samples = [
        (code, max((accepted - filed).total_seconds(), 0) / 3600)
        for code, filed, accepted in rows
        if filed is not None and accepted is not None
    ]
    tree = region_tree(actor=actor, codes=[code for code, _hours in samples])
    for code, hours in samples:
        for region in tree.chain(code):
            spans.setdefault(region, []).append(hours)
    return [
        Median(
            region_code=code,
            region=tree.names.get(code, code),
            orders=len(spans[code]),
            hours=round(statistics.median(spans[code]), 1),
            depth=tree.depth(code),
        )
        for code in sorted(spans, key=tree.path)
    ]


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
HOURS_FORMAT = "0.0"


def _cell(sheet: Any, value: Any, number_format: str = "") -> Any:
    cell = WriteOnlyCell(sheet, value=_safe(value))
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def scope_label(actor: Actor) -> str:
    """Whose orders the figures cover: the regulator's region, else the actor's organisation."""
    prefix = regulator_prefix(actor)
    if prefix is not None:
        region = regions_all().filter(code=actor.region_code).first()
        return f"{region.name if region else actor.region_code} ({actor.region_code})"
    return actor.organisation_name or _("the whole platform")


def figures_xlsx(*, actor: Actor, year: int | None = None) -> bytes:
    """The figures as a workbook: one sheet per grouping, amounts with a number format,
    shares as percentages, and the code (region code, unit or supplier id) of each row."""
    report = order_figures(actor=actor, year=year)
    book = Workbook(write_only=True)
    # The first row of every sheet says what the workbook holds: year, scope and date.
    about = _("E-mall order figures · year: %(year)s · scope: %(scope)s · exported on %(date)s") % {
        "year": year if year else _("all years"),
        "scope": scope_label(actor),
        "date": clock.today().isoformat(),
    }
    headers = [
        _("Name"),
        pgettext("count", "Orders"),
        _("Amount"),
        _("Savings against reference prices"),
        _("SME amount"),
        _("SME share"),
        _("Code"),
    ]
    for title, rows in (
        (_("Total"), [report.total]),
        (_("By region"), report.by_region),
        (_("By unit"), report.by_unit),
        (_("By supplier"), report.by_supplier),
    ):
        sheet = book.create_sheet(title[:31])
        sheet.append([about])
        sheet.append(headers)
        for row in rows:
            label = ("  " * row.depth) + str(row.label)
            sheet.append(
                [
                    _cell(sheet, label),
                    _cell(sheet, row.orders),
                    _cell(sheet, row.amount, MONEY_FORMAT),
                    _cell(sheet, row.savings, MONEY_FORMAT),
                    _cell(sheet, row.sme_amount, MONEY_FORMAT),
                    _cell(sheet, round(row.sme_share, 4) if row.sme_share is not None else None, PERCENT_FORMAT),
                    _cell(sheet, str(row.key) if row.key not in ("", None) else None),
                ]
            )
    sheet = book.create_sheet(_("Plan to acceptance")[:31])
    sheet.append([about])
    sheet.append([_("Region"), _("Accepted orders"), _("Median hours from plan filing to acceptance"), _("Code")])
    for median in plan_to_acceptance_medians(actor=actor, year=year):
        sheet.append(
            [
                _cell(sheet, ("  " * median.depth) + median.region),
                _cell(sheet, median.orders),
                _cell(sheet, median.hours, HOURS_FORMAT),
                _cell(sheet, median.region_code),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


__all__ = ["Median", "Report", "Row", "figures_xlsx", "order_figures", "plan_to_acceptance_medians"]
