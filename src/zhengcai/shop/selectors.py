"""What the shop reads from the database: rows for the index, suppliers barred from selling.

The listings and suppliers apps own these tables; the shop reads them through their
selectors where one fits and through lean ``values()`` queries where the indexer needs a
million rows without model instances.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from zhengcai.core.errors import NotFound
from zhengcai.listings.models import Category, Listing, ListingImage
from zhengcai.listings.states import ListingStatus
from zhengcai.shop.engine import IndexedListing
from zhengcai.suppliers import selectors as supplier_selectors
from zhengcai.suppliers.models import SupplierProfile
from zhengcai.suppliers.states import EnterpriseSize

_INDEX_FIELDS = (
    "pk",
    "title",
    "brand",
    "model",
    "category_id",
    "specs",
    "price",
    "sales_count",
    "supplier_id",
    "supplier__name",
    "delivery_regions",
)


def category_paths() -> dict[int, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Category id -> (codes root..self, names root..self)."""
    rows: dict[int, dict[str, Any]] = {
        row["pk"]: dict(row) for row in Category.objects.values("pk", "parent_id", "code", "name", "name_en")
    }
    paths: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for pk, row in rows.items():
        codes: list[str] = []
        names: list[str] = []
        node: dict[str, Any] | None = row
        seen = set()
        while node is not None and node["pk"] not in seen:
            seen.add(node["pk"])
            codes.insert(0, node["code"])
            names[:0] = [node["name"], node["name_en"]]
            node = rows.get(node["parent_id"]) if node["parent_id"] else None
        paths[pk] = (tuple(codes), tuple(name for name in names if name))
    return paths


def index_rows(ids: Iterable[int] | None = None, *, chunk_size: int = 5000) -> Iterator[IndexedListing]:
    """Listed listings (all of them, or those among ``ids``) as index entries, in pk order.

    Every listed listing is indexed whatever its supplier's standing: suppliers that may not
    sell are filtered out when searching (``barred_supplier_ids``), so a suspension or a
    reinstatement takes effect at once without reindexing the supplier's listings.
    """
    paths = category_paths()
    qs = Listing.objects.filter(status=ListingStatus.LISTED)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    for row in qs.order_by("pk").values_list(*_INDEX_FIELDS).iterator(chunk_size=chunk_size):
        pk, title, brand, model, category_id, specs, price, sales, supplier_id, supplier_name, regions = row
        codes, names = paths.get(category_id, ((), ()))
        yield IndexedListing(
            id=pk,
            category_id=category_id,
            title=title,
            brand=brand,
            model=model,
            category_path=codes,
            category_names=names,
            specs={str(k): str(v) for k, v in (specs or {}).items() if v not in (None, "")},
            price=float(price),
            sales=sales,
            supplier_id=supplier_id,
            supplier_name=supplier_name,
            regions=tuple(str(code) for code in regions or ()),
        )


# Every search needs the barred and SME supplier sets; they change rarely, so each process keeps
# them for a few seconds (a suspension shows in search within SUPPLIER_SETS_TTL seconds).
SUPPLIER_SETS_TTL = 5.0
_cache: dict[str, tuple[float, Any]] = {}


def _cached(key: str, compute: Callable[[], Any]) -> Any:
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is not None and now - hit[0] < SUPPLIER_SETS_TTL:
        return hit[1]
    value = compute()
    _cache[key] = (now, value)
    return value


def forget_cached() -> None:
    """Drop the per-process caches (tests, and after a change that must show at once)."""
    _cache.clear()


def barred_supplier_ids() -> list[int]:
    """Suppliers whose listings must not show: not approved, suspended, penalised, lapsed documents."""
    return _cached("barred", _barred)


def _barred() -> list[int]:
    sellable = supplier_selectors.sellable_supplier_ids()
    return list(SupplierProfile.objects.exclude(organisation_id__in=sellable).values_list("organisation_id", flat=True))


def category_codes_by_id() -> dict[int, tuple[str, ...]]:
    """Category id -> codes root..self (cached like the supplier sets), for rolling up facets."""
    return _cached("paths", lambda: {pk: path[0] for pk, path in category_paths().items()})


def inactive_category_codes() -> list[str]:
    """Codes of the categories an operator deactivated (cached like the supplier sets).

    Their listings, and those of their subtrees, are hidden from search and facets at query time.
    """
    return _cached("inactive", lambda: list(Category.objects.filter(is_active=False).values_list("code", flat=True)))


def sme_supplier_ids() -> list[int]:
    """Suppliers that are SMEs with a signed declaration (for the "SME only" filter)."""
    return _cached("sme", _sme)


def _sme() -> list[int]:
    return [
        profile.organisation_id
        for profile in SupplierProfile.objects.exclude(size=EnterpriseSize.LARGE)
        .filter(sme_declared_at__isnull=False)
        .only("organisation_id", "size", "sme_declared_at")
        if profile.is_sme
    ]


def clear_all_dirty() -> int:
    """Clear every ``search_dirty`` flag before a full rebuild (index bookkeeping, not audited)."""
    return Listing.objects.filter(search_dirty=True).update(search_dirty=False)


def supplier_choices() -> list[tuple[int, str]]:
    """Suppliers that may sell, for the search filter: (organisation id, name) by name."""
    return list(
        SupplierProfile.objects.filter(organisation_id__in=supplier_selectors.sellable_supplier_ids())
        .order_by("organisation__name")
        .values_list("organisation_id", "organisation__name")
    )


def listing_image_public(image_id: int) -> ListingImage:
    """A picture of a listing anyone may see (listed, supplier may sell); otherwise NotFound."""
    image = (
        ListingImage.objects.select_related("listing").filter(pk=image_id, listing__status=ListingStatus.LISTED).first()
    )
    if image is None or not supplier_selectors.supplier_may_sell(image.listing.supplier_id):
        raise NotFound()
    return image
