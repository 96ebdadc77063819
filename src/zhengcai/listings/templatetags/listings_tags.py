"""``{{ amount|cny }}`` money and small helpers for the listings pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import get_language

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
def status_badge(status: Any) -> str:
    """The Bootstrap colour of a listing status badge."""
    return {
        "draft": "secondary",
        "pending_review": "warning",
        "rejected": "danger",
        "listed": "success",
        "delisted": "dark",
    }.get(str(status), "secondary")


@register.filter
def local_name(obj: Any) -> str:
    """A category's or attribute's name in the active language (English when there is one)."""
    chinese = getattr(obj, "name", None) or getattr(obj, "label", "")
    english = getattr(obj, "name_en", None) or getattr(obj, "label_en", "")
    if english and (get_language() or "").startswith("en"):
        return str(english)
    return str(chinese)
