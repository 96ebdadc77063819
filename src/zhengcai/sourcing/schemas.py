"""Input and output schemas of the sourcing API (/api/v1/mall/sourcing/).

Inputs use the translated field types of ``budgets.api_fields``: amounts (ceiling, unit
prices, bids) may be JSON numbers or strings, and are exact to the fen or refused by the
service (never rounded). A refused unit price is reported on ``prices.<item id>`` (the key
of the ``prices`` object); a refused item row on ``items-<n>-<field>``, as in plans.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Annotated, Any

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from zhengcai.budgets.api_fields import AmountIn, NumberText, OptionalText, TextIn, required_message


def _whole(value: Any) -> Any:
    """A whole number (a JSON number without a fraction, or its text); refused in our words."""
    if value is None:
        raise PydanticCustomError("required", str(required_message()))
    if isinstance(value, bool) or (isinstance(value, float) and not (math.isfinite(value) and value.is_integer())):
        raise PydanticCustomError("int_invalid", str(_("Enter a whole number.")))
    return int(value) if isinstance(value, float) else value


WholeIn = Annotated[int, BeforeValidator(_whole)]


def _given(value: Any) -> Any:
    """An amount left empty asks for one (not "“” is not a valid amount")."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise PydanticCustomError("required", str(_("Give an amount.")))
    return value


# The outer validator runs first: emptiness, then what budgets checks of any amount.
GivenAmountIn = Annotated[AmountIn, BeforeValidator(_given)]


class ItemIn(Schema):
    description: TextIn
    specs: OptionalText = ""
    quantity: NumberText = Field(description="A whole number (text or JSON number).")
    unit: TextIn


class EventIn(Schema):
    kind: TextIn = Field(description='"inquiry" or "auction".')
    plan_id: WholeIn
    line_id: WholeIn
    title: TextIn
    category_id: WholeIn
    items: list[ItemIn]
    ceiling: GivenAmountIn = Field(description="CNY, at most two decimal places; a string or a JSON number.")
    delivery_region_code: OptionalText = ""
    delivery_by: TextIn = Field(description="YYYY-MM-DD.")
    opens_at: OptionalText = Field(
        "", description="Auctions: the start (empty: now). ISO 8601, Asia/Shanghai when without offset."
    )
    closes_at: TextIn = Field(description="The quote deadline or the auction's end (ISO 8601).")
    note: OptionalText = ""


class ItemOut(Schema):
    id: int
    description: str
    specs: str
    quantity: int
    unit: str


class EventOut(Schema):
    id: int
    number: str
    kind: str
    status: str  # as the clock has it: an open event past its deadline reads "closed"
    title: str
    budget_unit_name: str
    plan_id: int | None  # the purchaser's own plan; null for others
    category_code: str
    category_name: str
    ceiling: Decimal
    delivery_region_code: str
    delivery_by: dt.date
    opens_at: dt.datetime
    closes_at: dt.datetime
    min_responses: int
    step_amount: Decimal
    note: str
    responses: int | None  # quotes or bidders; null for suppliers
    winner_name: str
    award_amount: Decimal | None
    order_id: int | None
    outcome_reason: str
    # Awarded, but the winner declined the order or it was cancelled before confirmation:
    # award the next supplier (POST .../award-next) or publish again.
    award_lapsed: bool = False
    items: list[ItemOut]


class QuoteIn(Schema):
    prices: dict[str, GivenAmountIn] = Field(
        description=(
            "Item id -> unit price in CNY (a string or a JSON number, at most two decimal places), "
            "one for every item. A refused price is reported on the field `prices.<item id>`."
        )
    )
    delivery_days: WholeIn
    note: OptionalText = ""


class QuoteLineOut(Schema):
    item_id: int
    unit_price: Decimal
    amount: Decimal


class QuoteOut(Schema):
    id: int
    supplier_name: str
    total: Decimal
    delivery_days: int
    note: str
    revision: int
    submitted_at: dt.datetime
    priced_at: dt.datetime
    compliant: bool
    non_compliant_reason: str
    lines: list[QuoteLineOut]


class QuotesOut(Schema):
    count: int
    sealed: bool
    quotes: list[QuoteOut]  # empty while sealed (suppliers: their own only)


class MarkIn(Schema):
    non_compliant: bool
    reason: OptionalText = ""


class BidIn(Schema):
    amount: GivenAmountIn = Field(
        description="The total price in CNY, at most two decimal places; a string or a JSON number."
    )


class BidOut(Schema):
    id: int
    amount: Decimal
    placed_at: dt.datetime


class BoardOut(Schema):
    best: Decimal | None
    bidders: int
    my_best: Decimal | None
    my_rank: int | None
    max_allowed: Decimal
    step_amount: Decimal
    running: bool
    seconds_left: int


class CancelIn(Schema):
    reason: OptionalText = ""


class RepublishIn(Schema):
    closes_at: TextIn
    opens_at: OptionalText = ""
    delivery_by: OptionalText = ""
    ceiling: OptionalText = Field(
        default="",
        description="A new ceiling in CNY (empty: the old one), e.g. lower when less is free on the plan's line.",
    )
