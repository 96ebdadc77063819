"""Listings API, mounted at /api/v1/mall/listings/.

- ``categories``: the tree with templates (everyone logged in reads; operators write);
- ``mine``: a supplier's own listings (create, edit, submit, price, stock, delist, relist, images);
- ``review``: the operator's queue and decisions;
- ``{id}``: a listed product, as the shop shows it.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import File, Query, Router, Status, UploadedFile

from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotFound, ValidationFailed
from zhengcai.listings import category_services, checks, permissions, selectors, services
from zhengcai.listings.models import AttributeSpec, Category, Listing
from zhengcai.listings.schemas import (
    CategoryIn,
    CategoryOut,
    CheckOut,
    DecideIn,
    ImageOut,
    ListingDetailOut,
    ListingDetailPageOut,
    ListingIn,
    ListingOut,
    ListingPageOut,
    MoveIn,
    PageIn,
    PriceChangeOut,
    PriceIn,
    ReasonIn,
    ReviewFilters,
    SpecIn,
    SpecOut,
    StockIn,
)
from zhengcai.listings.states import ListingStatus

router = Router(tags=["Listings"])


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def spec_out(s: AttributeSpec) -> SpecOut:
    return SpecOut(
        id=s.pk,
        key=s.key,
        label=s.label,
        label_en=s.label_en,
        kind=s.kind,
        unit=s.unit,
        required=s.required,
        allowed_values=list(s.allowed_values or []),
        filterable=s.filterable,
        integer=s.integer,
        position=s.position,
    )


def category_out(c: Category, children: list[CategoryOut] | None = None, *, is_leaf: bool | None = None) -> CategoryOut:
    kids = children or []
    return CategoryOut(
        id=c.pk,
        code=c.code,
        name=c.name,
        name_en=c.name_en,
        parent_id=c.parent_id,
        catalogue_code=c.catalogue_item.code if c.catalogue_item else None,
        is_active=c.is_active,
        is_leaf=(not kids) if is_leaf is None else is_leaf,
        specs=[spec_out(s) for s in selectors.category_specs(c.pk)],
        children=kids,
    )


def _node_out(node: selectors.CategoryNode) -> CategoryOut:
    return category_out(node.category, [_node_out(n) for n in node.children])


def listing_out(x: Listing) -> ListingOut:
    return ListingOut(**_listing_fields(x))


def _listing_fields(x: Listing) -> dict:
    return {
        "id": x.pk,
        "number": x.number,
        "supplier_id": x.supplier_id,
        "supplier_name": x.supplier.name,
        "category_id": x.category_id,
        "category_code": x.category.code,
        "category_name": x.category.name,
        "title": x.title,
        "brand": x.brand,
        "model": x.model,
        "specs": dict(x.specs),
        "description": x.description,
        "unit": x.unit,
        "price": x.price,
        "reference_price": x.reference_price,
        "reference_source": x.reference_source,
        "reference_url": x.reference_url,
        "stock": x.stock,
        "sales_count": x.sales_count,
        "delivery_regions": list(x.delivery_regions),
        "status": x.status,
        "images": [
            ImageOut(id=i.pk, url=reverse("listings:image", args=[i.pk]), position=i.position) for i in x.images.all()
        ],
        "listed_at": x.listed_at,
    }


def listing_detail_out(x: Listing) -> ListingDetailOut:
    return ListingDetailOut(
        **_listing_fields(x),
        check_results=[
            CheckOut(code=r["code"], ok=r["ok"], severity=r["severity"], message=checks.describe(r))
            for r in x.check_results or []
        ],
        review_comment=x.review_comment,
        submitted_at=x.submitted_at,
        price_history=[
            PriceChangeOut(
                old_price=h.old_price,
                new_price=h.new_price,
                changed_at=h.changed_at,
                changed_by=h.changed_by_label,
                needs_review=h.needs_review,
            )
            for h in selectors.price_history(x)
        ],
    )


def _input(payload: ListingIn) -> services.ListingInput:
    data = payload.dict()
    for name in ("price", "reference_price", "stock"):
        if isinstance(data[name], float):
            data[name] = repr(data[name])
    return services.ListingInput(**data)


# -- categories ------------------------------------------------------------------------------


@router.get("/categories", response=list[CategoryOut], summary="The category tree with attribute templates")
def categories_list(request: HttpRequest) -> list[CategoryOut]:
    return [_node_out(n) for n in selectors.categories_tree()]


@router.get("/categories/{category_id}", response=CategoryOut, summary="One category with its template")
def category_detail(request: HttpRequest, category_id: int) -> CategoryOut:
    c = selectors.category_get(category_id)
    return category_out(c, is_leaf=selectors.category_is_leaf(c))


@router.post("/categories", response={201: CategoryOut}, summary="Create a category (operator)")
def category_create(request: HttpRequest, payload: CategoryIn) -> Status[CategoryOut]:
    c = category_services.category_create(actor=_actor(request), **payload.dict())
    return Status(201, category_out(c, is_leaf=True))


@router.put("/categories/{category_id}", response=CategoryOut, summary="Change a category (operator)")
def category_update(request: HttpRequest, category_id: int, payload: CategoryIn) -> CategoryOut:
    c = category_services.category_update(actor=_actor(request), category_id=category_id, **payload.dict())
    return category_out(c, is_leaf=selectors.category_is_leaf(c))


@router.post("/categories/{category_id}/specs", response={201: SpecOut}, summary="Add an attribute (operator)")
def spec_create(request: HttpRequest, category_id: int, payload: SpecIn) -> Status[SpecOut]:
    s = category_services.spec_save(actor=_actor(request), category_id=category_id, **payload.dict())
    return Status(201, spec_out(s))


@router.put("/categories/{category_id}/specs/{spec_id}", response=SpecOut, summary="Change an attribute (operator)")
def spec_update(request: HttpRequest, category_id: int, spec_id: int, payload: SpecIn) -> SpecOut:
    s = category_services.spec_save(actor=_actor(request), category_id=category_id, spec_id=spec_id, **payload.dict())
    return spec_out(s)


@router.delete(
    "/categories/{category_id}/specs/{spec_id}", response={204: None}, summary="Remove an unused attribute (operator)"
)
def spec_delete(request: HttpRequest, category_id: int, spec_id: int) -> Status[None]:
    category_services.spec_remove(actor=_actor(request), spec_id=spec_id, category_id=category_id)
    return Status(204, None)


@router.post(
    "/categories/{category_id}/specs/{spec_id}/move",
    response=SpecOut,
    summary="Move an attribute up or down (operator)",
)
def spec_move(request: HttpRequest, category_id: int, spec_id: int, payload: MoveIn) -> SpecOut:
    return spec_out(
        category_services.spec_move(
            actor=_actor(request), spec_id=spec_id, direction=payload.direction, category_id=category_id
        )
    )


# -- supplier: my listings ---------------------------------------------------------------------


@router.get("/mine", response=ListingPageOut, summary="The supplier's own listings, a page at a time")
def mine_list(request: HttpRequest, paging: Query[PageIn], status: str = "", q: str = "") -> ListingPageOut:
    rows = selectors.listings_mine(actor=_actor(request), status=status, q=q).prefetch_related("images")
    page = rows[paging.offset : paging.offset + paging.limit]
    return ListingPageOut(
        count=rows.count(), limit=paging.limit, offset=paging.offset, items=[listing_out(x) for x in page]
    )


@router.post("/mine", response={201: ListingDetailOut}, summary="Create a draft listing")
def mine_create(request: HttpRequest, payload: ListingIn) -> Status[ListingDetailOut]:
    actor = _actor(request)
    x = services.listing_create(actor=actor, data=_input(payload))
    return Status(201, listing_detail_out(selectors.listing_for_supplier(actor, x.pk)))


@router.get("/mine/{listing_id}", response=ListingDetailOut, summary="One of the supplier's listings")
def mine_detail(request: HttpRequest, listing_id: int) -> ListingDetailOut:
    return listing_detail_out(selectors.listing_for_supplier(_actor(request), listing_id))


@router.put("/mine/{listing_id}", response=ListingDetailOut, summary="Change a listing (a listed one goes to review)")
def mine_update(request: HttpRequest, listing_id: int, payload: ListingIn) -> ListingDetailOut:
    actor = _actor(request)
    services.listing_update(actor=actor, listing_id=listing_id, data=_input(payload))
    return listing_detail_out(selectors.listing_for_supplier(actor, listing_id))


def _after(actor: Actor, listing_id: int) -> ListingDetailOut:
    return listing_detail_out(selectors.listing_for_supplier(actor, listing_id))


@router.post("/mine/{listing_id}/submit", response=ListingDetailOut, summary="Run the checks and submit for review")
def mine_submit(request: HttpRequest, listing_id: int) -> ListingDetailOut:
    actor = _actor(request)
    services.listing_submit(actor=actor, listing_id=listing_id)
    return _after(actor, listing_id)


@router.post("/mine/{listing_id}/price", response=ListingDetailOut, summary="Change the price")
def mine_price(request: HttpRequest, listing_id: int, payload: PriceIn) -> ListingDetailOut:
    actor = _actor(request)
    price = repr(payload.price) if isinstance(payload.price, float) else payload.price
    services.listing_price_change(actor=actor, listing_id=listing_id, price=price)
    return _after(actor, listing_id)


@router.post("/mine/{listing_id}/stock", response=ListingDetailOut, summary="Set the stock")
def mine_stock(request: HttpRequest, listing_id: int, payload: StockIn) -> ListingDetailOut:
    actor = _actor(request)
    services.listing_stock_set(actor=actor, listing_id=listing_id, stock=payload.stock)
    return _after(actor, listing_id)


@router.post("/mine/{listing_id}/relist", response=ListingDetailOut, summary="Send a delisted product back to review")
def mine_relist(request: HttpRequest, listing_id: int) -> ListingDetailOut:
    actor = _actor(request)
    services.listing_relist(actor=actor, listing_id=listing_id)
    return _after(actor, listing_id)


@router.post("/mine/{listing_id}/images", response={201: ImageOut}, summary="Upload an image (multipart, field image)")
def mine_image_add(request: HttpRequest, listing_id: int, image: File[UploadedFile]) -> Status[ImageOut]:
    img = services.listing_image_add(actor=_actor(request), listing_id=listing_id, upload=image)
    return Status(201, ImageOut(id=img.pk, url=reverse("listings:image", args=[img.pk]), position=img.position))


@router.delete("/mine/{listing_id}/images/{image_id}", response={204: None}, summary="Remove an image")
def mine_image_remove(request: HttpRequest, listing_id: int, image_id: int) -> Status[None]:
    actor = _actor(request)
    listing = selectors.listing_for_supplier(actor, listing_id)
    if not any(i.pk == image_id for i in listing.images.all()):
        raise NotFound()
    services.listing_image_remove(actor=actor, image_id=image_id)
    return Status(204, None)


# -- delisting (supplier or operator) and review -------------------------------------------------


@router.post("/{listing_id}/delist", response=ListingDetailOut, summary="Delist now (operator: with a reason)")
def delist(request: HttpRequest, listing_id: int, payload: ReasonIn) -> ListingDetailOut:
    actor = _actor(request)
    services.listing_delist(actor=actor, listing_id=listing_id, reason=payload.reason)
    return listing_detail_out(selectors.listing_get(actor=actor, listing_id=listing_id))


@router.get("/review", response=ListingDetailPageOut, summary="Listings awaiting review (operator), a page at a time")
def review_list(request: HttpRequest, filters: Query[ReviewFilters]) -> ListingDetailPageOut:
    actor = _actor(request)
    if not permissions.is_operator(actor):
        raise NotFound()
    rows = selectors.review_queue(
        actor=actor,
        category_id=filters.category_id,
        supplier_id=filters.supplier_id,
        failed_only=filters.failed_only,
        q=filters.q,
    ).prefetch_related("images")
    page = rows[filters.offset : filters.offset + filters.limit]
    return ListingDetailPageOut(
        count=rows.count(), limit=filters.limit, offset=filters.offset, items=[listing_detail_out(x) for x in page]
    )


@router.post("/review/{listing_id}/decide", response=ListingDetailOut, summary="Approve or reject (operator)")
def review_decide(request: HttpRequest, listing_id: int, payload: DecideIn) -> ListingDetailOut:
    actor = _actor(request)
    if not permissions.is_operator(actor):
        raise NotFound()  # before the body is looked at: no hint that the endpoint exists
    if not isinstance(payload.approve, bool):
        raise ValidationFailed(fields={"approve": [_("Say true to approve or false to reject.")]})
    if not isinstance(payload.reasons, str):
        raise ValidationFailed(fields={"reasons": [_("Give the reasons as text.")]})
    services.listing_review_decide(actor=actor, listing_id=listing_id, approve=payload.approve, reasons=payload.reasons)
    return listing_detail_out(selectors.listing_get(actor=actor, listing_id=listing_id))


@router.get("/{listing_id}", response=ListingOut, summary="A listed product (own and, for operators, any status)")
def listing_detail(request: HttpRequest, listing_id: int) -> ListingOut:
    x = selectors.listing_get(actor=_actor(request), listing_id=listing_id)
    if x.status != ListingStatus.LISTED and not (
        permissions.is_operator(_actor(request)) or x.supplier_id == _actor(request).organisation_id
    ):
        raise NotFound()
    return listing_out(x)
