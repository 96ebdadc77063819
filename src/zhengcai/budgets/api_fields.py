"""Field types for API input schemas whose errors are clear and translated.

Pydantic's own messages for some inputs are English and technical ("Input should be a
finite number", "Decimal input should be an integer, float, string or Decimal object",
"'up' or 'down'"). These types check the value first, in our words, in the request's
language (the API follows Accept-Language), and keep the JSON schema of the plain type:

- ``AmountIn``: an amount in CNY (string or JSON number) that is a finite number and not
  too large; ``null`` is "required". Whether it may be negative or has digits past the fen
  the service decides (400 with the field's message), as for the pages.
- ``TextIn`` / ``IntIn`` / ``DateIn``: ``null`` for a required field says so.
- ``choice(...)``: a value from a list, refused with the human labels of the choices.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any

from django.utils.translation import gettext_lazy as _
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from zhengcai.budgets.amounts import amount_exact
from zhengcai.core.errors import ValidationFailed


def required_message() -> Any:
    return _("This field is required.")


def _refuse(code: str, message: Any) -> PydanticCustomError:
    return PydanticCustomError(code, str(message))


def not_null(value: Any) -> Any:
    if value is None:
        raise _refuse("required", required_message())
    return value


def _amount(value: Any) -> Decimal:
    if value is None:
        raise _refuse("required", required_message())
    if isinstance(value, float):
        # JSON numbers arrive as floats; NaN, Infinity and 1e400 (inf) are not amounts.
        if not math.isfinite(value):
            raise _refuse("money_invalid", _("Give the amount as a finite number of yuan, e.g. 1234.56."))
        value = repr(value)
    try:
        amount_exact(value, allow_negative=True)
    except ValidationFailed as exc:
        if exc.code != "money_sub_fen":
            raise _refuse(exc.code, exc.message) from exc
    # Negative amounts and digits past the fen are refused by the service (400, with the
    # field's message, as on the pages): hand it the number exactly as given.
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value).strip().removeprefix("¥").removeprefix("￥").strip().replace(",", ""))


AmountIn = Annotated[Decimal, BeforeValidator(_amount)]
TextIn = Annotated[str, BeforeValidator(not_null)]
IntIn = Annotated[int, BeforeValidator(not_null)]
DateIn = Annotated[dt.date, BeforeValidator(not_null)]
# An optional text: ``null`` reads as "not given" (empty), like leaving it out.
OptionalText = Annotated[str, BeforeValidator(lambda value: "" if value is None else value)]


def choice(options: Sequence[tuple[str, Any]]) -> BeforeValidator:
    """Refuse anything but ``options`` (value, label) with a message naming them by label."""

    def check(value: Any) -> Any:
        if value is None:
            raise _refuse("required", required_message())
        if value not in [v for v, _label in options]:
            listed = " / ".join(f"{v} ({label})" for v, label in options)
            raise _refuse("choice_invalid", _("Choose one of: %(choices)s.") % {"choices": listed})
        return value

    return BeforeValidator(check)


def text_like(value: Any) -> Any:
    """A number given where the schema wants text (quantities, prices): read it as its text."""
    if value is None:
        raise _refuse("required", required_message())
    if isinstance(value, float) and not math.isfinite(value):
        raise _refuse("number_invalid", _("Give a finite number."))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(value) if isinstance(value, float) else str(value)
    return value


NumberText = Annotated[str, BeforeValidator(text_like)]

__all__ = ["AmountIn", "DateIn", "IntIn", "NumberText", "OptionalText", "TextIn", "choice", "not_null"]
