"""Writes to listings (审核上架): create, edit, submit, review, price, stock, delist, images.

Every service runs in one transaction: lock -> check permission -> check state -> change ->
audit -> notify. Every change sets ``search_dirty`` so the shop re-indexes the listing.
Category and template writes live in ``category_services``; the stock services for orders in
``stock`` (both re-exported here).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _

from zhengcai.accounts.models import Membership, Organisation
from zhengcai.audit.services import audit_record
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotFound, NotPermitted, ValidationFailed
from zhengcai.core.money import cny, format_cny
from zhengcai.listings import checks, permissions
from zhengcai.listings.category_services import (
    banned_word_add,
    banned_word_deactivate,
    category_create,
    category_update,
    spec_move,
    spec_remove,
    spec_save,
)
from zhengcai.listings.images import MAX_IMAGES, clean_image
from zhengcai.listings.models import AttributeSpec, BannedWord, Category, Listing, ListingImage, PriceChange
from zhengcai.listings.states import EDITABLE, LISTING_MACHINE, ListingStatus, ReferenceSource
from zhengcai.listings.stock import sales_add, stock_return, stock_take
from zhengcai.notify.services import notification_send
from zhengcai.rules.models import Region
from zhengcai.rules.selectors import ruleset_for
from zhengcai.suppliers import selectors as supplier_selectors
from zhengcai.suppliers import services as supplier_services

__all__ = [
    "ListingInput",
    "banned_word_add",
    "banned_word_deactivate",
    "category_create",
    "category_update",
    "listing_create",
    "listing_delist",
    "listing_image_add",
    "listing_image_remove",
    "listing_price_change",
    "listing_relist",
    "listing_review_decide",
    "listing_stock_set",
    "listing_submit",
    "listing_update",
    "sales_add",
    "spec_move",
    "spec_remove",
    "spec_save",
    "stock_return",
    "stock_take",
]

MAX_STOCK = 10_000_000
UNITS_MAX = 10
DISABLED_CATEGORY = _("This category is disabled: products cannot be listed in it. Choose another category.")


@dataclass
class ListingInput:
    """What the supplier enters for a product (form or API); raw values, cleaned by the service."""

    category_id: Any = None
    title: str = ""
    brand: str = ""
    model: str = ""
    specs: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    unit: str = "件"
    price: Any = None
    reference_price: Any = None
    reference_source: str = ""
    reference_url: str = ""
    stock: Any = 0
    delivery_regions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CleanListing:
    category: Category
    title: str
    brand: str
    model: str
    specs: dict[str, str]
    description: str
    unit: str
    price: Decimal
    reference_price: Decimal
    reference_source: str
    reference_url: str
    stock: int
    delivery_regions: list[str]


# -- helpers ---------------------------------------------------------------------------------


def template_rules(category_id: int) -> list[checks.SpecRule]:
    return [
        checks.SpecRule(s.key, s.label, s.kind, s.required, tuple(s.allowed_values or ()), s.unit, s.integer)
        for s in AttributeSpec.objects.filter(category_id=category_id).order_by("position", "pk")
    ]


def _money_field(fields: dict[str, list[Any]], name: str, value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        fields[name] = [_("Enter an amount.")]
        return None
    try:
        amount = cny(value if not isinstance(value, float) else str(value))
    except ValidationFailed as exc:
        fields[name] = [exc.message]
        return None
    text = str(value).strip().replace(",", "").removeprefix("¥")
    if "." in text and len(text.split(".", 1)[1]) > 2:
        fields[name] = [_("At most two decimal places (fen).")]
        return None
    if amount <= 0:
        fields[name] = [_("The amount must be greater than zero.")]
        return None
    return amount


def _int_field(fields: dict[str, list[Any]], name: str, value: Any, *, maximum: int) -> int:
    text = "" if value is None or isinstance(value, bool) else str(value).strip()
    try:
        number = int(text)
    except ValueError:
        fields[name] = [_("Enter a whole number.")]
        return 0
    if number < 0 or number > maximum:
        fields[name] = [_("Enter a whole number from 0 to %(max)s.") % {"max": maximum}]
        return 0
    return number


def _clean_regions(fields: dict[str, list[Any]], codes: Any) -> list[str]:
    if isinstance(codes, str):
        codes = list(codes.replace("，", ",").split(","))
    wanted = sorted({str(c).strip() for c in (codes or []) if str(c).strip()})
    if not wanted:
        fields["delivery_regions"] = [_("Choose at least one region you deliver to.")]
        return []
    known = set(Region.objects.filter(code__in=wanted).values_list("code", flat=True))
    unknown = [c for c in wanted if c not in known]
    if unknown:
        fields["delivery_regions"] = [_("Unknown region codes: %(codes)s.") % {"codes": ", ".join(unknown)}]
        return []
    # A province or city covers everything under it: drop codes already covered.
    regions = list(Region.objects.filter(code__in=wanted))
    covering = [(r.code, r.prefix) for r in regions if r.prefix != r.code]
    return [c for c in wanted if not any(c != code and c.startswith(prefix) for code, prefix in covering)]


def _clean_category(fields: dict[str, list[Any]], category_id: Any) -> Category | None:
    category = None
    with contextlib.suppress(TypeError, ValueError):
        category = Category.objects.filter(pk=int(category_id)).first()
    if category is None:
        fields["category"] = [_("Choose a category.")]
    elif not category.is_active:
        fields["category"] = [DISABLED_CATEGORY]
        return None
    elif category.children.exists():
        fields["category"] = [_("Choose a category without subcategories (e.g. 复印纸, not 办公用品).")]
        return None
    return category


def _clean_text(fields: dict[str, list[Any]], name: str, value: str, limit: int, message: Any) -> str:
    text = (value or "").strip()
    if not text or len(text) > limit:
        fields[name] = [message]
    return text


def _clean_reference(fields: dict[str, list[Any]], source: str, url: str) -> str:
    if source not in ReferenceSource.values:
        fields["reference_source"] = [_("Choose where the reference price comes from.")]
    url = (url or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            fields["reference_url"] = [_("Enter a web address starting with http:// or https://.")]
    return url


def _clean_input(data: ListingInput) -> CleanListing:
    """Every problem of the form at once; missing required attributes are left to the check."""
    fields: dict[str, list[Any]] = {}
    category = _clean_category(fields, data.category_id)
    title = _clean_text(fields, "title", data.title, 200, _("Give the product a title (at most 200 characters)."))
    brand = _clean_text(fields, "brand", data.brand, 60, _("Enter the brand (at most 60 characters)."))
    model = _clean_text(fields, "model", data.model, 80, _("Enter the model (at most 80 characters)."))
    description = (data.description or "").strip()
    if len(description) > 5000:
        fields["description"] = [_("At most 5,000 characters.")]
    unit = _clean_text(fields, "unit", (data.unit or "").strip() or "件", UNITS_MAX, _("At most 10 characters."))
    price = _money_field(fields, "price", data.price)
    reference = _money_field(fields, "reference_price", data.reference_price)
    url = _clean_reference(fields, data.reference_source, data.reference_url)
    stock = _int_field(fields, "stock", data.stock, maximum=MAX_STOCK)
    regions = _clean_regions(fields, data.delivery_regions)
    specs: dict[str, str] = {}
    if category is not None:
        raw = data.specs if isinstance(data.specs, dict) else {}
        specs, errors = checks.clean_specs(template_rules(category.pk), raw)
        for key, message in errors.items():
            fields[f"spec_{key}"] = [message]
    if fields:
        raise ValidationFailed(fields=fields)
    assert category is not None and price is not None and reference is not None  # noqa: PT018
    return CleanListing(
        category=category,
        title=title,
        brand=brand,
        model=model,
        specs=specs,
        description=description,
        unit=unit,
        price=price,
        reference_price=reference,
        reference_source=data.reference_source,
        reference_url=url,
        stock=stock,
        delivery_regions=regions,
    )


def _require_supplier(actor: Actor) -> int:
    if not permissions.is_supplier(actor):
        raise NotPermitted(_("Only a supplier's staff manage listings."))
    assert actor.organisation_id is not None
    return actor.organisation_id


def _lock_own(actor: Actor, listing_id: int) -> Listing:
    """The supplier's own listing, locked; another's or missing: NotFound."""
    if not permissions.is_supplier(actor):
        raise NotFound()
    listing = Listing.objects.select_for_update().filter(pk=listing_id, supplier_id=actor.organisation_id).first()
    if listing is None:
        raise NotFound()
    return listing


def _lock_any(actor: Actor, listing_id: int) -> Listing:
    """For the operator: any listing; for a supplier: its own; anyone else: NotFound."""
    if permissions.is_operator(actor):
        listing = Listing.objects.select_for_update().filter(pk=listing_id).first()
        if listing is None:
            raise NotFound()
        return listing
    return _lock_own(actor, listing_id)


def _rules(supplier_id: int) -> Any:
    org = Organisation.objects.select_related("region").get(pk=supplier_id)
    return ruleset_for(region=org.region, on=clock.today()).rule_values


def _audit(actor: Actor, action: str, listing: Listing, **data: Any) -> None:
    payload = {k: str(v) if isinstance(v, Decimal) else v for k, v in data.items()}
    audit_record(
        actor=actor,
        action=f"listings.listing.{action}",
        obj=listing,
        data=payload,
        region_code=_supplier_region_code(listing),
    )


def _supplier_region_code(listing: Listing) -> str:
    """A listing's events belong to its supplier's region, whoever acts (the operator's delisting
    or review decision too), so the regulator of the supplier's city sees them."""
    code = Organisation.objects.filter(pk=listing.supplier_id).values_list("region__code", flat=True).first()
    return code or ""


def _notify_supplier(actor: Actor, listing: Listing, event: str, title: str, body: str = "") -> None:
    recipients = sorted(
        set(
            Membership.objects.filter(organisation_id=listing.supplier_id, is_active=True).values_list(
                "user_id", flat=True
            )
        )
    )
    if recipients:
        notification_send(
            actor=actor,
            recipients=recipients,
            title=title,
            body=body,
            url=f"/mall/listings/mine/{listing.pk}/",
            key=f"listing:{listing.pk}:{event}",
            organisation_id=listing.supplier_id,
        )


def _apply(listing: Listing, data: CleanListing) -> dict[str, Any]:
    """Copy the clean input onto the listing; return the changed fields (old values)."""
    changed: dict[str, Any] = {}
    for name in (
        "title",
        "brand",
        "model",
        "specs",
        "description",
        "unit",
        "reference_price",
        "reference_source",
        "reference_url",
        "stock",
        "delivery_regions",
    ):
        new = getattr(data, name)
        if getattr(listing, name) != new:
            changed[name] = getattr(listing, name)
            setattr(listing, name, new)
    if listing.category_id != data.category.pk:
        changed["category"] = listing.category_id
        listing.category = data.category
    return changed


def _record_price(actor: Actor, listing: Listing, old: Decimal | None, new: Decimal, *, needs_review: bool) -> None:
    PriceChange.objects.create(
        listing=listing,
        old_price=old,
        new_price=new,
        changed_at=clock.now(),
        changed_by_label=actor.label,
        needs_review=needs_review,
    )


def _same_specs(a: Any, b: Any) -> bool:
    def norm(specs: Any) -> dict[str, str]:
        return {str(k): str(v).strip().lower() for k, v in (specs or {}).items() if str(v).strip()}

    return norm(a) == norm(b)


def run_checks_for(listing: Listing) -> list[dict[str, Any]]:
    """The automatic checks for a listing as it is now (not saved)."""
    same = Listing.objects.filter(brand__iexact=listing.brand, model__iexact=listing.model).exclude(pk=listing.pk)
    # The same product is the same brand, model, category AND specs: colour, size or pack
    # variants are different products. Compared here, not in SQL (JSON equality differs by backend).
    own = [
        x
        for x in same.filter(supplier_id=listing.supplier_id, category_id=listing.category_id)
        .exclude(status=ListingStatus.DRAFT)
        .order_by("pk")
        if _same_specs(x.specs, listing.specs)
    ]
    others = same.exclude(supplier_id=listing.supplier_id).filter(status=ListingStatus.LISTED)
    others_stats = others.aggregate(lowest=Min("price"))
    ctx = checks.Context(
        template=template_rules(listing.category_id),
        banned_words=list(BannedWord.objects.filter(is_active=True).values_list("word", flat=True)),
        price_rule=str(_rules(listing.supplier_id).listing_price_rule),
        own_duplicates=[x.number for x in own],
        others_count=others.values("supplier_id").distinct().count(),
        others_lowest=others_stats["lowest"],
    )
    candidate = checks.Candidate(
        title=listing.title,
        brand=listing.brand,
        model=listing.model,
        description=listing.description,
        specs=listing.specs,
        price=listing.price,
        reference_price=listing.reference_price,
        reference_source=listing.reference_source,
    )
    return checks.run_checks(candidate, ctx)


def _to_review(actor: Actor, listing: Listing, action: str, *, need_image: bool = False) -> list[dict[str, Any]]:
    """Run the checks; refuse listing every blocking problem at once (no image, a disabled
    category, each failed check); otherwise move to review along ``action``."""
    supplier_services.require_may_sell(listing.supplier_id)
    LISTING_MACHINE.apply(listing, action)  # refuses a wrong status before anything is checked
    results = run_checks_for(listing)
    problems: dict[str, list[Any]] = {}
    if need_image and not listing.images.exists():
        problems["images"] = [_("Add at least one image.")]
    if not listing.category.is_active:
        problems["category"] = [DISABLED_CATEGORY]
    failures = checks.blocking_failures(results)
    if failures:
        problems["checks"] = [checks.describe(r) for r in failures]
    if problems:
        raise ValidationFailed(
            _("The listing cannot be submitted: %(problems)s")
            % {"problems": " ".join(str(m) for messages in problems.values() for m in messages)},
            code="checks_failed",
            fields=problems,
        )
    listing.check_results = results
    listing.check_failed = checks.any_failed(results)
    listing.submitted_at = clock.now()
    listing.review_comment = ""
    return results


def _save(listing: Listing) -> None:
    listing.search_dirty = True
    listing.updated_at = clock.now()
    listing.save()


# -- create, edit, submit ----------------------------------------------------------------------


@transaction.atomic
def listing_create(*, actor: Actor, data: ListingInput) -> Listing:
    """A new draft of the actor's supplier. Suppliers that may not sell cannot create."""
    supplier_id = _require_supplier(actor)
    supplier_services.require_may_sell(supplier_id)
    clean = _clean_input(data)
    now = clock.now()
    listing = Listing(
        supplier_id=supplier_id,
        category=clean.category,
        price=clean.price,
        status=ListingStatus.DRAFT,
        created_at=now,
        updated_at=now,
    )
    _apply(listing, clean)
    listing.search_dirty = True
    listing.save()
    _record_price(actor, listing, None, clean.price, needs_review=False)
    _audit(actor, "create", listing, title=listing.title, price=listing.price, category=clean.category.code)
    return listing


@transaction.atomic
def listing_update(*, actor: Actor, listing_id: int, data: ListingInput) -> Listing:
    """Change the content. A listed product goes back to review (checks run, it leaves the shop);
    a price change is recorded in the history. Not while awaiting review."""
    listing = _lock_own(actor, listing_id)
    if listing.status not in EDITABLE:
        raise ValidationFailed(
            _("A listing awaiting review cannot be edited; wait for the decision or delist it."),
            code="not_editable",
        )
    clean = _clean_input(data)
    if listing.status == ListingStatus.LISTED and listing.category_id != clean.category.pk:
        raise ValidationFailed(fields={"category": [_("The category of a listed product cannot change.")]})
    changed = _apply(listing, clean)
    old_price = listing.price
    price_review = False
    if clean.price != old_price:
        listed = listing.status == ListingStatus.LISTED
        if listed:
            _require_may_sell_for_price(listing)
        changed["price"] = old_price
        _keep_review_base(listing)
        price_review = listed and _price_needs_review(listing, clean.price)
        listing.price = clean.price
        _record_price(actor, listing, old_price, clean.price, needs_review=price_review)
    # Content changes of a listed product go back to review; stock never does, and the price
    # only when it rises above the threshold (a cut applies at once).
    if listing.status == ListingStatus.LISTED and (price_review or set(changed) - {"stock", "price"}):
        _to_review(actor, listing, "back_to_review")
    _save(listing)
    _audit(actor, "update", listing, changed=sorted(changed), status=listing.status)
    return listing


@transaction.atomic
def listing_submit(*, actor: Actor, listing_id: int) -> Listing:
    """Run the automatic checks and send the listing to review; a blocking failure refuses it."""
    listing = _lock_own(actor, listing_id)
    results = _to_review(actor, listing, "submit", need_image=True)
    _save(listing)
    _audit(actor, "submit", listing, checks=[(r["code"], r["ok"]) for r in results])
    return listing


@transaction.atomic
def listing_review_decide(*, actor: Actor, listing_id: int, approve: bool, reasons: str = "") -> Listing:
    """The operator approves (listed from now) or rejects with reasons; the supplier is told."""
    if not permissions.is_operator(actor):
        raise NotFound()
    listing = Listing.objects.select_for_update().filter(pk=listing_id).first()
    if listing is None:
        raise NotFound()
    reasons = (reasons or "").strip()
    if not approve and not reasons:
        raise ValidationFailed(fields={"reasons": [_("Give the reasons for rejecting the listing.")]})
    if len(reasons) > 2000:
        raise ValidationFailed(fields={"reasons": [_("At most 2,000 characters.")]})
    LISTING_MACHINE.apply(listing, "approve" if approve else "reject")
    listing.review_comment = reasons
    if approve:
        listing.listed_at = clock.now()
        listing.reviewed_price = listing.price
    _save(listing)
    _audit(actor, "approve" if approve else "reject", listing, reasons=reasons)
    title = (_("Listing approved: %(title)s") if approve else _("Listing rejected: %(title)s")) % {
        "title": listing.title
    }
    body = str(_("Reasons: %(reasons)s") % {"reasons": reasons}) if reasons else ""
    _notify_supplier(actor, listing, f"review:{listing.updated_at.isoformat()}", str(title), body)
    return listing


# -- price, stock, delist, relist --------------------------------------------------------------


def _price_needs_review(listing: Listing, new: Decimal) -> bool:
    """Whether a new price of a listed product needs the operator again: only a rise of more
    than ``mall_price_review_change_percent`` (rule set of the supplier's region) above the
    price the operator last approved, so step-wise rises add up; a cut applies at once."""
    if listing.status != ListingStatus.LISTED:
        return False
    base = _review_base(listing)
    if new <= base:
        return False
    percent = Decimal(_rules(listing.supplier_id).mall_price_review_change_percent)
    return (new - base) * 100 / base > percent


def _review_base(listing: Listing) -> Decimal:
    """The price the operator last approved. Listings written without it (bulk-generated or
    older data) fall back to the price when listed, from the price history (the last price set
    at or before ``listed_at``, else the old price of the first change after it), else the
    current price; the caller then stores it, so later steps add up instead of each being
    compared with the previous step only."""
    if listing.reviewed_price is not None:
        return listing.reviewed_price
    history = PriceChange.objects.filter(listing_id=listing.pk)
    if listing.listed_at is not None:
        before = history.filter(changed_at__lte=listing.listed_at).order_by("-changed_at", "-pk").first()
        if before is not None:
            return before.new_price
        after = (
            history.filter(changed_at__gt=listing.listed_at, old_price__isnull=False)
            .order_by("changed_at", "pk")
            .first()
        )
        if after is not None and after.old_price is not None:
            return after.old_price
    return listing.price


def _keep_review_base(listing: Listing) -> None:
    """Before a price change of a listed product, pin the approved price if it was missing."""
    if listing.status == ListingStatus.LISTED and listing.reviewed_price is None:
        listing.reviewed_price = _review_base(listing)


def _require_may_sell_for_price(listing: Listing) -> None:
    """While the supplier may not sell, its prices stay as reviewed (stock may change)."""
    if not supplier_selectors.supplier_may_sell(listing.supplier_id):
        raise NotPermitted(
            _(
                "Your organisation may not sell in the e-mall at the moment, so prices cannot change: "
                "buyers will see the reviewed prices when you may sell again. Stock can still be updated."
            ),
            code="supplier_may_not_sell",
        )


@transaction.atomic
def listing_price_change(*, actor: Actor, listing_id: int, price: Any) -> Listing:
    """A new price, always recorded. Above the reference price: refused. While the supplier may
    not sell: refused. On a listed product a rise of more than ``mall_price_review_change_percent``
    over the last reviewed price sends it back to review (not buyable until approved); a cut or
    a smaller rise applies at once."""
    listing = _lock_own(actor, listing_id)
    fields: dict[str, list[Any]] = {}
    new = _money_field(fields, "price", price)
    if fields or new is None:
        raise ValidationFailed(fields=fields)
    _require_may_sell_for_price(listing)
    rules = _rules(listing.supplier_id)
    if str(rules.listing_price_rule) != "none" and new > listing.reference_price:
        raise ValidationFailed(
            fields={
                "price": [
                    _("The price may not be above the reference price %(reference)s.")
                    % {"reference": format_cny(listing.reference_price)}
                ]
            }
        )
    old = listing.price
    if new == old:
        return listing
    _keep_review_base(listing)
    needs_review = _price_needs_review(listing, new)
    listing.price = new
    if needs_review:
        LISTING_MACHINE.apply(listing, "back_to_review")
        listing.check_results = run_checks_for(listing)
        listing.check_failed = checks.any_failed(listing.check_results)
        listing.submitted_at = clock.now()
    _record_price(actor, listing, old, new, needs_review=needs_review)
    _save(listing)
    _audit(actor, "price_change", listing, old=old, new=new, needs_review=needs_review)
    return listing


@transaction.atomic
def listing_stock_set(*, actor: Actor, listing_id: int, stock: Any) -> Listing:
    listing = _lock_own(actor, listing_id)
    fields: dict[str, list[Any]] = {}
    value = _int_field(fields, "stock", stock, maximum=MAX_STOCK)
    if fields:
        raise ValidationFailed(fields=fields)
    old = listing.stock
    listing.stock = value
    _save(listing)
    _audit(actor, "stock_set", listing, old=old, new=value)
    return listing


@transaction.atomic
def listing_delist(*, actor: Actor, listing_id: int, reason: str = "") -> Listing:
    """Off the shop at once. The supplier may delist its own; the operator any, with a reason."""
    listing = _lock_any(actor, listing_id)
    reason = (reason or "").strip()
    by_operator = permissions.is_operator(actor)
    if by_operator and not reason:
        raise ValidationFailed(fields={"reason": [_("Give the reason for delisting.")]})
    if len(reason) > 2000:
        raise ValidationFailed(fields={"reason": [_("At most 2,000 characters.")]})
    LISTING_MACHINE.apply(listing, "delist")
    if by_operator:
        listing.review_comment = reason
    _save(listing)
    _audit(actor, "delist", listing, reason=reason, by_operator=by_operator)
    if by_operator:
        _notify_supplier(
            actor,
            listing,
            f"delist:{listing.updated_at.isoformat()}",
            str(_("Listing delisted: %(title)s") % {"title": listing.title}),
            str(_("Reason given by the operator: %(reason)s") % {"reason": reason}),
        )
    return listing


@transaction.atomic
def listing_relist(*, actor: Actor, listing_id: int) -> Listing:
    """A delisted product back to review (checks run again)."""
    listing = _lock_own(actor, listing_id)
    results = _to_review(actor, listing, "relist", need_image=True)
    _save(listing)
    _audit(actor, "relist", listing, checks=[(r["code"], r["ok"]) for r in results])
    return listing


# -- images ----------------------------------------------------------------------------------


@transaction.atomic
def listing_image_add(*, actor: Actor, listing_id: int, upload: Any) -> ListingImage:
    """Add an image (at most six); checked and re-encoded. A listed product goes back to review."""
    listing = _lock_own(actor, listing_id)
    if listing.status == ListingStatus.PENDING_REVIEW:
        raise ValidationFailed(_("A listing awaiting review cannot be edited."), code="not_editable")
    if listing.images.count() >= MAX_IMAGES:
        raise ValidationFailed(fields={"image": [_("At most %(n)s images.") % {"n": MAX_IMAGES}]})
    content = clean_image(upload)
    last = listing.images.aggregate(m=Max("position"))["m"]
    image = ListingImage(listing=listing, position=(last or 0) + 1)
    image.image.save(content.name or "image", content, save=False)
    image.save()
    if listing.status == ListingStatus.LISTED:
        _to_review(actor, listing, "back_to_review")
    _save(listing)
    _audit(actor, "image_add", listing, image=image.pk)
    return image


@transaction.atomic
def listing_image_remove(*, actor: Actor, image_id: int) -> None:
    image = ListingImage.objects.select_related("listing").filter(pk=image_id).first()
    if image is None:
        raise NotFound()
    listing = _lock_own(actor, image.listing_id)
    if listing.status == ListingStatus.PENDING_REVIEW:
        raise ValidationFailed(_("A listing awaiting review cannot be edited."), code="not_editable")
    if listing.status == ListingStatus.LISTED and listing.images.count() <= 1:
        raise ValidationFailed(fields={"image": [_("A listed product keeps at least one image.")]})
    name = image.image.name
    storage = image.image.storage
    image.delete()
    transaction.on_commit(lambda: storage.delete(name))
    _save(listing)
    _audit(actor, "image_remove", listing, image=image_id)
