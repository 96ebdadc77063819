"""Reads of categories, attribute templates and listings, with visibility built in.

Other apps read listings only through here: the shop's indexer (``listings_for_index``,
``mark_indexed``), the shop's product page and the orders app (``listing_get_public``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotFound
from zhengcai.listings import permissions
from zhengcai.listings.models import AttributeSpec, BannedWord, Category, Listing, ListingImage, PriceChange
from zhengcai.listings.states import ListingStatus
from zhengcai.rules import selectors as rules_selectors
from zhengcai.suppliers import selectors as supplier_selectors

# -- categories ------------------------------------------------------------------------------


@dataclass
class CategoryNode:
    """One node of the tree with its children (already ordered)."""

    category: Category
    children: list[CategoryNode] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children


def categories_tree(*, active_only: bool = False) -> list[CategoryNode]:
    """The whole category tree, roots first, each level ordered by position then code."""
    qs = Category.objects.select_related("catalogue_item").order_by("position", "code")
    if active_only:
        qs = qs.filter(is_active=True)
    nodes = {c.pk: CategoryNode(c) for c in qs}
    roots: list[CategoryNode] = []
    for node in nodes.values():
        parent = nodes.get(node.category.parent_id) if node.category.parent_id else None
        if parent is not None:
            parent.children.append(node)
        elif node.category.parent_id is None:
            roots.append(node)
    return roots


def categories_all() -> QuerySet[Category]:
    return Category.objects.select_related("parent", "catalogue_item").order_by("position", "code")


def category_leaves(*, active_only: bool = True) -> QuerySet[Category]:
    """Categories without children: the ones listings are filed under."""
    qs = Category.objects.filter(children__isnull=True).select_related("parent").order_by("position", "code")
    if active_only:
        qs = qs.filter(is_active=True)
    return qs


def category_get(category_id: int) -> Category:
    category = Category.objects.select_related("parent", "catalogue_item").filter(pk=category_id).first()
    if category is None:
        raise NotFound()
    return category


def category_by_code(code: str) -> Category:
    category = Category.objects.select_related("parent", "catalogue_item").filter(code=code).first()
    if category is None:
        raise NotFound()
    return category


def category_is_leaf(category: Category) -> bool:
    return not category.children.exists()


def category_specs(category_id: int) -> list[AttributeSpec]:
    """The attribute template of a category, in display order (empty for a missing category)."""
    return list(AttributeSpec.objects.filter(category_id=category_id).order_by("position", "pk"))


def category_descendant_ids(category_id: int) -> list[int]:
    """The category and every category below it (the shop filters by a parent this way)."""
    parents = {c["pk"]: c["parent_id"] for c in Category.objects.values("pk", "parent_id")}
    out = [category_id]
    frontier = {category_id}
    while frontier:
        frontier = {pk for pk, parent in parents.items() if parent in frontier}
        out.extend(sorted(frontier))
    return out


def banned_words() -> list[str]:
    return list(BannedWord.objects.filter(is_active=True).values_list("word", flat=True))


def banned_words_all() -> QuerySet[BannedWord]:
    return BannedWord.objects.order_by("word")


# -- listings --------------------------------------------------------------------------------


def _base() -> QuerySet[Listing]:
    return Listing.objects.select_related("supplier", "supplier__region", "category", "category__parent")


def sellable_supplier_ids(supplier_ids: Iterable[int]) -> set[int]:
    """Those of ``supplier_ids`` that may sell right now (per the suppliers app)."""
    wanted = set(supplier_ids)
    if not wanted:
        return set()
    return set(supplier_selectors.sellable_supplier_ids().filter(organisation_id__in=wanted))


def supplier_lists_in(organisation_id: int, category_ids: Iterable[int]) -> bool:
    """Whether the supplier has a listed product in any of these categories."""
    return Listing.objects.filter(
        supplier_id=organisation_id, category_id__in=list(category_ids), status=ListingStatus.LISTED
    ).exists()


def listing_get_public(listing_id: int) -> Listing:
    """A listing anyone may see and buy: listed in an active category, and its supplier may
    sell; otherwise NotFound."""
    listing = (
        _base()
        .prefetch_related("images")
        .filter(pk=listing_id, status=ListingStatus.LISTED, category__is_active=True)
        .first()
    )
    if listing is None or not supplier_selectors.supplier_may_sell(listing.supplier_id):
        raise NotFound()
    return listing


def listings_public_many(ids: Iterable[int]) -> list[Listing]:
    """The public ones among ``ids`` in the order given (the shop's comparison and cart)."""
    wanted = [int(i) for i in ids]
    public = (
        _base().prefetch_related("images").filter(pk__in=wanted, status=ListingStatus.LISTED, category__is_active=True)
    )
    rows = {x.pk: x for x in public}
    sellable = sellable_supplier_ids(x.supplier_id for x in rows.values())
    return [rows[i] for i in wanted if i in rows and rows[i].supplier_id in sellable]


def listing_for_supplier(actor: Actor, listing_id: int) -> Listing:
    """One of the supplier's own listings in any status; another's or missing: NotFound."""
    if not permissions.is_supplier(actor):
        raise NotFound()
    return permissions.listings.get_visible(actor, _base().prefetch_related("images"), pk=listing_id)


def listing_get(*, actor: Actor, listing_id: int) -> Listing:
    """A listing the actor may see: own (supplier), any (operator), listed (everyone else)."""
    if permissions.is_operator(actor) or permissions.is_supplier(actor):
        listing = permissions.listings.visible(actor, _base().prefetch_related("images")).filter(pk=listing_id).first()
        if listing is not None:
            return listing
    return listing_get_public(listing_id)


def listings_mine(*, actor: Actor, status: str = "", q: str = "", category_id: int | None = None) -> QuerySet[Listing]:
    """The supplier's own listings (none for anyone else)."""
    if not permissions.is_supplier(actor):
        return Listing.objects.none()
    qs = permissions.listings.visible(actor, _base())
    return _filter(qs, status=status, q=q, category_id=category_id)


def _filter(
    qs: QuerySet[Listing], *, status: str = "", q: str = "", category_id: int | None = None
) -> QuerySet[Listing]:
    if status:
        qs = qs.filter(status=status)
    if category_id:
        qs = qs.filter(category_id__in=category_descendant_ids(category_id))
    text = (q or "").strip()
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(brand__icontains=text) | Q(model__icontains=text))
    return qs


def review_queue(
    *,
    actor: Actor,
    category_id: int | None = None,
    supplier_id: int | None = None,
    failed_only: bool = False,
    q: str = "",
) -> QuerySet[Listing]:
    """Listings awaiting review, longest waiting first (operators only)."""
    if not permissions.is_operator(actor):
        return Listing.objects.none()
    qs = _filter(_base().filter(status=ListingStatus.PENDING_REVIEW), q=q, category_id=category_id)
    if supplier_id:
        qs = qs.filter(supplier_id=supplier_id)
    if failed_only:
        qs = qs.filter(check_failed=True)
    return qs.order_by("submitted_at", "pk")


def listings_for_operator(
    *,
    actor: Actor,
    status: str = "",
    q: str = "",
    category_id: int | None = None,
    supplier_id: int | None = None,
) -> QuerySet[Listing]:
    """Every listing in any status (operators only), newest change first; ``q`` also matches
    the number (SP00000123)."""
    if not permissions.is_operator(actor):
        return Listing.objects.none()
    qs = _filter(_base(), status=status, category_id=category_id)
    if supplier_id:
        qs = qs.filter(supplier_id=supplier_id)
    text = (q or "").strip()
    if text:
        match = Q(title__icontains=text) | Q(brand__icontains=text) | Q(model__icontains=text)
        number = text.upper().removeprefix("SP")
        if number.isdigit():
            match |= Q(pk=int(number))
        qs = qs.filter(match)
    return qs.order_by("-updated_at", "-pk")


def listing_suppliers(*, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of every supplier with listings (the operator's filter)."""
    if not permissions.is_operator(actor):
        return []
    rows = Listing.objects.values_list("supplier_id", "supplier__name").distinct().order_by("supplier__name")
    return list(rows)


def price_history(listing: Listing) -> list[PriceChange]:
    return list(listing.price_changes.order_by("-changed_at", "-pk"))


def review_suppliers(*, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of suppliers with listings awaiting review (the queue's filter)."""
    if not permissions.is_operator(actor):
        return []
    rows = (
        Listing.objects.filter(status=ListingStatus.PENDING_REVIEW)
        .values_list("supplier_id", "supplier__name")
        .distinct()
        .order_by("supplier__name")
    )
    return list(rows)


# -- for the shop's search index -------------------------------------------------------------


def listings_for_index(ids: Iterable[int] | None = None) -> QuerySet[Listing]:
    """What the search index holds: listed listings of active categories and of suppliers that
    may sell.

    With ``ids``, only those (the indexer passes the dirty ones; an id not returned must be
    dropped from the index). Rows come with supplier (and its region), category (and its
    parent) and their images prefetched in order (``listing.images.all()[0]`` is the cover).
    """
    qs = Listing.objects.filter(status=ListingStatus.LISTED, category__is_active=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    qs = qs.filter(supplier_id__in=supplier_selectors.sellable_supplier_ids())
    return (
        qs.select_related("supplier", "supplier__region", "category", "category__parent")
        .prefetch_related(Prefetch("images", queryset=ListingImage.objects.order_by("position", "pk")))
        .order_by("pk")
    )


def listings_dirty_ids(*, limit: int | None = None) -> list[int]:
    """Ids whose index entry is stale (any status: unlisted ones must leave the index)."""
    qs = Listing.objects.filter(search_dirty=True).order_by("pk").values_list("pk", flat=True)
    return list(qs[:limit] if limit else qs)


def mark_indexed(ids: Iterable[int]) -> int:
    """Clear ``search_dirty`` for ``ids`` (after the indexer wrote them); returns rows changed.

    Not a business change, so not audited: it only records that the search index caught up.
    """
    wanted = list(ids)
    if not wanted:
        return 0
    return Listing.objects.filter(pk__in=wanted, search_dirty=True).update(search_dirty=False)


def listing_cover(listing: Listing) -> ListingImage | None:
    images: Any = listing.images.all()
    return images[0] if len(images) else None


# -- for the pages ---------------------------------------------------------------------------


def status_counts(qs: QuerySet[Listing]) -> dict[str, int]:
    return {row["status"]: row["n"] for row in qs.order_by().values("status").annotate(n=Count("pk"))}


def may_sell(organisation_id: int | None) -> bool:
    return organisation_id is not None and supplier_selectors.supplier_may_sell(organisation_id)


def listing_counts_by_category() -> dict[int, int]:
    rows = Listing.objects.order_by().values("category_id").annotate(n=Count("pk"))
    return {row["category_id"]: row["n"] for row in rows}


def image_get(*, actor: Actor, image_id: int) -> ListingImage:
    """An image the actor may see: of its own or any listing (supplier, operator), of a public one."""
    img = ListingImage.objects.select_related("listing").filter(pk=image_id).first()
    if img is None:
        raise NotFound()
    listing = img.listing
    if permissions.is_operator(actor):
        return img
    if permissions.is_supplier(actor) and listing.supplier_id == actor.organisation_id:
        return img
    listing_get_public(listing.pk)  # NotFound unless listed and sellable
    return img


_CONTENT_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def image_content_type(img: ListingImage) -> str:
    return _CONTENT_TYPES.get(img.image.name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def region_labels(codes: Iterable[str]) -> list[str]:
    """Delivery regions as people read them: "衢州市 (330800)"; unknown codes as they are."""
    wanted = [c for c in codes if c]
    names = dict(rules_selectors.regions_all().filter(code__in=wanted).values_list("code", "name"))
    return [f"{names[c]} ({c})" if c in names else c for c in wanted]


def region_code_prefix(code: str) -> str:
    """The prefix a division code shares with everything under it: 330000 -> 33, 330800 -> 3308."""
    code = (code or "").strip()
    if len(code) == 6 and code.endswith("0000"):
        return code[:2]
    if len(code) == 6 and code.endswith("00"):
        return code[:4]
    return code


def delivers_to(delivery_regions: Iterable[str], region_code: str) -> bool:
    """Whether a listing with these delivery regions delivers to ``region_code`` (a province
    or city code covers its subtree)."""
    return any(region_code.startswith(region_code_prefix(c)) for c in delivery_regions if c)


def image_url(img: ListingImage) -> str:
    """Where the page fetches an image: ``listings:image`` (media files are not served directly)."""
    return reverse("listings:image", args=[img.pk])
