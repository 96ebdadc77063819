"""``{{ amount|cny }}`` and ``{{ at|local_minute }}`` for the sourcing pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengcai.core.calendar import PLATFORM_TZ
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
def local_minute(value: Any) -> str:
    """An instant as "2026-03-02 09:00" in Asia/Shanghai (the server clock's zone for people)."""
    if not isinstance(value, dt.datetime):
        return "—"
    return timezone.localtime(value, PLATFORM_TZ).strftime("%Y-%m-%d %H:%M")


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def price_key(item_id: Any) -> str:
    """The form field of an item's unit price in the quote form."""
    return f"price-{item_id}"


@register.filter
def time_left(seconds: Any) -> str:
    """Seconds as "02:03:04", with days in front when there are any ("1d 02:03:04")."""
    try:
        total = max(int(seconds), 0)
    except (TypeError, ValueError):
        return "—"
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock_text = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return _("%(days)d d %(clock)s") % {"days": days, "clock": clock_text} if days else clock_text
