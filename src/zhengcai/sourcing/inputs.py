"""Checking what a purchaser or a supplier typed: items, amounts, times, counts.

Each cleaner raises ``ValidationFailed(fields=...)`` with every problem at once and changes
nothing; field names are those of the forms and the API (``items-0-quantity`` for rows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from zhengcai.budgets.amounts import amount_exact
from zhengcai.core.calendar import PLATFORM_TZ
from zhengcai.core.errors import ValidationFailed

MAX_ITEMS = 30
MAX_QUANTITY = 1_000_000


@dataclass(frozen=True)
class ItemInput:
    """One line of the need, as typed: description, specifications, quantity, unit."""

    description: str = ""
    specs: str = ""
    quantity: Any = ""
    unit: str = ""


@dataclass(frozen=True)
class CleanItem:
    description: str
    specs: str
    quantity: int
    unit: str


def clean_items(items: list[ItemInput]) -> list[CleanItem]:
    fields: dict[str, list[Any]] = {}
    out: list[CleanItem] = []
    rows = [i for i in items if any(str(v).strip() for v in (i.description, i.specs, i.quantity, i.unit))]
    if not rows:
        raise ValidationFailed(fields={"items": [_("Add at least one item.")]})
    if len(rows) > MAX_ITEMS:
        raise ValidationFailed(fields={"items": [_("At most %(n)d items.") % {"n": MAX_ITEMS}]})
    for n, item in enumerate(rows):
        description = (item.description or "").strip()
        unit = (item.unit or "").strip()
        if not description or len(description) > 300:
            fields[f"items-{n}-description"] = [_("Describe the item (at most 300 characters).")]
        if not unit or len(unit) > 20:
            fields[f"items-{n}-unit"] = [_("Give the unit (台, 箱, 套 …).")]
        quantity = clean_count(item.quantity, maximum=MAX_QUANTITY)
        if quantity is None:
            fields[f"items-{n}-quantity"] = [
                _("The quantity is a whole number from 1 to %(max)s.") % {"max": f"{MAX_QUANTITY:,}"}
            ]
        out.append(CleanItem(description, (item.specs or "").strip()[:2000], quantity or 0, unit))
    if fields:
        raise ValidationFailed(fields=fields)
    return out


def clean_count(value: Any, *, minimum: int = 1, maximum: int) -> int | None:
    """A whole number in [minimum, maximum], or None."""
    text = str(value if value is not None else "").strip()
    if not text.isdigit():
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def clean_price(value: Any, *, field: str) -> Decimal:
    """A positive amount of money in yuan, exact to the fen; ``ValidationFailed`` on ``field``
    otherwise. An amount with digits past the fen (9000.123) is refused, never rounded, with
    the same message as budgets and plans (``budgets.amounts.amount_exact``)."""
    if value is None or str(value).strip() == "":
        raise ValidationFailed(fields={field: [_("Give an amount.")]})
    try:
        amount = amount_exact(value if isinstance(value, Decimal | int) else str(value).strip())
    except ValidationFailed as exc:
        raise ValidationFailed(fields={field: [exc.message]}) from exc
    if amount <= 0:
        raise ValidationFailed(fields={field: [_("The amount must be more than zero.")]})
    return amount


def parse_when(value: Any) -> dt.datetime | None:
    """An aware datetime from a datetime, or text as a ``datetime-local`` field sends it
    (read in Asia/Shanghai when it has no offset); None when it is not one."""
    at: dt.datetime | None = value if isinstance(value, dt.datetime) else None
    if at is None:
        try:
            at = parse_datetime(str(value or "").strip())
        except ValueError:
            return None
    if at is None:
        return None
    return timezone.make_aware(at, PLATFORM_TZ) if timezone.is_naive(at) else at


def parse_day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(str(value or "").strip())
    except ValueError:
        return None
