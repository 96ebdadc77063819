"""``{{ amount|cny }}``: money as "¥1,234,567.89" everywhere in the plans pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from zhengcai.core.errors import ValidationFailed
from zhengcai.core.money import format_cny

register = template.Library()


@register.filter
def cny(value: Any) -> str:
    """Formats a Decimal, int or numeric string; None, blanks and non-numbers show as "—"."""
    if value is None or value == "" or isinstance(value, float | bool):
        return "—"
    try:
        return format_cny(value if isinstance(value, Decimal) else Decimal(str(value)))
    except (ArithmeticError, ValueError, ValidationFailed):
        return "—"
