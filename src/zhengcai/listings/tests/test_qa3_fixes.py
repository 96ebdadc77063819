"""QA round 3 on listings: step-wise rises on listings without an approved price, the
supplier's region on operator events, duplicates are the same product (specs too), the
operator's reasons in the supplier's notification."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from zhengcai.audit.models import AuditEvent
from zhengcai.core.actor import Actor
from zhengcai.core.errors import ValidationFailed
from zhengcai.listings import services
from zhengcai.listings.models import Category, Listing, PriceChange
from zhengcai.listings.states import ListingStatus
from zhengcai.listings.tests.helpers import paper_input, upload
from zhengcai.notify.models import OutboxMessage

pytestmark = pytest.mark.django_db


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


# -- 1: step-wise rises when the approved price is missing (bulk-generated listings) ----------


def test_step_wise_rises_add_up_without_a_reviewed_price(supplier: Actor, operator: Actor, categories: Any) -> None:
    listing = listed(supplier, operator, categories, price="20.00")
    Listing.objects.filter(pk=listing.pk).update(reviewed_price=None)  # as the generated demo had it
    services.listing_price_change(actor=supplier, listing_id=listing.pk, price="21.50")  # +7.5%: at once
    listing.refresh_from_db()
    assert listing.status == ListingStatus.LISTED
    assert listing.reviewed_price == Decimal("20.00")  # pinned at the first change
    services.listing_price_change(actor=supplier, listing_id=listing.pk, price="22.50")  # +12.5% overall
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PENDING_REVIEW


def test_without_a_reviewed_price_the_price_when_listed_is_the_base(
    supplier: Actor, operator: Actor, categories: Any
) -> None:
    listing = listed(supplier, operator, categories, price="20.00")
    services.listing_price_change(actor=supplier, listing_id=listing.pk, price="21.50")
    # Older data: the approved price lost, the history still tells the price when listed.
    Listing.objects.filter(pk=listing.pk).update(reviewed_price=None)
    PriceChange.objects.filter(listing=listing, old_price=None).update(
        changed_at=listing.listed_at - dt.timedelta(days=1)
    )
    services.listing_price_change(actor=supplier, listing_id=listing.pk, price="22.50")  # +4.7% on 21.50
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PENDING_REVIEW
    assert PriceChange.objects.filter(listing=listing, new_price=Decimal("22.50"), needs_review=True).exists()


def test_the_migration_backfills_the_approved_price() -> None:
    from importlib import import_module

    from django.apps import apps

    from zhengcai.listings.tests.factories import ListingFactory

    on_sale = ListingFactory(reviewed_price=None, price=Decimal("30.00"))
    off = ListingFactory(reviewed_price=None, status=ListingStatus.DELISTED, price=Decimal("12.00"))
    unsent = ListingFactory(reviewed_price=None, status=ListingStatus.DRAFT)
    import_module("zhengcai.listings.migrations.0004_backfill_reviewed_price").backfill_reviewed_price(apps, None)
    prices = dict(Listing.objects.values_list("pk", "reviewed_price"))
    assert prices[on_sale.pk] == Decimal("30.00")
    assert prices[off.pk] == Decimal("12.00")
    assert prices[unsent.pk] is None


# -- 3: the operator's actions on a listing belong to the supplier's region --------------------


def test_operator_events_carry_the_suppliers_region(supplier: Actor, operator: Actor, categories: Any) -> None:
    listing = listed(supplier, operator, categories)
    services.listing_delist(actor=operator, listing_id=listing.pk, reason="资质过期")
    events = AuditEvent.objects.filter(object_id=str(listing.pk), action__startswith="listings.listing.")
    by_action = {e.action: e.region_code for e in events}
    assert by_action["listings.listing.approve"] == "330802"
    assert by_action["listings.listing.delist"] == "330802"
    assert by_action["listings.listing.submit"] == "330802"


# -- 4: a duplicate is the same product, specs included; relisting works ----------------------


def test_variants_are_not_duplicates_and_a_listing_is_not_its_own(
    supplier: Actor, operator: Actor, categories: Any
) -> None:
    a4 = listed(supplier, operator, categories)
    a3 = draft(supplier, categories, specs={"size": "A3", "weight_gsm": "70g", "sheets": "500"})
    services.listing_submit(actor=supplier, listing_id=a3.pk)  # a size variant: another product
    services.listing_review_decide(actor=operator, listing_id=a3.pk, approve=True)
    same = draft(supplier, categories)
    with pytest.raises(ValidationFailed) as exc:
        services.listing_submit(actor=supplier, listing_id=same.pk)
    assert a4.number in str(exc.value.message)
    assert a3.number not in str(exc.value.message)
    services.listing_delist(actor=operator, listing_id=a3.pk, reason="图片不清晰")
    services.listing_relist(actor=supplier, listing_id=a3.pk)
    a3.refresh_from_db()
    assert a3.status == ListingStatus.PENDING_REVIEW


# -- 5: the operator's reasons reach the supplier ---------------------------------------------


def test_delist_notification_carries_the_reason(supplier: Actor, operator: Actor, categories: Any) -> None:
    listing = listed(supplier, operator, categories)
    services.listing_delist(actor=operator, listing_id=listing.pk, reason="资质过期")
    message = OutboxMessage.objects.filter(subject__contains=listing.title).order_by("-pk").first()
    assert message is not None
    assert "资质过期" in message.body


# -- 5: pages -------------------------------------------------------------------------------


def _client(actor: Actor) -> Any:
    from zhengcai.listings.tests.test_views import client_for

    return client_for(actor)


def test_a_listing_in_a_deactivated_category_says_so_to_the_supplier(
    supplier: Actor, operator: Actor, categories: Any
) -> None:
    from django.urls import reverse

    listing = listed(supplier, operator, categories)
    Category.objects.filter(pk=listing.category_id).update(is_active=False)
    client = _client(supplier)
    detail = client.get(reverse("listings:detail", args=[listing.pk])).content.decode()
    assert 'data-testid="category-inactive"' in detail
    assert "已上架，但已隐藏：类目已停用" in detail
    assert 'aria-label="当前位置"' in detail
    mine = client.get(reverse("listings:mine")).content.decode()
    assert "已上架，但已隐藏：类目已停用" in mine


def test_the_operator_goes_from_the_product_page_to_its_back_office_page(
    supplier: Actor, operator: Actor, categories: Any
) -> None:
    from django.test import Client
    from django.urls import reverse

    listing = listed(supplier, operator, categories)
    manage = reverse("listings:review_detail", args=[listing.pk])
    page = reverse("shop:listing", args=[listing.pk])
    assert manage in _client(operator).get(page).content.decode()
    assert manage not in Client().get(page).content.decode()


def test_the_english_search_placeholder_has_no_chinese_examples(categories: Any) -> None:
    import re

    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.cookies["django_language"] = "en"
    html = client.get(reverse("shop:home")).content.decode()
    placeholder = re.search(r'id="shop-q"[^>]*placeholder="([^"]*)"', html)
    assert placeholder is not None
    assert placeholder.group(1) == "Product, brand or model number, e.g. toner, HP M1136"
