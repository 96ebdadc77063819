"""API shapes of the orders app."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import Field


class CartAddIn(Schema):
    listing_id: int
    quantity: int = Field(1, ge=1, le=1_000_000)


class CartUpdateIn(Schema):
    quantity: int = Field(ge=1, le=1_000_000)


class CartItemOut(Schema):
    id: int
    listing_id: int
    title: str
    quantity: int
    price: Decimal = Field(description="The current listed price (what checkout charges).")
    price_when_added: Decimal
    amount: Decimal
    on_sale: bool
    stock: int


class CartGroupOut(Schema):
    supplier_id: int
    supplier_name: str
    subtotal: Decimal
    items: list[CartItemOut]


class CartOut(Schema):
    total: Decimal
    groups: list[CartGroupOut]


class CheckoutIn(Schema):
    plan_id: int
    funding: dict[str, int] = Field(
        default_factory=dict, description="Supplier id -> the plan's funding line paying that supplier's order."
    )
    delivery_address: str = ""
    note: str = ""


class OrderLineOut(Schema):
    id: int
    listing_id: int | None
    title: str
    brand: str
    model: str
    unit_price: Decimal
    reference_price: Decimal | None
    quantity: int
    amount: Decimal
    shipped_quantity: int
    accepted_quantity: int | None


class OrderEventOut(Schema):
    action: str
    status: str
    note: str
    by: str
    at: dt.datetime


class OrderOut(Schema):
    id: int
    number: str
    status: str
    source: str
    source_ref: str
    budget_unit_id: int
    budget_unit_name: str
    supplier_id: int
    supplier_name: str
    supplier_is_sme: bool
    plan_id: int
    line_id: int
    commitment_id: int | None
    payment_request_id: int | None
    total_amount: Decimal
    reference_amount: Decimal
    accepted_amount: Decimal
    placed_at: dt.datetime
    confirm_due_at: dt.datetime | None
    accepted_at: dt.datetime | None
    decline_reason: str
    cancel_reason: str
    reject_reason: str
    lines: list[OrderLineOut]
    events: list[OrderEventOut]


class ReasonIn(Schema):
    reason: str = ""


class ShipIn(Schema):
    carrier: str
    tracking_number: str
    quantities: dict[str, int] | None = Field(None, description="Order line id -> shipped quantity (default: all).")
    note: str = ""


class AcceptIn(Schema):
    quantities: dict[str, int] | None = Field(
        None, description="Order line id -> accepted quantity; omit for a full acceptance."
    )


class RateIn(Schema):
    stars: int
    comment: str = ""


class PaymentOut(Schema):
    payment_request_id: int
    amount: Decimal
    status: str


class FigureRowOut(Schema):
    # The row's key: the region code (by_region), the budget unit's or the supplier's
    # organisation id as text (by_unit, by_supplier); null for the total.
    code: str | None = None
    label: str
    depth: int = 0  # by_region: levels below the root of the rollup (a city row includes its districts)
    orders: int
    amount: Decimal
    savings: Decimal
    sme_amount: Decimal
    sme_share: float | None


class MedianOut(Schema):
    region_code: str
    region: str
    depth: int = 0
    orders: int
    median_hours: float


class FiguresOut(Schema):
    year: int | None = None
    total: FigureRowOut
    by_region: list[FigureRowOut]
    by_unit: list[FigureRowOut]
    by_supplier: list[FigureRowOut]
    plan_to_acceptance: list[MedianOut]
