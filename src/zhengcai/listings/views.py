"""Listing pages: thin views over the listings selectors and services.

- Suppliers: their listings (商品管理), the product form whose attribute fields follow the
  chosen category (htmx swap; without JavaScript a "load the attributes" button reloads the
  form), the product page with images, price, stock, submission and delisting.
- Operators: the review queue with the automatic check results (审核), the category tree and
  attribute templates (统一标准), the banned words.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import DomainError, NotFound
from zhengcai.listings import category_services, checks, permissions, selectors, services
from zhengcai.listings.images import MAX_IMAGES
from zhengcai.listings.models import Category, Listing
from zhengcai.listings.states import LISTING_MACHINE, AttributeKind, ListingStatus, ReferenceSource
from zhengcai.listings.templatetags.listings_tags import local_name
from zhengcai.rules import selectors as rules_selectors

PAGE_SIZE = 25
LISTING_FIELDS = (
    "category_id",
    "title",
    "brand",
    "model",
    "description",
    "unit",
    "price",
    "reference_price",
    "reference_source",
    "reference_url",
    "stock",
)


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _supplier(request: HttpRequest) -> Actor:
    actor = _actor(request)
    if not permissions.is_supplier(actor):
        raise NotFound()
    return actor


def _operator(request: HttpRequest) -> Actor:
    actor = _actor(request)
    if not permissions.is_operator(actor):
        raise NotFound()
    return actor


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _errors(exc: DomainError) -> dict[str, list[str]]:
    errors = {k: [str(m) for m in v] for k, v in exc.fields.items()}
    if not exc.fields:
        errors["general"] = [str(exc.message)]
    return errors


def _flash_errors(request: HttpRequest, exc: DomainError) -> None:
    for field_messages in _errors(exc).values():
        for m in field_messages:
            messages.error(request, m)


# -- shared context ----------------------------------------------------------------------------


def spec_rows(listing: Listing) -> list[dict[str, Any]]:
    """The listing's attributes in template order with labels and units (values not in the
    template any more are shown at the end under their key)."""
    rows = []
    seen = set()
    for spec in selectors.category_specs(listing.category_id):
        seen.add(spec.key)
        rows.append({"label": spec.label, "value": listing.specs.get(spec.key, ""), "unit": spec.unit, "spec": spec})
    rows += [{"label": k, "value": v, "unit": "", "spec": None} for k, v in listing.specs.items() if k not in seen]
    return rows


def check_rows(listing: Listing) -> list[dict[str, Any]]:
    return [{**r, "text": checks.describe(r)} for r in listing.check_results or []]


def _listing_context(listing: Listing) -> dict[str, Any]:
    waited = None
    if listing.status == ListingStatus.PENDING_REVIEW and listing.submitted_at:
        waited = clock.now() - listing.submitted_at
    return {
        "listing": listing,
        "specs": spec_rows(listing),
        "checks": check_rows(listing),
        "images": list(listing.images.all()),
        "history": selectors.price_history(listing),
        "region_labels": selectors.region_labels(listing.delivery_regions),
        "waited_hours": int(waited.total_seconds() // 3600) if waited else None,
    }


# -- images ------------------------------------------------------------------------------------


@require_GET
def image(request: HttpRequest, pk: int) -> FileResponse:
    """A product image: of a listed product for everyone logged in, of any for owner and operator."""
    actor = _actor(request)
    img = selectors.image_get(actor=actor, image_id=pk)
    response = FileResponse(img.image.open("rb"), content_type=selectors.image_content_type(img))
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- supplier: my listings ---------------------------------------------------------------------


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    actor = _supplier(request)
    status = request.GET.get("status", "")
    status = status if status in ListingStatus.values else ""
    q = request.GET.get("q", "")
    listings = selectors.listings_mine(actor=actor, status=status, q=q).prefetch_related("images")
    counts = selectors.status_counts(selectors.listings_mine(actor=actor))
    page = Paginator(listings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "listings/mine.html",
        {
            "page": page,
            "status": status,
            "q": q,
            "statuses": [(s.value, s.label, counts.get(s.value, 0)) for s in ListingStatus],
            "may_sell": selectors.may_sell(actor.organisation_id),
        },
    )


def _form_data(post: Any) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    data = {f: post.get(f, "").strip() for f in LISTING_FIELDS}
    specs = {k[len("spec_") :]: v.strip() for k, v in post.items() if k.startswith("spec_")}
    regions = [c for c in post.getlist("delivery_regions") if c]
    return data, specs, regions


def _initial(listing: Listing | None) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    if listing is None:
        return {"unit": "件", "reference_source": ReferenceSource.ECOMMERCE, "stock": "0"}, {}, []
    data = {f: str(getattr(listing, f) if f != "category_id" else listing.category_id) for f in LISTING_FIELDS}
    return data, dict(listing.specs), list(listing.delivery_regions)


def _form_context(
    *,
    listing: Listing | None,
    data: dict[str, Any],
    specs: dict[str, str],
    regions: list[str],
    errors: dict[str, list[str]],
) -> dict[str, Any]:
    category_id = _int(data.get("category_id"))
    return {
        "listing": listing,
        "data": data,
        "errors": errors,
        "general_errors": errors.get("general", []),
        "leaves": _grouped_leaves(),
        "sources": ReferenceSource.choices,
        "regions": list(rules_selectors.regions_all()),
        "chosen_regions": set(regions),
        **_spec_fields_context(category_id, specs, errors),
    }


def _grouped_leaves() -> list[tuple[str, list[Category]]]:
    groups: dict[str, list[Category]] = {}
    for leaf in selectors.category_leaves():
        groups.setdefault(local_name(leaf.parent) if leaf.parent else "", []).append(leaf)
    return list(groups.items())


def _spec_fields_context(
    category_id: int | None, specs: dict[str, str], errors: dict[str, list[str]]
) -> dict[str, Any]:
    fields = [
        {
            "spec": spec,
            "name": f"spec_{spec.key}",
            "value": specs.get(spec.key, ""),
            "errors": errors.get(f"spec_{spec.key}", []),
            "is_choice": spec.kind == AttributeKind.CHOICE,
            "is_number": spec.kind == AttributeKind.NUMBER,
        }
        for spec in (selectors.category_specs(category_id) if category_id else [])
    ]
    return {"spec_fields": fields, "category_chosen": bool(category_id)}


@require_http_methods(["GET", "POST"])
def listing_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create or edit a product. ``reload`` (no-JS) shows the chosen category's attributes."""
    actor = _supplier(request)
    listing = selectors.listing_for_supplier(actor, pk) if pk else None
    if listing is not None and listing.status == ListingStatus.PENDING_REVIEW:
        messages.info(request, _("A listing awaiting review cannot be edited."))
        return redirect("listings:detail", pk=listing.pk)
    if request.method == "GET":
        data, specs, regions = _initial(listing)
        if request.GET.get("category_id"):
            data["category_id"] = request.GET["category_id"]
        ctx = _form_context(listing=listing, data=data, specs=specs, regions=regions, errors={})
        return render(request, "listings/form.html", ctx)
    data, specs, regions = _form_data(request.POST)
    if "reload" in request.POST:
        ctx = _form_context(listing=listing, data=data, specs=specs, regions=regions, errors={})
        return render(request, "listings/form.html", ctx)
    payload = services.ListingInput(**data, specs=specs, delivery_regions=regions)
    try:
        if listing is None:
            listing = services.listing_create(actor=actor, data=payload)
            messages.success(request, _("The product was saved as a draft. Add images and submit it for review."))
        else:
            listing = services.listing_update(actor=actor, listing_id=listing.pk, data=payload)
            messages.success(request, _("The product was saved."))
    except DomainError as exc:
        ctx = _form_context(listing=listing, data=data, specs=specs, regions=regions, errors=_errors(exc))
        return render(request, "listings/form.html", ctx, status=400)
    return redirect("listings:detail", pk=listing.pk)


@require_GET
def spec_fields(request: HttpRequest) -> HttpResponse:
    """The attribute fields of a category (htmx swaps them in when the category changes)."""
    _supplier(request)
    ctx = _spec_fields_context(_int(request.GET.get("category_id")), {}, {})
    return render(request, "listings/_spec_fields.html", ctx)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _supplier(request)
    listing = selectors.listing_for_supplier(actor, pk)
    status = str(listing.status)
    return render(
        request,
        "listings/detail.html",
        {
            **_listing_context(listing),
            "may_sell": selectors.may_sell(actor.organisation_id),
            "can_edit": status != ListingStatus.PENDING_REVIEW,
            "can_submit": LISTING_MACHINE.can(status, "submit"),
            "can_delist": LISTING_MACHINE.can(status, "delist"),
            "can_relist": LISTING_MACHINE.can(status, "relist"),
            "can_add_image": status != ListingStatus.PENDING_REVIEW and len(listing.images.all()) < MAX_IMAGES,
            "max_images": MAX_IMAGES,
        },
    )


def _action(request: HttpRequest, pk: int, call: Any, success: str) -> HttpResponse:
    try:
        call()
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        _flash_errors(request, exc)
    else:
        messages.success(request, success)
    return redirect("listings:detail", pk=pk)


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _supplier(request)
    return _action(
        request,
        pk,
        lambda: services.listing_submit(actor=actor, listing_id=pk),
        _("Submitted for review. The operator will check it."),
    )


@require_POST
def price(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _supplier(request)
    return _action(
        request,
        pk,
        lambda: services.listing_price_change(actor=actor, listing_id=pk, price=request.POST.get("price", "")),
        _("The price was changed."),
    )


@require_POST
def stock(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _supplier(request)
    return _action(
        request,
        pk,
        lambda: services.listing_stock_set(actor=actor, listing_id=pk, stock=request.POST.get("stock", "")),
        _("The stock was updated."),
    )


@require_POST
def delist(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    if permissions.is_operator(actor):
        try:
            services.listing_delist(actor=actor, listing_id=pk, reason=request.POST.get("reason", ""))
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            _flash_errors(request, exc)
        else:
            messages.success(request, _("The product was delisted."))
        return redirect("listings:review_detail", pk=pk)
    actor = _supplier(request)
    return _action(
        request,
        pk,
        lambda: services.listing_delist(actor=actor, listing_id=pk, reason=request.POST.get("reason", "")),
        _("The product was delisted."),
    )


@require_POST
def relist(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _supplier(request)
    return _action(
        request,
        pk,
        lambda: services.listing_relist(actor=actor, listing_id=pk),
        _("Sent back to review."),
    )


@require_POST
def image_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _supplier(request)
    files = request.FILES.getlist("image")
    if not files:
        messages.error(request, _("Choose an image file."))
        return redirect("listings:detail", pk=pk)
    return _action(
        request,
        pk,
        lambda: [services.listing_image_add(actor=actor, listing_id=pk, upload=f) for f in files],
        _("The image was added."),
    )


@require_POST
def image_remove(request: HttpRequest, pk: int, image_id: int) -> HttpResponse:
    actor = _supplier(request)
    return _action(
        request,
        pk,
        lambda: services.listing_image_remove(actor=actor, image_id=image_id),
        _("The image was removed."),
    )


# -- operator: review ----------------------------------------------------------------------------


@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    actor = _operator(request)
    category_id = _int(request.GET.get("category"))
    supplier_id = _int(request.GET.get("supplier"))
    failed = request.GET.get("failed") == "1"
    q = request.GET.get("q", "")
    queue = selectors.review_queue(
        actor=actor, category_id=category_id, supplier_id=supplier_id, failed_only=failed, q=q
    )
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    now = clock.now()
    rows = [
        {
            "listing": x,
            "checks": check_rows(x),
            "waited_hours": int((now - x.submitted_at).total_seconds() // 3600) if x.submitted_at else None,
        }
        for x in page
    ]
    return render(
        request,
        "listings/review_queue.html",
        {
            "page": page,
            "rows": rows,
            "category_id": category_id,
            "supplier_id": supplier_id,
            "failed": failed,
            "q": q,
            "categories": selectors.categories_all(),
            "suppliers": selectors.review_suppliers(actor=actor),
        },
    )


@require_GET
def operator_listings(request: HttpRequest) -> HttpResponse:
    """Every listing, any status (operators): find a product to open, review or delist."""
    actor = _operator(request)
    status = request.GET.get("status", "")
    status = status if status in ListingStatus.values else ""
    category_id = _int(request.GET.get("category"))
    supplier_id = _int(request.GET.get("supplier"))
    q = request.GET.get("q", "")
    found = selectors.listings_for_operator(
        actor=actor, status=status, q=q, category_id=category_id, supplier_id=supplier_id
    ).prefetch_related("images")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    sellable = selectors.sellable_supplier_ids(x.supplier_id for x in page)
    return render(
        request,
        "listings/operator_listings.html",
        {
            "page": page,
            "rows": [{"listing": x, "hidden": x.supplier_id not in sellable} for x in page],
            "status": status,
            "category_id": category_id,
            "supplier_id": supplier_id,
            "q": q,
            "statuses": ListingStatus.choices,
            "categories": selectors.categories_all(),
            "suppliers": selectors.listing_suppliers(actor=actor),
        },
    )


@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _operator(request)
    listing = selectors.listing_get(actor=actor, listing_id=pk)
    status = str(listing.status)
    return render(
        request,
        "listings/review_detail.html",
        {
            **_listing_context(listing),
            "can_decide": LISTING_MACHINE.can(status, "approve"),
            "can_delist": LISTING_MACHINE.can(status, "delist"),
        },
    )


@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _operator(request)
    approve = request.POST.get("decision") == "approve"
    try:
        services.listing_review_decide(
            actor=actor, listing_id=pk, approve=approve, reasons=request.POST.get("reasons", "")
        )
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        _flash_errors(request, exc)
        return redirect("listings:review_detail", pk=pk)
    messages.success(
        request, _("Approved: the product is listed.") if approve else _("Rejected: the supplier is told.")
    )
    return redirect("listings:review_queue")


# -- operator: categories and templates ------------------------------------------------------


def _category_data(post: Any) -> dict[str, Any]:
    return {
        "code": post.get("code", ""),
        "name": post.get("name", ""),
        "name_en": post.get("name_en", ""),
        "parent_id": post.get("parent_id") or None,
        "catalogue_code": post.get("catalogue_code", ""),
        "is_active": post.get("is_active") == "on",
    }


@require_http_methods(["GET", "POST"])
def categories(request: HttpRequest) -> HttpResponse:
    """The tree, and the form for a new category."""
    actor = _operator(request)
    errors: dict[str, list[str]] = {}
    data: dict[str, Any] = {"is_active": True}
    status = 200
    if request.method == "POST":
        data = _category_data(request.POST)
        try:
            category = category_services.category_create(actor=actor, **data)
        except DomainError as exc:
            errors, status = _errors(exc), 400
        else:
            messages.success(request, _("The category was created."))
            return redirect("listings:category_edit", pk=category.pk)
    return render(
        request,
        "listings/categories.html",
        {
            "tree": selectors.categories_tree(),
            "all": selectors.categories_all(),
            "data": data,
            "errors": errors,
            "counts": selectors.listing_counts_by_category(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _operator(request)
    category = selectors.category_get(pk)
    errors: dict[str, list[str]] = {}
    status = 200
    data: dict[str, Any] = {
        "code": category.code,
        "name": category.name,
        "name_en": category.name_en,
        "parent_id": category.parent_id,
        "catalogue_code": category.catalogue_item.code if category.catalogue_item else "",
        "is_active": category.is_active,
    }
    if request.method == "POST":
        data = _category_data(request.POST)
        try:
            category_services.category_update(actor=actor, category_id=pk, **data)
        except DomainError as exc:
            errors, status = _errors(exc), 400
        else:
            messages.success(request, _("The category was saved."))
            return redirect("listings:category_edit", pk=pk)
    spec_id = _int(request.GET.get("spec"))
    spec = next((s for s in selectors.category_specs(pk) if s.pk == spec_id), None) if spec_id else None
    spec_data = None
    if spec is not None:
        spec_data = {
            "key": spec.key,
            "label": spec.label,
            "label_en": spec.label_en,
            "kind": spec.kind,
            "unit": spec.unit,
            "required": spec.required,
            "allowed_values": "\n".join(spec.allowed_values or []),
            "filterable": spec.filterable,
            "integer": spec.integer,
        }
    return _category_page(
        request,
        category,
        data=data,
        errors=errors,
        status=status,
        spec_data=spec_data,
        spec_id=spec.pk if spec else None,
    )


def _category_page(
    request: HttpRequest,
    category: Category,
    *,
    data: dict[str, Any],
    errors: dict[str, list[str]],
    status: int = 200,
    spec_data: dict[str, Any] | None = None,
    spec_errors: dict[str, list[str]] | None = None,
    spec_id: int | None = None,
) -> HttpResponse:
    return render(
        request,
        "listings/category_edit.html",
        {
            "category": category,
            "data": data,
            "errors": errors,
            "all": [c for c in selectors.categories_all() if c.pk != category.pk],
            "specs": selectors.category_specs(category.pk),
            "is_leaf": selectors.category_is_leaf(category),
            "kinds": AttributeKind.choices,
            "spec_data": spec_data or {"kind": AttributeKind.TEXT},
            "spec_errors": spec_errors or {},
            "spec_id": spec_id,
        },
        status=status,
    )


def _spec_data(post: Any) -> dict[str, Any]:
    return {
        "key": post.get("key", ""),
        "label": post.get("label", ""),
        "label_en": post.get("label_en", ""),
        "kind": post.get("kind", ""),
        "unit": post.get("unit", ""),
        "required": post.get("required") == "on",
        "allowed_values": post.get("allowed_values", ""),
        "filterable": post.get("filterable") == "on",
        "integer": post.get("integer") == "on",
    }


@require_POST
def spec_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an attribute (no ``spec_id``) or change one; errors show under the spec form."""
    actor = _operator(request)
    category = selectors.category_get(pk)
    spec_id = _int(request.POST.get("spec_id"))
    data = _spec_data(request.POST)
    try:
        category_services.spec_save(actor=actor, category_id=pk, spec_id=spec_id, **data)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        cat_data = {
            "code": category.code,
            "name": category.name,
            "name_en": category.name_en,
            "parent_id": category.parent_id,
            "catalogue_code": category.catalogue_item.code if category.catalogue_item else "",
            "is_active": category.is_active,
        }
        return _category_page(
            request,
            category,
            data=cat_data,
            errors={},
            spec_data=data,
            spec_errors=_errors(exc),
            spec_id=spec_id,
            status=400,
        )
    messages.success(request, _("The attribute was saved."))
    return redirect("listings:category_edit", pk=pk)


@require_POST
def spec_remove(request: HttpRequest, pk: int, spec_id: int) -> HttpResponse:
    actor = _operator(request)
    try:
        category_services.spec_remove(actor=actor, spec_id=spec_id, category_id=pk)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The attribute was removed."))
    return redirect("listings:category_edit", pk=pk)


@require_POST
def spec_move(request: HttpRequest, pk: int, spec_id: int) -> HttpResponse:
    actor = _operator(request)
    try:
        category_services.spec_move(
            actor=actor, spec_id=spec_id, direction=request.POST.get("direction", ""), category_id=pk
        )
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        _flash_errors(request, exc)
    return redirect("listings:category_edit", pk=pk)


@require_http_methods(["GET", "POST"])
def banned_words(request: HttpRequest) -> HttpResponse:
    actor = _operator(request)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            if request.POST.get("deactivate"):
                category_services.banned_word_deactivate(actor=actor, word_id=_int(request.POST["deactivate"]) or 0)
                messages.success(request, _("The word is no longer banned."))
            else:
                category_services.banned_word_add(actor=actor, word=request.POST.get("word", ""))
                messages.success(request, _("The word was added."))
            return redirect("listings:banned_words")
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            errors = _errors(exc)
    return render(
        request,
        "listings/banned_words.html",
        {"words": selectors.banned_words_all(), "errors": errors},
        status=400 if errors else 200,
    )
