"""Input and output schemas of the listings API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from zhengcai.budgets.api_fields import IntIn, TextIn

# Amounts and counts are taken as text or numbers and checked by the service, so "abc", "-1"
# and "1.234" get the same translated field messages as on the pages.
Loose = str | int | float | None


class PageIn(Schema):
    """``?limit=&offset=``, the API's pagination convention (answers carry ``count``)."""

    limit: int = Field(50, ge=1, le=200, description="How many items (1-200).")
    offset: int = Field(0, ge=0, le=10**9, description="How many items to skip.")


class ReviewFilters(PageIn):
    category_id: int | None = None
    supplier_id: int | None = None
    failed_only: bool = False
    q: str = ""


class SpecIn(Schema):
    key: TextIn
    label: TextIn
    label_en: str = ""
    kind: TextIn = "text"
    unit: str = ""
    required: bool = False
    allowed_values: list[str] = []
    filterable: bool = False
    integer: bool = False


class SpecOut(Schema):
    id: int
    key: str
    label: str
    label_en: str
    kind: str
    unit: str
    required: bool
    allowed_values: list[str]
    filterable: bool
    integer: bool
    position: int


class MoveIn(Schema):
    direction: TextIn


class CategoryIn(Schema):
    code: TextIn
    name: TextIn
    name_en: str = ""
    parent_id: int | None = None
    catalogue_code: str = ""
    is_active: bool = True


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    parent_id: int | None
    catalogue_code: str | None
    is_active: bool
    is_leaf: bool
    specs: list[SpecOut]
    children: list[CategoryOut] = []


class ListingIn(Schema):
    category_id: IntIn
    title: TextIn
    brand: TextIn
    model: TextIn
    specs: dict[str, Any] = {}
    description: str = ""
    unit: str = "件"
    price: Loose = None
    reference_price: Loose = None
    reference_source: TextIn
    reference_url: str = ""
    stock: Loose = 0
    delivery_regions: list[str] = []


class PriceIn(Schema):
    price: Loose = None


class StockIn(Schema):
    stock: Loose = None


class ReasonIn(Schema):
    reason: str = ""


class DecideIn(Schema):
    # Loose on purpose: the endpoint checks the caller's role first (404 for non-operators),
    # then the values (400 with the field's message).
    approve: Any = None
    reasons: Any = ""


class CheckOut(Schema):
    code: str
    ok: bool
    severity: str
    message: str


class ImageOut(Schema):
    id: int
    url: str
    position: int


class PriceChangeOut(Schema):
    old_price: Decimal | None
    new_price: Decimal
    changed_at: dt.datetime
    changed_by: str
    needs_review: bool


class ListingOut(Schema):
    id: int
    number: str
    supplier_id: int
    supplier_name: str
    category_id: int
    category_code: str
    category_name: str
    title: str
    brand: str
    model: str
    specs: dict[str, Any]
    description: str
    unit: str
    price: Decimal
    reference_price: Decimal
    reference_source: str
    reference_url: str
    stock: int
    sales_count: int
    delivery_regions: list[str]
    status: str
    images: list[ImageOut]
    listed_at: dt.datetime | None


class ListingDetailOut(ListingOut):
    check_results: list[CheckOut]
    review_comment: str
    submitted_at: dt.datetime | None
    price_history: list[PriceChangeOut]


class ListingPageOut(Schema):
    """One page of a list: ``count`` is the total matching, ``items`` those from ``offset``."""

    count: int
    limit: int
    offset: int
    items: list[ListingOut]


class ListingDetailPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ListingDetailOut]
