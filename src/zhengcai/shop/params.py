"""Search parameters from a query string (pages and API alike), forgiving of bad input.

A storefront filter that does not parse is ignored rather than refused: the shopper sees
results without it and the form shows what was understood.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from zhengcai.shop.search import SearchFilters, Sort

ATTR_PREFIX = "attr_"
MAX_QUERY_LENGTH = 100


def _decimal(value: Any) -> Decimal | None:
    text = str(value or "").strip().replace(",", "").lstrip("¥")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount >= 0 else None


def _int(value: Any, default: int | None = None) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else default


@dataclass(frozen=True)
class SearchRequest:
    q: str
    filters: SearchFilters
    sort: str
    page: int


def parse_search(params: Mapping[str, Any], *, default_region: str = "") -> SearchRequest:
    """``params``: a QueryDict (``getlist`` is used for attributes) or a plain mapping.

    ``region`` absent -> ``default_region`` (the shopper's own region); ``region=`` (empty)
    -> any region.
    """
    getlist = getattr(params, "getlist", None)
    attributes: dict[str, list[str]] = {}
    for key in params:
        if key.startswith(ATTR_PREFIX) and len(key) > len(ATTR_PREFIX):
            values = getlist(key) if getlist else [params[key]]
            cleaned = [str(v).strip() for v in values if str(v).strip()]
            if cleaned:
                attributes[key[len(ATTR_PREFIX) :]] = cleaned
    region = str(params["region"]).strip() if "region" in params else default_region
    price_min, price_max = _decimal(params.get("price_min")), _decimal(params.get("price_max"))
    if price_min is not None and price_max is not None and price_min > price_max:
        price_min, price_max = price_max, price_min
    sort = str(params.get("sort") or Sort.RELEVANCE)
    return SearchRequest(
        q=str(params.get("q") or "").strip()[:MAX_QUERY_LENGTH],
        filters=SearchFilters(
            category=str(params.get("cat") or "").strip(),
            attributes=attributes,
            price_min=price_min,
            price_max=price_max,
            region=region if region.isdigit() and len(region) == 6 else "",
            supplier_id=_int(params.get("supplier")),
            sme_only=str(params.get("sme") or "") in {"1", "on", "true"},
        ),
        sort=sort if sort in Sort.values else Sort.RELEVANCE,
        page=_int(params.get("page"), 1) or 1,
    )
