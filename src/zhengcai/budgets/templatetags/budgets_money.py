"""``{{ amount|cny }}``: money as "¥1,234,567.89" in every budgets (and plans) template."""

from __future__ import annotations

from decimal import Decimal

from django import template

from zhengcai.core.errors import ValidationFailed
from zhengcai.core.money import format_cny

register = template.Library()


@register.filter
def cny(value: Decimal | int | str | None) -> str:
    """Format an amount in yuan; "—" for a missing value, the value unchanged if it is not money."""
    if value is None or value == "":
        return "—"
    try:
        return format_cny(value if isinstance(value, Decimal) else Decimal(str(value)))
    except (ValidationFailed, ArithmeticError, ValueError):
        return str(value)
