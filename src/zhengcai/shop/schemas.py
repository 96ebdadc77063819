"""Output schemas of the e-mall search API."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

SortName = Literal["relevance", "price_asc", "price_desc", "sales"]


class SearchIn(Schema):
    """Query parameters of the search; a value that does not parse is refused with 422."""

    q: str = Field("", max_length=100)
    cat: str = ""  # category code: the category and its subtree
    attr: list[str] = []  # "key=value", repeatable
    price_min: str = ""  # yuan, >= 0; empty: no lower bound
    price_max: str = ""
    region: str = ""  # 6-digit division code; listings delivering there or to a region above it
    supplier: int | None = None
    sme: bool = False
    sort: SortName = "relevance"
    page: int = Field(1, ge=1, le=10_000)
    per_page: int = Field(20, ge=1, le=100)


class ListingCardOut(Schema):
    id: int
    number: str
    title: str
    brand: str
    model: str
    category: str  # category code
    price: Decimal
    reference_price: Decimal
    unit: str
    supplier_id: int
    supplier_name: str
    supplier_sme: bool
    image: str | None  # URL of the cover image
    score: float | None = None


class SearchOut(Schema):
    total: int
    page: int
    per_page: int
    pages: int
    took_ms: float
    facets: dict[str, int]  # category code -> matches
    results: list[ListingCardOut]


class SpecOut(Schema):
    key: str
    label: str
    value: str


class PriceChangeOut(Schema):
    changed_at: str
    old_price: Decimal | None
    new_price: Decimal


class ListingDetailOut(ListingCardOut):
    description: str
    stock: int
    delivery_regions: list[str]
    reference_source: str
    reference_url: str
    sales_count: int
    images: list[str]
    specs: list[SpecOut]
    price_history: list[PriceChangeOut]
    supplier_size: str | None
    supplier_rating: float | None


class CompareRowOut(Schema):
    key: str
    label: str
    values: list[str]
    differs: bool


class CompareOut(Schema):
    listings: list[ListingCardOut]
    specs: list[CompareRowOut]
