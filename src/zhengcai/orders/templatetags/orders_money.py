"""``{{ amount|cny }}`` and ``{{ n|stars }}`` for the order pages."""

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


@register.filter
def stars(value: Any) -> str:
    try:
        n = max(0, min(5, int(value)))
    except (TypeError, ValueError):
        return ""
    return "★" * n + "☆" * (5 - n)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key, mapping.get(str(key)))
    except AttributeError:
        return None


@register.filter
def share(value: Any) -> str:
    """A share (0.0021) as a percentage with one decimal ("0.2%"); None shows as "—"."""
    if value is None or value == "" or isinstance(value, bool):
        return "—"
    try:
        return f"{Decimal(str(value)) * 100:.1f}%"
    except (ArithmeticError, ValueError):
        return "—"
