"""Money as typed by people and budget systems: exact to the fen, or refused.

``core.money.cny`` rounds to the fen (half up), which is right for amounts we compute; an
amount somebody *gives* us with more than two decimal places (1.005) is a mistake in the
file or the form, and rounding it would silently change the budget. Every money input of
budgets and plans (file rows, API bodies, forms) goes through ``amount_exact``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from zhengcai.core.errors import ValidationFailed
from zhengcai.core.money import cny


def sub_fen_message() -> Any:
    return _("Amounts have at most two decimal places (to the fen), e.g. 1234.56.")


def _exact(value: Any) -> Decimal | None:
    """The number as given, before any rounding; None when it cannot be read (cny says why)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str):
        text = value.strip().removeprefix("¥").removeprefix("￥").strip().replace(",", "")
        try:
            return Decimal(text)
        except InvalidOperation:
            return None
    return None


def amount_exact(value: Any, *, allow_negative: bool = False) -> Decimal:
    """``cny(value)``, but an amount with a non-zero digit past the fen is refused
    (``ValidationFailed``, code ``money_sub_fen``) instead of rounded; "1.50" and "1.500" are fine."""
    amount = cny(value, allow_negative=allow_negative)
    given = _exact(value)
    if given is not None and given.is_finite() and given != amount:
        raise ValidationFailed(sub_fen_message(), code="money_sub_fen")
    return amount
