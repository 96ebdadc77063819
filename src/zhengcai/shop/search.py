"""Search listings (商品搜索): Chinese text, filters, sorting, category facets — read only.

``search_listings`` answers from the tantivy index (``shop.engine``) and returns listing ids in
order; the caller loads the rows it shows. Only listed listings are in the index; suppliers
that may not sell right now, and categories an operator deactivated (with their subtrees), are
excluded at query time: a MUST_NOT on a few ids or codes, so switching either back on needs
no reindexing and shows within ``selectors.SUPPLIER_SETS_TTL`` seconds.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import tantivy
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from zhengcai.shop import selectors
from zhengcai.shop.brands import split_brand_prefix
from zhengcai.shop.engine import SCHEMA, index_dir, reader
from zhengcai.shop.tokens import query_grams, query_terms

MAX_PER_PAGE = 100
MAX_OFFSET = 10_000  # deeper pages are refused: nobody reads page 500, and it costs
MAX_TERMS = 16


class Sort(TextChoices):
    RELEVANCE = "relevance", _("Relevance")
    PRICE_ASC = "price_asc", _("Price: low to high")
    PRICE_DESC = "price_desc", _("Price: high to low")
    SALES = "sales", _("Best selling")


@dataclass(frozen=True)
class SearchFilters:
    category: str = ""  # a category code; matches the category and its whole subtree
    attributes: Mapping[str, Sequence[str]] = field(default_factory=dict)  # key -> any of these values
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    region: str = ""  # 6-digit division code: listings delivering there or to a region above it
    supplier_id: int | None = None
    sme_only: bool = False


@dataclass(frozen=True)
class SearchHit:
    id: int
    score: float | None  # BM25 score when sorted by relevance


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[SearchHit]
    facets: dict[str, int]  # category code -> matching listings (every level of the tree)
    took_ms: float
    page: int = 1
    per_page: int = 20

    @property
    def ids(self) -> list[int]:
        return [hit.id for hit in self.hits]

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, MAX_OFFSET) // self.per_page))


def covering_regions(code: str) -> list[str]:
    """The division codes whose delivery area includes ``code``: itself, its city, its province.

    330802 (柯城区) -> 330802, 330800 (衢州市), 330000 (浙江省).
    """
    code = code.strip()
    if len(code) != 6 or not code.isdigit():
        return [code] if code else []
    candidates = [code, code[:4] + "00", code[:2] + "0000"]
    return list(dict.fromkeys(candidates))


def _filter(query: tantivy.Query) -> tuple[tantivy.Occur, tantivy.Query]:
    """A clause that restricts without changing the score."""
    return tantivy.Occur.Must, tantivy.Query.const_score_query(query, 0.0)


PARTIAL_SCORE = 0.5  # a partial model-number match (trigrams only) ranks below a whole-word match


def _term_clause(term: str) -> tantivy.Query:
    """The word itself, or (a word of 3+ letters/digits) all of its trigrams inside a model number."""
    exact = tantivy.Query.term_query(SCHEMA, "text", term)
    grams = query_grams(term)
    if not grams:
        return exact
    partial = tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, tantivy.Query.term_query(SCHEMA, "gram", gram)) for gram in grams]
    )
    return tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Should, exact),
            (tantivy.Occur.Should, tantivy.Query.const_score_query(partial, PARTIAL_SCORE)),
        ]
    )


def _word_clause(term: str) -> tantivy.Query:
    """A word; one that runs a brand into a model number ("hp88a") also matches the two apart."""
    clause = _term_clause(term)
    split = split_brand_prefix(term)
    if split is None:
        return clause
    brand, model = split
    apart = tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Must, tantivy.Query.term_query(SCHEMA, "text", brand)),
            (tantivy.Occur.Must, _term_clause(model)),
        ]
    )
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, clause), (tantivy.Occur.Should, apart)])


def _text_clauses(terms: list[str]) -> list[tuple[tantivy.Occur, tantivy.Query]]:
    return [(tantivy.Occur.Must, _word_clause(term)) for term in terms]


def build_query(
    terms: list[str],
    filters: SearchFilters,
    *,
    barred: Sequence[int],
    sme: Sequence[int] | None,
    hidden_categories: Sequence[str] = (),
) -> Any:
    clauses = _text_clauses(terms) if terms else [(tantivy.Occur.Must, tantivy.Query.all_query())]
    if filters.category:
        clauses.append(_filter(tantivy.Query.term_query(SCHEMA, "category", filters.category)))
    for key, values in sorted(filters.attributes.items()):
        wanted = [f"{key}={value}" for value in values if value]
        if wanted:
            clauses.append(_filter(tantivy.Query.term_set_query(SCHEMA, "attr", wanted)))
    if filters.price_min is not None or filters.price_max is not None:
        price = tantivy.Query.range_query(
            SCHEMA,
            "price",
            tantivy.FieldType.Float,
            float(filters.price_min) if filters.price_min is not None else float("-inf"),
            float(filters.price_max) if filters.price_max is not None else float("inf"),
        )
        clauses.append(_filter(price))
    if filters.region:
        clauses.append(_filter(tantivy.Query.term_set_query(SCHEMA, "region", covering_regions(filters.region))))
    if filters.supplier_id is not None:
        clauses.append(_filter(tantivy.Query.term_query(SCHEMA, "supplier", filters.supplier_id)))
    if sme is not None:
        clauses.append(_filter(tantivy.Query.term_set_query(SCHEMA, "supplier", list(sme))))
    if barred:
        clauses.append((tantivy.Occur.MustNot, tantivy.Query.term_set_query(SCHEMA, "supplier", list(barred))))
    if hidden_categories:
        # Every document carries its category's ancestors' codes: a deactivated parent hides its subtree.
        clauses.append(
            (tantivy.Occur.MustNot, tantivy.Query.term_set_query(SCHEMA, "category", list(hidden_categories)))
        )
    return tantivy.Query.boolean_query(clauses)


def _facets(searcher: tantivy.Searcher, query: Any, paths: dict[int, tuple[str, ...]]) -> tuple[dict[str, int], int]:
    """Matches per category code, every level (counted per leaf, rolled up the tree), and in all.

    Runs on a pool thread: no database access here (``paths`` is read by the caller).
    """
    agg = searcher.aggregate(query, {"c": {"terms": {"field": "leaf", "size": 100_000}}})["c"]
    facets: dict[str, int] = {}
    total = int(agg.get("sum_other_doc_count") or 0)
    for bucket in agg["buckets"]:
        count = int(bucket["doc_count"])
        total += count
        for code in paths.get(int(bucket["key"]), ()):
            facets[code] = facets.get(code, 0) + count
    return facets, total


_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="search-facets")


_ORDER = {
    Sort.PRICE_ASC: ("price", tantivy.Order.Asc),
    Sort.PRICE_DESC: ("price", tantivy.Order.Desc),
    Sort.SALES: ("sales", tantivy.Order.Desc),
}


def search_listings(
    *,
    q: str = "",
    filters: SearchFilters | None = None,
    sort: str = Sort.RELEVANCE,
    page: int = 1,
    per_page: int = 20,
    with_facets: bool = True,
) -> SearchResult:
    """Listed listings matching every term of ``q`` and every filter, one page of them.

    ``q`` is free text: Han characters, model numbers and words in any mix ("A4 打印纸",
    "惠普 M1136"); all its terms must match. An empty ``q`` lists everything that passes the
    filters (best selling first when sorted by relevance). ``facets`` counts the matches per
    category code. Unknown sorts fall back to relevance; a page beyond the last (or beyond
    ``MAX_OFFSET``) has no hits but still the real total and facets.
    """
    started = time.perf_counter()
    filters = filters or SearchFilters()
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, int(page))
    offset = (page - 1) * per_page
    searcher = reader.searcher()
    if searcher is None:
        took = (time.perf_counter() - started) * 1000
        return SearchResult(total=0, hits=[], facets={}, took_ms=took, page=page, per_page=per_page)

    terms = query_terms(q)[:MAX_TERMS]
    sme = selectors.sme_supplier_ids() if filters.sme_only else None
    query = build_query(
        terms,
        filters,
        barred=selectors.barred_supplier_ids(),
        sme=sme,
        hidden_categories=selectors.inactive_category_codes(),
    )
    if offset >= MAX_OFFSET:
        facets, total = _facets(searcher, query, selectors.category_codes_by_id()) if with_facets else ({}, 0)
        if not with_facets:
            total = int(getattr(searcher.search(query, 1, count=True), "count", 0) or 0)  # the stub omits count
        took = (time.perf_counter() - started) * 1000
        return SearchResult(total=total, hits=[], facets=facets, took_ms=took, page=page, per_page=per_page)
    try:
        sort_key = Sort(sort)
    except ValueError:
        sort_key = Sort.RELEVANCE
    if sort_key == Sort.RELEVANCE and not terms:
        sort_key = Sort.SALES
    # The facet counts (which also give the total: one leaf per document) run on a second thread
    # beside the top-k search: tantivy releases the GIL, so on two cores they overlap.
    paths = selectors.category_codes_by_id()
    counting = _POOL.submit(_facets, searcher, query, paths) if with_facets else None
    options: dict[str, Any] = {"count": counting is None, "offset": offset}
    if sort_key in _ORDER:
        options["order_by_field"], options["order"] = _ORDER[sort_key]
    found = searcher.search(query, per_page, **options)
    addresses = [address for _, address in found.hits]
    ids = searcher.fast_field_values("id", addresses) if addresses else []
    scored = sort_key == Sort.RELEVANCE
    hits = [
        SearchHit(id=int(pk), score=float(value) if scored else None)  # type: ignore[arg-type]
        for (value, _), pk in zip(found.hits, ids, strict=True)
    ]
    if counting is not None:
        facets, total = counting.result()
    else:
        facets, total = {}, int(getattr(found, "count", 0) or 0)  # the stub omits SearchResult.count
    took = (time.perf_counter() - started) * 1000
    return SearchResult(total=total, hits=hits, facets=facets, took_ms=took, page=page, per_page=per_page)


OVERVIEW_TTL = 60.0
_overview: dict[str, tuple[float, SearchResult]] = {}


def catalogue_overview() -> SearchResult:
    """Everything listed, counted per category (the storefront's home), kept a minute per process."""
    key = str(index_dir())
    now = time.monotonic()
    hit = _overview.get(key)
    if hit is None or now - hit[0] > OVERVIEW_TTL:
        hit = (now, search_listings(q="", filters=SearchFilters(), sort=Sort.SALES, per_page=1))
        _overview[key] = hit
    return hit[1]
