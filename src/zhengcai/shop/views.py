"""Storefront pages (网上超市): home, search results, product detail, comparison.

Thin views over ``shop.search`` and the listings/suppliers selectors. Browsing is public:
anyone may look at listed products (the catalogue is public information on the provincial
platform); buying needs a purchaser's login and lives in ``orders``. A logged-in shopper's
own region is the default delivery-region filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotFound, ValidationFailed
from zhengcai.core.roles import OrgType, Role
from zhengcai.listings import permissions as listing_permissions
from zhengcai.listings import selectors as listing_selectors
from zhengcai.rules import selectors as rule_selectors
from zhengcai.shop import compare, selectors
from zhengcai.shop.params import ATTR_PREFIX, parse_search
from zhengcai.shop.search import Sort, catalogue_overview, search_listings
from zhengcai.shop.templatetags.shop_tags import localised
from zhengcai.suppliers import selectors as supplier_selectors
from zhengcai.suppliers.states import EnterpriseSize

PER_PAGE = 24
FEATURED = 8


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def may_buy(actor: Actor) -> bool:
    """A person acting as a purchaser for a budget unit: the only one the cart is for."""
    return (
        actor.org_type == OrgType.BUDGET_UNIT
        and actor.has_role(Role.PURCHASER)
        and actor.organisation_id is not None
        and actor.user_id is not None
        and not actor.is_system
    )


def cart_url(request: HttpRequest) -> str:
    """The orders app's add-to-cart URL for a purchaser; "" for anyone else (no cart button)."""
    if not may_buy(_actor(request)):
        return ""
    try:
        return reverse("orders:cart_add")
    except NoReverseMatch:
        return ""


@dataclass
class FacetLink:
    code: str
    name: str
    count: int
    active: bool


@dataclass
class SpecRow:
    key: str
    label: str
    values: list[str]

    @property
    def differs(self) -> bool:
        return len(set(self.values)) > 1


def _category_or_none(code: str) -> Any:
    if not code:
        return None
    try:
        return listing_selectors.category_by_code(code)
    except NotFound:
        return None


def _path(category: Any) -> list[Any]:
    path: list[Any] = []
    node = category
    while node is not None and len(path) < 10:
        path.insert(0, node)
        node = node.parent
    return path


def _facet_links(category: Any, facets: dict[str, int]) -> list[FacetLink]:
    """The children of the current category (or the roots) with their match counts."""
    nodes = listing_selectors.categories_tree(active_only=True)
    if category is not None:
        stack = list(nodes)
        found = None
        while stack:
            node = stack.pop()
            if node.category.pk == category.pk:
                found = node
                break
            stack.extend(node.children)
        nodes = found.children if found is not None else []
    links = [
        FacetLink(
            n.category.code,
            localised(n.category.name, n.category.name_en),
            facets.get(n.category.code, 0),
            active=False,
        )
        for n in nodes
    ]
    return [link for link in links if link.count]


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    result = catalogue_overview()
    tree = listing_selectors.categories_tree(active_only=True)
    leaves = [leaf.category for root in tree for leaf in root.children if leaf.is_leaf]
    featured = sorted(leaves, key=lambda c: -result.facets.get(c.code, 0))[:FEATURED]
    context = {
        "tree": tree,
        "featured": [(c, result.facets.get(c.code, 0)) for c in featured],
        "total": result.total,
        "hot_queries": ["打印纸", "硒鼓", "M1136", "A4", "空调", "笔记本电脑", "办公椅"],
    }
    return render(request, "shop/home.html", context)


@login_not_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    wanted = parse_search(request.GET, default_region=actor.region_code)
    result = search_listings(q=wanted.q, filters=wanted.filters, sort=wanted.sort, page=wanted.page, per_page=PER_PAGE)
    context = {
        "wanted": wanted,
        "q": wanted.q,
        "result": result,
        "listings": listing_selectors.listings_public_many(result.ids),
        "sorts": Sort.choices,
        "compare_ids": compare.compare_ids(request.session),
        "sme_ids": set(selectors.sme_supplier_ids()),
        "cart_url": cart_url(request),
        "page_numbers": _page_numbers(result.page, result.pages),
    }
    if getattr(request, "htmx", None):  # only the results are swapped in: no sidebar to fill
        return render(request, "shop/_results.html", context)
    category = _category_or_none(wanted.filters.category)
    specs = []
    if category is not None:
        specs = [s for s in listing_selectors.category_specs(category.pk) if s.filterable and s.allowed_values]
    context.update(
        {
            "category": category,
            "category_path": _path(category),
            "facet_links": _facet_links(category, result.facets),
            "specs": specs,
            "attr_prefix": ATTR_PREFIX,
            "regions": rule_selectors.regions_all(),
            "suppliers": selectors.supplier_choices(),
            "region_in_query": "region" in request.GET,
        }
    )
    return render(request, "shop/search.html", context)


def _page_numbers(page: int, pages: int) -> list[int]:
    return sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})


def spec_rows(listings: list[Any]) -> list[SpecRow]:
    """Spec rows aligned by attribute key across the listings (template order first)."""
    labels: dict[str, str] = {}
    units: dict[str, str] = {}
    templates = {pk: listing_selectors.category_specs(pk) for pk in {x.category_id for x in listings}}
    for item in listings:
        for spec in templates[item.category_id]:
            labels.setdefault(spec.key, localised(spec.label, spec.label_en))
            units.setdefault(spec.key, spec.unit)
        for key in item.specs:
            labels.setdefault(key, key)
    rows = []
    for key, label in labels.items():
        values = []
        for item in listings:
            raw = item.specs.get(key)
            values.append(f"{raw} {units.get(key, '')}".strip() if raw not in (None, "") else "—")
        rows.append(SpecRow(key, label, values))
    return rows


def _region_names(codes: list[str]) -> list[str]:
    names = dict(rule_selectors.regions_all().filter(code__in=list(codes)).values_list("code", "name"))
    return [names.get(code, code) for code in codes]


@login_not_required
@require_GET
def listing(request: HttpRequest, pk: int) -> HttpResponse:
    item = listing_selectors.listing_get_public(pk)
    rating = supplier_selectors.supplier_rating(item.supplier_id)
    size = supplier_selectors.supplier_size(item.supplier_id)
    context = {
        "listing": item,
        "images": list(item.images.all()),
        "category_path": _path(item.category),
        "specs": spec_rows([item]),
        "history": listing_selectors.price_history(item)[:20],
        "delivery_regions": _region_names(item.delivery_regions),
        "supplier_size": size,
        "supplier_size_label": EnterpriseSize(size).label if size in EnterpriseSize.values else "",
        "supplier_sme": supplier_selectors.supplier_is_sme(item.supplier_id),
        "supplier_rating": rating,
        "compare_ids": compare.compare_ids(request.session),
        "cart_url": cart_url(request),
        # The operator goes from the product to its back-office page (review, delisting).
        "manage_url": reverse("listings:review_detail", args=[item.pk])
        if listing_permissions.is_operator(_actor(request))
        else "",
    }
    return render(request, "shop/listing.html", context)


@login_not_required
@require_GET
def compare_page(request: HttpRequest) -> HttpResponse:
    listings = listing_selectors.listings_public_many(compare.compare_ids(request.session))
    return render(
        request,
        "shop/compare.html",
        {"listings": listings, "specs": spec_rows(listings), "max": compare.MAX_COMPARE, "cart_url": cart_url(request)},
    )


@login_not_required
@require_GET
def image(request: HttpRequest, pk: int) -> FileResponse:
    """A listed product's picture, read from the file storage (the app serves no /media/ tree)."""
    picture = selectors.listing_image_public(pk)
    name = picture.image.name
    try:
        handle = picture.image.storage.open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise NotFound() from exc
    response = FileResponse(handle, content_type=listing_selectors.image_content_type(picture))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


@login_not_required
@require_POST
def compare_add(request: HttpRequest) -> HttpResponse:
    raw = str(request.POST.get("listing") or "")
    if not raw.isdigit():
        raise NotFound()
    item = listing_selectors.listing_get_public(int(raw))
    try:
        compare.compare_add(request.session, item.pk)
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Added to the comparison: %(title)s") % {"title": item.title})
    return _back(request, reverse("shop:compare"))


@login_not_required
@require_POST
def compare_remove(request: HttpRequest) -> HttpResponse:
    raw = str(request.POST.get("listing") or "")
    if raw.isdigit():
        compare.compare_remove(request.session, int(raw))
    else:
        compare.compare_clear(request.session)
    return _back(request, reverse("shop:compare"))
