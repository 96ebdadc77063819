"""Money: ``Decimal`` amounts in CNY with two places, never float.

- ``cny(value)`` is the one way in: it parses a string, an int or a Decimal, refuses floats
  (binary fractions cannot hold fen exactly) and bad input with a translated
  ``ValidationFailed``, and rounds to the fen with ROUND_HALF_UP (四舍五入).
- ``format_cny(amount)`` gives "¥1,234,567.89".
- ``amount_in_words(amount)`` gives the Chinese capital amount (大写金额) documents need,
  following the PBOC rules for writing amounts on settlement vouchers (正确填写票据和结算凭证的
  基本规定): 壹拾 for a leading 1, one 零 for a run of zeros, 零 across an empty 万/亿 section,
  零 after 元 when the 元 digit or the 角 digit is 0 and fen follow, 整 only after 元.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from zhengcai.core.errors import ValidationFailed

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
# Below one trillion (万亿): far above any procurement and inside what amount_in_words spells.
MAX_AMOUNT = Decimal("999999999999.99")

_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$")

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SECTION_UNITS = ((3, "仟"), (2, "佰"), (1, "拾"), (0, ""))


def _parse(value: str | int | Decimal) -> Decimal:
    """The exact number in ``value``; ``ValidationFailed`` for anything that is not one."""
    if isinstance(value, float):
        raise ValidationFailed(
            _("Amounts must be given exactly (as text or a decimal), not as a floating-point number."),
            code="money_float",
        )
    invalid = ValidationFailed(_("“%(value)s” is not an amount of money.") % {"value": value}, code="money_invalid")
    if isinstance(value, bool):
        raise invalid
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        text = value.strip().removeprefix("¥").removeprefix("￥").strip()
        if not _NUMBER.match(text):
            raise invalid
        try:
            amount = Decimal(text.replace(",", ""))
        except InvalidOperation as exc:  # pragma: no cover - the pattern already rules this out
            raise invalid from exc
    else:
        raise invalid
    if not amount.is_finite():
        raise invalid
    return amount


def cny(value: str | int | Decimal, *, allow_negative: bool = False) -> Decimal:
    """Parse an amount in yuan and round it to the fen (0.01, half up).

    Accepts ``Decimal``, ``int`` and strings such as "1234.5", "1,234.50", "¥1,234.50".
    Raises ``ValidationFailed`` for floats, booleans, non-numbers, NaN/infinity, amounts
    of one trillion yuan or more, and negative amounts unless ``allow_negative``.
    """
    amount = _parse(value)
    if amount < 0 and not allow_negative:
        raise ValidationFailed(_("The amount may not be negative."), code="money_negative")
    too_large = ValidationFailed(_("The amount is too large."), code="money_too_large")
    # Checked before rounding: quantizing a number with more digits than the decimal context
    # holds raises InvalidOperation instead of giving a clear message.
    if abs(amount) > MAX_AMOUNT:
        raise too_large
    amount = amount.quantize(FEN, rounding=ROUND_HALF_UP)
    if abs(amount) > MAX_AMOUNT:  # 999999999999.995 rounds up past the limit
        raise too_large
    if amount == 0:
        amount = ZERO  # no "-0.00"
    return amount


def format_cny(amount: Decimal) -> str:
    """ "¥1,234,567.89" (negative: "-¥12.30")."""
    amount = cny(amount, allow_negative=True)
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


def _section_in_words(n: int) -> str:
    """1..9999 in capitals; one 零 for any run of zeros between digits, none at the end."""
    out: list[str] = []
    zero_pending = False
    for power, unit in _SECTION_UNITS:
        digit = n // 10**power % 10
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(_DIGITS[digit] + unit)
    return "".join(out)


def _integer_in_words(n: int) -> str:
    out: list[str] = []
    gap = False  # an all-zero section has been passed since the last output
    for value, unit in ((n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")):
        if value == 0:
            gap = gap or bool(out)
            continue
        # A zero between sections (an empty section, or a leading zero inside this one)
        # is read as one 零: 壹亿零壹, 壹拾万零柒佰.
        if out and (gap or value < 1000):
            out.append("零")
        out.append(_section_in_words(value) + unit)
        gap = False
    return "".join(out)


def amount_in_words(amount: Decimal | str | int) -> str:
    """The amount in Chinese capital numerals, e.g. 壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分.

    Refuses negative amounts (documents state amounts, not signs).
    """
    value = cny(amount)
    fen_total = int(value * 100)
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    if jiao == 0 and fen == 0:
        return (_integer_in_words(yuan) if yuan else "零") + "元整"
    parts: list[str] = []
    if yuan:
        parts.append(_integer_in_words(yuan) + "元")
        # 1680.32 -> 壹仟陆佰捌拾元零叁角贰分; 1000.05 -> 壹仟元零伍分.
        if yuan % 10 == 0 or jiao == 0:
            parts.append("零")
    if jiao:
        parts.append(_DIGITS[jiao] + "角")
    if fen:
        parts.append(_DIGITS[fen] + "分")
    return "".join(parts)
