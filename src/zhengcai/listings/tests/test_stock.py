"""Stock services for orders: take, return, count sales; refusals change nothing."""

from __future__ import annotations

from typing import Any

import pytest

from zhengcai.audit.models import AuditEvent
from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotFound, ValidationFailed
from zhengcai.listings import selectors, services
from zhengcai.listings.errors import NotOnSale, OutOfStock
from zhengcai.listings.states import ListingStatus
from zhengcai.listings.tests.factories import ListingFactory
from zhengcai.suppliers.models import SupplierProfile
from zhengcai.suppliers.states import SupplierStatus


@pytest.fixture
def listing(supplier_org: Any, categories: dict[str, Any]) -> Any:
    return ListingFactory(supplier=supplier_org, category=categories["office-paper"], stock=5, search_dirty=False)


def test_take_decrements_and_audits(listing: Any, purchaser: Actor) -> None:
    taken = services.stock_take(actor=purchaser, listing_id=listing.pk, quantity=3)
    assert taken.stock == 2
    listing.refresh_from_db()
    assert listing.stock == 2
    assert listing.search_dirty
    assert AuditEvent.objects.filter(action="listings.listing.stock_take", object_id=str(listing.pk)).exists()


def test_take_more_than_stock_is_refused_with_the_count(listing: Any, purchaser: Actor) -> None:
    with pytest.raises(OutOfStock) as exc:
        services.stock_take(actor=purchaser, listing_id=listing.pk, quantity=6)
    assert "5" in str(exc.value.message)
    assert exc.value.status == 409
    listing.refresh_from_db()
    assert listing.stock == 5


def test_chinese_message(listing: Any, purchaser: Actor) -> None:
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(OutOfStock) as exc:
        services.stock_take(actor=purchaser, listing_id=listing.pk, quantity=6)
    assert str(exc.value.message) == "库存不足：剩余 5 件"


@pytest.mark.parametrize("bad", [0, -1, "x", "1.5", None, True])
def test_bad_quantity(listing: Any, purchaser: Actor, bad: Any) -> None:
    with pytest.raises(ValidationFailed):
        services.stock_take(actor=purchaser, listing_id=listing.pk, quantity=bad)


def test_not_listed_or_supplier_suspended(listing: Any, purchaser: Actor) -> None:
    listing.status = ListingStatus.DELISTED
    listing.save()
    with pytest.raises(NotOnSale):
        services.stock_take(actor=purchaser, listing_id=listing.pk, quantity=1)
    listing.status = ListingStatus.LISTED
    listing.save()
    SupplierProfile.objects.filter(organisation_id=listing.supplier_id).update(status=SupplierStatus.SUSPENDED)
    with pytest.raises(NotOnSale):
        services.stock_take(actor=purchaser, listing_id=listing.pk, quantity=1)
    with pytest.raises(NotFound):
        selectors.listing_get_public(listing.pk)
    assert not selectors.listings_for_index([listing.pk]).exists()


def test_missing_listing(purchaser: Actor, regions: Any) -> None:
    with pytest.raises(NotFound):
        services.stock_take(actor=purchaser, listing_id=999999, quantity=1)


def test_return_and_sales(listing: Any, purchaser: Actor) -> None:
    services.stock_take(actor=purchaser, listing_id=listing.pk, quantity=5)
    listing.refresh_from_db()
    assert listing.stock == 0
    services.stock_return(actor=purchaser, listing_id=listing.pk, quantity=2)
    services.sales_add(actor=purchaser, listing_id=listing.pk, quantity=3)
    listing.refresh_from_db()
    assert (listing.stock, listing.sales_count) == (2, 3)


def test_index_selectors(listing: Any, supplier_org: Any, categories: Any) -> None:
    draft = ListingFactory(supplier=supplier_org, category=categories["office-paper"], status=ListingStatus.DRAFT)
    assert list(selectors.listings_for_index()) == [listing]
    assert list(selectors.listings_for_index([draft.pk])) == []
    assert set(selectors.listings_dirty_ids()) == {draft.pk}
    assert selectors.mark_indexed([draft.pk]) == 1
    assert selectors.listings_dirty_ids() == []
    assert selectors.listing_get_public(listing.pk) == listing
    with pytest.raises(NotFound):
        selectors.listing_get_public(draft.pk)


def test_categories_tree(categories: Any) -> None:
    roots = selectors.categories_tree()
    assert [r.category.code for r in roots] == ["office", "computers", "printing", "furniture", "appliances"]
    assert len(roots[0].children) == 3
    specs = selectors.category_specs(categories["office-paper"].pk)
    assert [s.key for s in specs] == ["size", "weight_gsm", "sheets"]
    assert specs[0].filterable
    assert specs[0].required
    assert specs[0].allowed_values == ["A4", "A3", "B5"]
    assert not specs[2].filterable
    assert specs[2].unit == "张"
    assert categories["computers-desktop"].catalogue_item.code == "A02010105"


def test_delivers_to() -> None:
    assert selectors.delivers_to(["330000"], "330802")
    assert selectors.delivers_to(["330800"], "330802")
    assert selectors.delivers_to(["330802"], "330802")
    assert not selectors.delivers_to(["330800"], "331000")
    assert not selectors.delivers_to([], "330802")
