"""Listing services: bad input changes nothing; submission, review, price changes, delisting."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zhengcai.audit.models import AuditEvent
from zhengcai.core.actor import Actor
from zhengcai.core.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from zhengcai.listings import selectors, services
from zhengcai.listings.models import Listing, PriceChange
from zhengcai.listings.states import ListingStatus
from zhengcai.listings.tests.helpers import paper_input, png_bytes, upload
from zhengcai.notify.models import OutboxMessage
from zhengcai.suppliers.models import SupplierProfile
from zhengcai.suppliers.states import SupplierStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def english() -> Any:
    """Messages in English for the assertions on their words."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def draft(supplier: Actor, categories: Any, **overrides: Any) -> Listing:
    listing = services.listing_create(actor=supplier, data=paper_input(categories, **overrides))
    services.listing_image_add(actor=supplier, listing_id=listing.pk, upload=upload())
    return listing


def listed(supplier: Actor, operator: Actor, categories: Any, **overrides: Any) -> Listing:
    listing = draft(supplier, categories, **overrides)
    services.listing_submit(actor=supplier, listing_id=listing.pk)
    return services.listing_review_decide(actor=operator, listing_id=listing.pk, approve=True)


def test_create_draft(supplier: Actor, categories: Any) -> None:
    listing = services.listing_create(actor=supplier, data=paper_input(categories))
    assert listing.status == ListingStatus.DRAFT
    assert listing.price == Decimal("24.50")
    assert listing.stock == 100
    assert listing.specs == {"size": "A4", "weight_gsm": "70g", "sheets": "500"}
    assert listing.search_dirty
    assert PriceChange.objects.filter(listing=listing, old_price=None, new_price=Decimal("24.50")).exists()
    assert AuditEvent.objects.filter(action="listings.listing.create").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"price": "abc"}, "price"),
        ({"price": "-3"}, "price"),
        ({"price": "0"}, "price"),
        ({"price": "1.234"}, "price"),
        ({"price": ""}, "price"),
        ({"reference_price": "x"}, "reference_price"),
        ({"stock": "-1"}, "stock"),
        ({"stock": "1.5"}, "stock"),
        ({"title": ""}, "title"),
        ({"brand": ""}, "brand"),
        ({"reference_source": "shop"}, "reference_source"),
        ({"reference_url": "ftp://x"}, "reference_url"),
        ({"delivery_regions": []}, "delivery_regions"),
        ({"delivery_regions": ["999999"]}, "delivery_regions"),
        ({"category_id": "nope"}, "category"),
        ({"specs": {"size": "A0", "weight_gsm": "70g", "sheets": "500"}}, "spec_size"),
        ({"specs": {"size": "A4", "weight_gsm": "70g", "sheets": "many"}}, "spec_sheets"),
    ],
)
def test_bad_input_changes_nothing(supplier: Actor, categories: Any, overrides: dict, field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.listing_create(actor=supplier, data=paper_input(categories, **overrides))
    assert field in exc.value.fields
    assert not Listing.objects.exists()


def test_parent_category_refused(supplier: Actor, categories: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.listing_create(actor=supplier, data=paper_input(categories, category_id=categories["office"].pk))
    assert "category" in exc.value.fields


def test_regions_covered_by_a_province_are_dropped(supplier: Actor, categories: Any) -> None:
    listing = services.listing_create(
        actor=supplier, data=paper_input(categories, delivery_regions=["330802", "330000", "330800"])
    )
    assert listing.delivery_regions == ["330000"]


def test_wrong_roles(purchaser: Actor, operator: Actor, categories: Any) -> None:
    with pytest.raises(NotPermitted):
        services.listing_create(actor=purchaser, data=paper_input(categories))
    with pytest.raises(NotPermitted):
        services.listing_create(actor=operator, data=paper_input(categories))


def test_suspended_supplier_cannot_create_or_submit(supplier: Actor, categories: Any) -> None:
    listing = draft(supplier, categories)
    SupplierProfile.objects.filter(organisation_id=supplier.organisation_id).update(status=SupplierStatus.SUSPENDED)
    with pytest.raises(NotPermitted):
        services.listing_create(actor=supplier, data=paper_input(categories, model="X"))
    with pytest.raises(NotPermitted):
        services.listing_submit(actor=supplier, listing_id=listing.pk)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DRAFT


def test_other_suppliers_listing_is_not_found(supplier: Actor, other_supplier: Actor, categories: Any) -> None:
    listing = draft(supplier, categories)
    with pytest.raises(NotFound):
        services.listing_update(actor=other_supplier, listing_id=listing.pk, data=paper_input(categories))
    with pytest.raises(NotFound):
        services.listing_submit(actor=other_supplier, listing_id=listing.pk)
    with pytest.raises(NotFound):
        services.listing_price_change(actor=other_supplier, listing_id=listing.pk, price="20")
    with pytest.raises(NotFound):
        selectors.listing_for_supplier(other_supplier, listing.pk)


def test_missing_required_spec_blocks_submission(supplier: Actor, categories: Any) -> None:
    listing = draft(supplier, categories, specs={"size": "A4"})
    with pytest.raises(ValidationFailed) as exc:
        services.listing_submit(actor=supplier, listing_id=listing.pk)
    assert exc.value.code == "checks_failed"
    assert "克重" in str(exc.value.message)
    assert "每包张数" in str(exc.value.message)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DRAFT


def test_price_above_reference_blocks_submission(supplier: Actor, categories: Any) -> None:
    listing = draft(supplier, categories, price="30.00")
    with pytest.raises(ValidationFailed):
        services.listing_submit(actor=supplier, listing_id=listing.pk)


def test_banned_word_blocks_submission(supplier: Actor, categories: Any) -> None:
    listing = draft(supplier, categories, title="全网最低价 A4 复印纸")
    with pytest.raises(ValidationFailed) as exc:
        services.listing_submit(actor=supplier, listing_id=listing.pk)
    assert "最低价" in str(exc.value.message)


def test_submit_needs_an_image(supplier: Actor, categories: Any) -> None:
    listing = services.listing_create(actor=supplier, data=paper_input(categories))
    with pytest.raises(ValidationFailed):
        services.listing_submit(actor=supplier, listing_id=listing.pk)


def test_submit_approve_and_notify(supplier: Actor, operator: Actor, categories: Any) -> None:
    listing = draft(supplier, categories)
    services.listing_submit(actor=supplier, listing_id=listing.pk)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PENDING_REVIEW
    assert listing.submitted_at
    assert {r["code"] for r in listing.check_results} >= {"specs.ok", "price.ok", "words.ok", "duplicate.none"}
    assert not listing.check_failed
    assert list(selectors.review_queue(actor=operator)) == [listing]
    assert list(selectors.review_queue(actor=supplier)) == []
    services.listing_review_decide(actor=operator, listing_id=listing.pk, approve=True)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.LISTED
    assert listing.listed_at
    assert OutboxMessage.objects.filter(recipient_id=supplier.user_id).exists()
    assert selectors.listing_get_public(listing.pk) == listing


def test_reject_needs_reasons(supplier: Actor, operator: Actor, categories: Any) -> None:
    listing = draft(supplier, categories)
    services.listing_submit(actor=supplier, listing_id=listing.pk)
    with pytest.raises(ValidationFailed):
        services.listing_review_decide(actor=operator, listing_id=listing.pk, approve=False)
    services.listing_review_decide(actor=operator, listing_id=listing.pk, approve=False, reasons="图片不清晰")
    listing.refresh_from_db()
    assert listing.status == ListingStatus.REJECTED
    assert listing.review_comment == "图片不清晰"
    with pytest.raises(InvalidTransition):
        services.listing_review_decide(actor=operator, listing_id=listing.pk, approve=True)
    # Fix and resubmit.
    services.listing_submit(actor=supplier, listing_id=listing.pk)


def test_supplier_cannot_review(supplier: Actor, categories: Any) -> None:
    listing = draft(supplier, categories)
    services.listing_submit(actor=supplier, listing_id=listing.pk)
    with pytest.raises(NotFound):
        services.listing_review_decide(actor=supplier, listing_id=listing.pk, approve=True)


def test_duplicates(supplier: Actor, other_supplier: Actor, operator: Actor, categories: Any) -> None:
    first = listed(supplier, operator, categories)
    again = draft(supplier, categories)
    with pytest.raises(ValidationFailed) as exc:
        services.listing_submit(actor=supplier, listing_id=again.pk)
    assert first.number in str(exc.value.message)
    theirs = draft(other_supplier, categories, price="23.00")
    services.listing_submit(actor=other_supplier, listing_id=theirs.pk)
    theirs.refresh_from_db()
    info = next(r for r in theirs.check_results if r["code"] == "duplicate.others")
    assert not info["ok"]
    assert info["severity"] == "info"
    assert "24.50" in info["message"]
    assert theirs.check_failed
    assert list(selectors.review_queue(actor=operator, failed_only=True)) == [theirs]


def test_small_price_change_is_immediate(supplier: Actor, operator: Actor, categories: Any) -> None:
    listing = listed(supplier, operator, categories)
    services.listing_price_change(actor=supplier, listing_id=listing.pk, price="23.50")  # -4%
    listing.refresh_from_db()
    assert listing.status == ListingStatus.LISTED
    assert listing.price == Decimal("23.50")
    history = selectors.price_history(listing)
    assert next((h.old_price, h.new_price, h.needs_review) for h in history) == (
        Decimal("24.50"),
        Decimal("23.50"),
        False,
    )


def test_price_cut_applies_at_once(supplier: Actor, operator: Actor, categories: Any) -> None:
    listing = listed(supplier, operator, categories)
    services.listing_price_change(actor=supplier, listing_id=listing.pk, price="19.00")  # -22%
    listing.refresh_from_db()
    assert listing.status == ListingStatus.LISTED
    assert listing.price == Decimal("19.00")
    assert not PriceChange.objects.filter(listing=listing, needs_review=True).exists()
    assert selectors.listing_get_public(listing.pk).price == Decimal("19.00")


def test_large_price_rise_goes_back_to_review(supplier: Actor, operator: Actor, categories: Any) -> None:
    listing = listed(supplier, operator, categories, price="20.00")
    assert listing.reviewed_price == Decimal("20.00")
    services.listing_price_change(actor=supplier, listing_id=listing.pk, price="23.00")  # +15%
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PENDING_REVIEW
    assert listing.price == Decimal("23.00")
    assert PriceChange.objects.filter(listing=listing, needs_review=True).count() == 1
    with pytest.raises(NotFound):
        selectors.listing_get_public(listing.pk)


def test_step_wise_rises_are_measured_against_the_reviewed_price(
    supplier: Actor, operator: Actor, categories: Any
) -> None:
    listing = listed(supplier, operator, categories, price="20.00")
    services.listing_price_change(actor=supplier, listing_id=listing.pk, price="21.50")  # +7.5%: at once
    listing.refresh_from_db()
    assert listing.status == ListingStatus.LISTED
    services.listing_price_change(actor=supplier, listing_id=listing.pk, price="22.50")  # +4.7%, but +12.5% overall
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PENDING_REVIEW
    services.listing_review_decide(actor=operator, listing_id=listing.pk, approve=True)
    listing.refresh_from_db()
    assert listing.reviewed_price == Decimal("22.50")
    services.listing_price_change(actor=supplier, listing_id=listing.pk, price="23.50")  # +4.4% over the reviewed
    listing.refresh_from_db()
    assert listing.status == ListingStatus.LISTED


def test_a_cut_then_a_rise_back_stays_listed(supplier: Actor, operator: Actor, categories: Any) -> None:
    listing = listed(supplier, operator, categories, price="20.00")
    services.listing_price_change(actor=supplier, listing_id=listing.pk, price="15.00")
    services.listing_price_change(actor=supplier, listing_id=listing.pk, price="21.00")  # +40% on 15, +5% on 20
    listing.refresh_from_db()
    assert listing.status == ListingStatus.LISTED


def test_editing_only_a_cut_price_keeps_a_listed_product_listed(
    supplier: Actor, operator: Actor, categories: Any
) -> None:
    listing = listed(supplier, operator, categories)
    services.listing_update(actor=supplier, listing_id=listing.pk, data=paper_input(categories, price="19.00"))
    listing.refresh_from_db()
    assert listing.status == ListingStatus.LISTED
    assert listing.price == Decimal("19.00")


def test_while_the_supplier_may_not_sell_prices_are_frozen_stock_is_not(
    supplier: Actor, operator: Actor, categories: Any, english: Any
) -> None:
    listing = listed(supplier, operator, categories)
    SupplierProfile.objects.filter(organisation_id=supplier.organisation_id).update(status=SupplierStatus.SUSPENDED)
    with pytest.raises(NotPermitted) as exc:
        services.listing_price_change(actor=supplier, listing_id=listing.pk, price="23.00")
    assert "Stock can still be updated" in str(exc.value.message)
    with pytest.raises(NotPermitted):
        services.listing_update(actor=supplier, listing_id=listing.pk, data=paper_input(categories, price="23.00"))
    services.listing_stock_set(actor=supplier, listing_id=listing.pk, stock="3")
    listing.refresh_from_db()
    assert (listing.price, listing.stock, listing.status) == (Decimal("24.50"), 3, ListingStatus.LISTED)


def test_price_above_reference_refused(supplier: Actor, operator: Actor, categories: Any) -> None:
    listing = listed(supplier, operator, categories)
    for bad in ("27.00", "abc", "-1", "1.001"):
        with pytest.raises(ValidationFailed):
            services.listing_price_change(actor=supplier, listing_id=listing.pk, price=bad)
    listing.refresh_from_db()
    assert listing.price == Decimal("24.50")
    assert PriceChange.objects.filter(listing=listing).count() == 1


def test_stock_set(supplier: Actor, categories: Any) -> None:
    listing = draft(supplier, categories)
    with pytest.raises(ValidationFailed):
        services.listing_stock_set(actor=supplier, listing_id=listing.pk, stock="-5")
    services.listing_stock_set(actor=supplier, listing_id=listing.pk, stock="7")
    listing.refresh_from_db()
    assert listing.stock == 7


def test_delist_and_relist(supplier: Actor, operator: Actor, categories: Any) -> None:
    listing = listed(supplier, operator, categories)
    with pytest.raises(ValidationFailed):
        services.listing_delist(actor=operator, listing_id=listing.pk)
    services.listing_delist(actor=operator, listing_id=listing.pk, reason="资质过期")
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DELISTED
    services.listing_relist(actor=supplier, listing_id=listing.pk)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PENDING_REVIEW


def test_editing_a_listed_product_goes_back_to_review(supplier: Actor, operator: Actor, categories: Any) -> None:
    listing = listed(supplier, operator, categories)
    services.listing_update(
        actor=supplier, listing_id=listing.pk, data=paper_input(categories, title="得力 A4 复印纸 70g 整箱")
    )
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PENDING_REVIEW
    with pytest.raises(ValidationFailed):
        services.listing_update(actor=supplier, listing_id=listing.pk, data=paper_input(categories))


def test_images(supplier: Actor, categories: Any) -> None:
    listing = services.listing_create(actor=supplier, data=paper_input(categories))
    with pytest.raises(ValidationFailed):
        services.listing_image_add(actor=supplier, listing_id=listing.pk, upload=upload("x.png", b"not an image"))
    with pytest.raises(ValidationFailed):
        services.listing_image_add(actor=supplier, listing_id=listing.pk, upload=upload("x.gif", png_bytes(fmt="GIF")))
    for fmt in ("PNG", "JPEG", "WEBP", "PNG", "PNG", "JPEG"):
        services.listing_image_add(actor=supplier, listing_id=listing.pk, upload=upload("x", png_bytes(fmt=fmt)))
    with pytest.raises(ValidationFailed):
        services.listing_image_add(actor=supplier, listing_id=listing.pk, upload=upload())
    assert listing.images.count() == 6
    first = listing.images.first()
    assert first is not None
    services.listing_image_remove(actor=supplier, image_id=first.pk)
    assert listing.images.count() == 5


def test_submit_reports_every_blocking_problem_at_once(supplier: Actor, categories: Any) -> None:
    listing = services.listing_create(
        actor=supplier, data=paper_input(categories, title="最低价 复印纸", specs={"size": "A4"})
    )
    with pytest.raises(ValidationFailed) as exc:
        services.listing_submit(actor=supplier, listing_id=listing.pk)
    fields = exc.value.fields
    assert set(fields) == {"images", "checks"}
    text = " ".join(str(m) for m in fields["checks"])
    assert "克重" in text  # a required attribute is missing
    assert "最低价" in text  # a banned word
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DRAFT


def test_a_disabled_category_says_so(supplier: Actor, operator: Actor, categories: Any, english: Any) -> None:
    from zhengcai.listings import category_services as cs

    ink = categories["printing-ink"]
    cs.category_update(
        actor=operator, category_id=ink.pk, code=ink.code, name=ink.name, parent_id=ink.parent_id, is_active=False
    )
    with pytest.raises(ValidationFailed) as exc:
        services.listing_create(actor=supplier, data=paper_input(categories, category_id=ink.pk, specs={}))
    assert "disabled" in str(exc.value.fields["category"][0])


def test_listed_products_of_a_disabled_category_leave_the_shop(
    supplier: Actor, operator: Actor, categories: Any
) -> None:
    from zhengcai.listings import category_services as cs

    listing = listed(supplier, operator, categories)
    paper = categories["office-paper"]
    cs.category_update(
        actor=operator,
        category_id=paper.pk,
        code=paper.code,
        name=paper.name,
        parent_id=paper.parent_id,
        catalogue_code="A05040101",
        is_active=False,
    )
    assert not selectors.listings_for_index([listing.pk]).exists()
    with pytest.raises(NotFound):
        selectors.listing_get_public(listing.pk)


def test_a_refused_transition_names_the_action_in_words(
    supplier: Actor, operator: Actor, categories: Any, english: Any
) -> None:
    listing = draft(supplier, categories)
    with pytest.raises(InvalidTransition) as exc:
        services.listing_review_decide(actor=operator, listing_id=listing.pk, approve=True)
    assert "approve the listing" in str(exc.value.message)
    assert "“approve”" not in str(exc.value.message)


def test_whole_number_attributes(supplier: Actor, categories: Any, english: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.listing_create(
            actor=supplier,
            data=paper_input(categories, specs={"size": "A4", "weight_gsm": "70g", "sheets": "500.5"}),
        )
    assert "whole number" in str(exc.value.fields["spec_sheets"][0])


def _png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims ``width`` x ``height`` (Pillow reads the size from it)."""
    import struct
    import zlib

    data = bytearray(png_bytes())
    ihdr = 8 + 8  # signature, then length + type of the IHDR chunk
    data[ihdr : ihdr + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12 : ihdr + 13]))
    data[ihdr + 13 : ihdr + 17] = struct.pack(">I", crc)
    return bytes(data)


@pytest.mark.parametrize("side", [7000, 20000])
def test_a_too_large_image_says_it_is_too_large(supplier: Actor, categories: Any, side: int, english: Any) -> None:
    listing = services.listing_create(actor=supplier, data=paper_input(categories))
    with pytest.raises(ValidationFailed) as exc:
        services.listing_image_add(
            actor=supplier, listing_id=listing.pk, upload=upload("big.png", _png_claiming(side, side))
        )
    message = str(exc.value.fields["image"][0])
    assert "too large" in message
    assert "not a JPEG" not in message
