"""``{{ amount|cny }}``: money as "¥1,234,567.89" in every budgets (and plans) template;
``{{ ref|ref_label }}``: a ledger reference as people read it."""

from __future__ import annotations

from decimal import Decimal

from django import template

from zhengcai.budgets import refs
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


@register.filter
def ref_label(value: str | None) -> str:
    """A ledger reference as people read it ("order:DD…" as the order, "plan:11" as the plan's
    number), through the labellers the owning apps register in ``budgets.refs``."""
    return refs.ref_label(value or "")
