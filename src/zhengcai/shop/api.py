"""E-mall search API, mounted at /api/v1/mall/: search, product detail, comparison.

The same search as the storefront (``shop.search.search_listings``) with the same filters;
attribute filters are ``attr=key=value`` (repeatable; values of one key are alternatives).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import ValidationError

from zhengcai.core.errors import ValidationFailed
from zhengcai.listings import selectors as listing_selectors
from zhengcai.shop import selectors
from zhengcai.shop.compare import MAX_COMPARE
from zhengcai.shop.params import ATTR_PREFIX, parse_search
from zhengcai.shop.schemas import (
    CompareOut,
    CompareRowOut,
    ListingCardOut,
    ListingDetailOut,
    PriceChangeOut,
    SearchIn,
    SearchOut,
    SpecOut,
)
from zhengcai.shop.search import MAX_PER_PAGE, search_listings
from zhengcai.shop.views import spec_rows
from zhengcai.suppliers import selectors as supplier_selectors

router = Router(tags=["E-mall search"])


def _cover(listing: Any) -> str | None:
    image = listing_selectors.listing_cover(listing)
    return reverse("shop:image", args=[image.pk]) if image is not None else None


def card_out(listing: Any, *, sme: set[int], score: float | None = None) -> ListingCardOut:
    return ListingCardOut(
        id=listing.pk,
        number=listing.number,
        title=listing.title,
        brand=listing.brand,
        model=listing.model,
        category=listing.category.code,
        price=listing.price,
        reference_price=listing.reference_price,
        unit=listing.unit,
        supplier_id=listing.supplier_id,
        supplier_name=listing.supplier.name,
        supplier_sme=listing.supplier_id in sme,
        image=_cover(listing),
        score=score,
    )


def _price(value: str, name: str, errors: list[dict[str, Any]]) -> Decimal | None:
    text = value.strip()
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        errors.append(_error(name, _("Enter a price in yuan, e.g. 100 or 99.50.")))
        return None
    if amount < 0:
        errors.append(_error(name, _("A price cannot be negative.")))
        return None
    return amount


def _error(name: str, message: str) -> dict[str, Any]:
    """One error in pydantic's shape, so it goes out like ninja's own 422s (``api.errors``)."""
    return {"loc": ("query", name), "type": "zhengcai_search", "msg": str(message)}


def check_search(params: SearchIn) -> None:
    """Refuse what the schema's types cannot: prices, region, attribute pairs (422, every problem at once)."""
    errors: list[dict[str, Any]] = []
    low = _price(params.price_min, "price_min", errors)
    high = _price(params.price_max, "price_max", errors)
    if low is not None and high is not None and low > high:
        errors.append(_error("price_max", _("The highest price is below the lowest price.")))
    region = params.region.strip()
    if region and not (len(region) == 6 and region.isdigit()):
        errors.append(_error("region", _("Enter a 6-digit division code, e.g. 330802, or leave it empty.")))
    for pair in params.attr:
        key, sep, value = pair.partition("=")
        if not (key.strip() and sep and value.strip()):
            errors.append(_error("attr", _("Write an attribute filter as key=value, e.g. size=A4.")))
            break
    if errors:
        raise ValidationError(errors)


@router.get("/search", response=SearchOut, summary="Search listed products (Chinese text, filters, sorting)")
def search(request: HttpRequest, params: Query[SearchIn]) -> SearchOut:
    """``region`` empty: any region (the API has no default region). ``sort``: relevance,
    price_asc, price_desc or sales. A value that does not parse (a price that is not a
    non-negative number, a region that is not a 6-digit code, an ``attr`` without ``=``, an
    unknown sort, a page below 1, ``per_page`` outside 1..100) is refused with 422 and the
    field named. A page beyond the last has no results but the real ``total``."""
    check_search(params)
    query = QueryDict(mutable=True)
    for name in ("q", "cat", "price_min", "price_max", "region", "sort"):
        query[name] = getattr(params, name)
    query["supplier"] = str(params.supplier or "")
    query["sme"] = "1" if params.sme else ""
    query["page"] = str(params.page)
    for pair in params.attr:
        key, _sep, value = pair.partition("=")
        if key and value:
            query.appendlist(f"{ATTR_PREFIX}{key}", value)
    wanted = parse_search(query)
    result = search_listings(
        q=wanted.q,
        filters=wanted.filters,
        sort=wanted.sort,
        page=wanted.page,
        per_page=max(1, min(params.per_page, MAX_PER_PAGE)),
    )
    rows = {x.pk: x for x in listing_selectors.listings_public_many(result.ids)}
    sme_ids = set(selectors.sme_supplier_ids())
    return SearchOut(
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        pages=result.pages,
        took_ms=round(result.took_ms, 2),
        facets=result.facets,
        results=[card_out(rows[h.id], sme=sme_ids, score=h.score) for h in result.hits if h.id in rows],
    )


@router.get("/products/{listing_id}", response=ListingDetailOut, summary="A listed product with specs and history")
def product(request: HttpRequest, listing_id: int) -> ListingDetailOut:
    listing = listing_selectors.listing_get_public(listing_id)
    sme = {listing.supplier_id} if supplier_selectors.supplier_is_sme(listing.supplier_id) else set()
    card = card_out(listing, sme=sme)
    return ListingDetailOut(
        **card.dict(),
        description=listing.description,
        stock=listing.stock,
        delivery_regions=list(listing.delivery_regions),
        reference_source=listing.reference_source,
        reference_url=listing.reference_url,
        sales_count=listing.sales_count,
        images=[reverse("shop:image", args=[image.pk]) for image in listing.images.all()],
        specs=[SpecOut(key=row.key, label=row.label, value=row.values[0]) for row in spec_rows([listing])],
        price_history=[
            PriceChangeOut(changed_at=c.changed_at.isoformat(), old_price=c.old_price, new_price=c.new_price)
            for c in listing_selectors.price_history(listing)[:50]
        ],
        supplier_size=supplier_selectors.supplier_size(listing.supplier_id),
        supplier_rating=supplier_selectors.supplier_rating(listing.supplier_id),
    )


@router.get("/compare", response=CompareOut, summary="Up to four listed products side by side")
def compare(request: HttpRequest, ids: list[int] = Query(...)) -> CompareOut:  # noqa: B008
    wanted = list(dict.fromkeys(ids))
    if len(wanted) > MAX_COMPARE:
        message = _("You can compare at most %(n)s products; remove one first.") % {"n": MAX_COMPARE}
        raise ValidationFailed(message, code="compare_full", fields={"ids": [message]})
    listings = listing_selectors.listings_public_many(wanted)
    sme_ids = set(selectors.sme_supplier_ids())
    return CompareOut(
        listings=[card_out(x, sme=sme_ids) for x in listings],
        specs=[
            CompareRowOut(key=r.key, label=r.label, values=r.values, differs=r.differs) for r in spec_rows(listings)
        ],
    )
