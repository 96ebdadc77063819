"""Input and output schemas of the sourcing API (/api/v1/mall/sourcing/)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema


class ItemIn(Schema):
    description: str
    specs: str = ""
    quantity: str
    unit: str


class EventIn(Schema):
    kind: str  # "inquiry" or "auction"
    plan_id: int
    line_id: int
    title: str
    category_id: int
    items: list[ItemIn]
    ceiling: str
    delivery_region_code: str = ""
    delivery_by: str
    opens_at: str = ""  # auctions; empty: now. ISO 8601, Asia/Shanghai when without offset
    closes_at: str  # the quote deadline or the auction's end
    note: str = ""


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
    items: list[ItemOut]


class QuoteIn(Schema):
    prices: dict[int, str]  # item id -> unit price
    delivery_days: int
    note: str = ""


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
    reason: str = ""


class BidIn(Schema):
    amount: str


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
    reason: str


class RepublishIn(Schema):
    closes_at: str
    opens_at: str = ""
    delivery_by: str = ""
