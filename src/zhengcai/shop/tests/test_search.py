from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zhengcai.listings.models import Listing
from zhengcai.listings.states import ListingStatus
from zhengcai.listings.tests.factories import ListingFactory
from zhengcai.shop.indexer import index_rebuild, index_sync
from zhengcai.shop.search import SearchFilters, covering_regions, search_listings
from zhengcai.shop.selectors import forget_cached
from zhengcai.suppliers.states import SupplierStatus

pytestmark = pytest.mark.django_db


def found(q: str = "", **kwargs: Any) -> list[int]:
    sort = kwargs.pop("sort", "relevance")
    return search_listings(q=q, filters=SearchFilters(**kwargs), sort=sort).ids


def test_one_character_query(shelf):
    assert set(found("纸")) == {shelf["paper"].pk, shelf["paper_a3"].pk}


def test_two_character_queries(shelf):
    assert found("硒鼓") == [shelf["toner"].pk]
    # 打印纸 and 打印机 in titles; the MFP and the toner through their category 打印设备及耗材.
    assert set(found("打印")) == {shelf["paper"].pk, shelf["printer"].pk, shelf["mfp"].pk, shelf["toner"].pk}
    assert found("打印")[0] in {shelf["paper"].pk, shelf["printer"].pk}  # title matches first
    assert found("空调") == [shelf["aircon"].pk]


def test_model_numbers(shelf):
    assert set(found("M1136")) == {shelf["mfp"].pk, shelf["toner"].pk}
    assert found("m1136", category="printing-mfp") == [shelf["mfp"].pk]
    assert found("LJ2405") == [shelf["printer"].pk]
    assert found("DL7401") == [shelf["paper"].pk]  # written without the hyphen
    assert found("DL-7401") == [shelf["paper"].pk]
    assert shelf["paper_a3"].pk not in found("A4")


def test_mixed_queries_require_every_term(shelf):
    assert found("A4 打印纸") == [shelf["paper"].pk]
    # Both titles hold 惠普 and M1136: the MFP itself and the toner made for it.
    assert set(found("惠普 M1136")) == {shelf["mfp"].pk, shelf["toner"].pk}
    assert found("惠普 空调") == []


def test_brand_and_title_matches_rank_above_other_matches(shelf):
    ids = found("惠普")
    assert ids[0] == shelf["mfp"].pk
    assert shelf["toner"].pk in ids


def test_category_filter_covers_the_subtree(shelf):
    assert set(found(category="printing")) == {shelf["mfp"].pk, shelf["printer"].pk, shelf["toner"].pk}
    assert set(found(category="office-paper")) == {shelf["paper"].pk, shelf["paper_a3"].pk}
    assert found("空调", category="printing") == []


def test_attribute_filters(shelf):
    assert found(category="office-paper", attributes={"size": ["A4"]}) == [shelf["paper"].pk]
    assert set(found(attributes={"size": ["A4", "A3"]})) == {shelf["paper"].pk, shelf["paper_a3"].pk}
    assert found(attributes={"size": ["A4"], "weight_gsm": ["80g"]}) == []


def test_price_range(shelf):
    assert set(found(price_min=Decimal("80"), price_max=Decimal("1000"))) == {shelf["printer"].pk, shelf["toner"].pk}
    assert found("纸", price_max=Decimal("30")) == [shelf["paper"].pk]
    assert found("纸", price_min=Decimal("25.00"), price_max=Decimal("25.00")) == [shelf["paper"].pk]


def test_region_matches_listings_delivering_to_the_region_or_above_it(shelf):
    assert covering_regions("330802") == ["330802", "330800", "330000"]
    ids = set(found(region="330802"))
    # 330802 itself, 330800 (its city), 330000 (the province); not Hangzhou's 330100 / 330106.
    assert ids == {shelf["paper"].pk, shelf["paper_a3"].pk, shelf["mfp"].pk, shelf["toner"].pk, shelf["aircon"].pk}
    assert set(found(region="330106")) == {
        shelf["paper"].pk,
        shelf["toner"].pk,
        shelf["aircon"].pk,
        shelf["laptop"].pk,
        shelf["printer"].pk,
    }  # fmt: skip  (the printer delivers to all of Hangzhou, 330100)
    assert set(found(region="330000")) == {shelf["paper"].pk, shelf["toner"].pk, shelf["aircon"].pk}


def test_supplier_and_sme_filters(shelf):
    small = shelf["paper"].supplier_id
    assert set(found(supplier_id=small)) == {
        shelf["paper"].pk, shelf["printer"].pk, shelf["toner"].pk, shelf["aircon"].pk,
    }  # fmt: skip
    assert set(found(sme_only=True)) == set(found(supplier_id=small))
    assert found("联想", sme_only=True) == [shelf["printer"].pk]


def test_sorting(shelf):
    assert found("纸", sort="price_asc") == [shelf["paper"].pk, shelf["paper_a3"].pk]
    assert found("纸", sort="price_desc") == [shelf["paper_a3"].pk, shelf["paper"].pk]
    assert found(category="printing", sort="sales") == [shelf["toner"].pk, shelf["printer"].pk, shelf["mfp"].pk]
    assert found("纸", sort="nonsense") == found("纸")
    # No words: relevance means best selling.
    assert found(category="printing") == found(category="printing", sort="sales")


def test_result_carries_total_facets_scores_and_pages(shelf):
    result = search_listings(q="", filters=SearchFilters(), per_page=2, page=2)
    assert result.total == 7
    assert len(result.ids) == 2
    assert result.pages == 4
    assert result.facets["printing"] == 3
    assert result.facets["office-paper"] == 2
    assert result.facets["office"] == 2
    scored = search_listings(q="纸", filters=SearchFilters())
    assert all(hit.score and hit.score > 0 for hit in scored.hits)
    assert scored.took_ms >= 0
    assert search_listings(q="", filters=SearchFilters(), page=10_000).ids == []


def test_suspended_supplier_is_hidden_at_once_and_back_when_reinstated(shelf):
    profile = shelf["printer"].supplier.supplier_profile
    profile.status = SupplierStatus.SUSPENDED
    profile.save()
    forget_cached()  # the supplier sets are kept SUPPLIER_SETS_TTL seconds per process
    assert found("LJ2405") == []
    assert shelf["toner"].pk not in found("硒鼓")
    profile.status = SupplierStatus.APPROVED
    profile.save()
    forget_cached()
    assert found("LJ2405") == [shelf["printer"].pk]


def test_delisted_listing_leaves_the_index_after_sync(shelf):
    Listing.objects.filter(pk=shelf["laptop"].pk).update(status=ListingStatus.DELISTED, search_dirty=True)
    assert found("笔记本") == [shelf["laptop"].pk]  # until the indexer runs
    assert index_sync() == 1
    assert found("笔记本") == []
    assert not Listing.objects.filter(search_dirty=True).exists()


def test_changed_listing_is_reindexed(shelf):
    Listing.objects.filter(pk=shelf["aircon"].pk).update(
        title="美的 立式空调 3匹", brand="美的", model="KFR-72LW", price=Decimal("6999"), search_dirty=True
    )
    index_sync()
    assert found("格力") == []
    assert found("美的 空调") == [shelf["aircon"].pk]
    assert found("空调", price_min=Decimal("5000")) == [shelf["aircon"].pk]


def test_unlisted_listings_are_never_indexed(categories):
    ListingFactory(category=categories["office-pens"], title="晨光中性笔", status=ListingStatus.PENDING_REVIEW)
    ListingFactory(category=categories["office-pens"], title="晨光中性笔 黑色", status=ListingStatus.DRAFT)
    index_sync()
    assert found("中性笔") == []


def test_rebuild_recreates_every_document(shelf):
    report = index_rebuild(threads=1)
    assert report.documents == 7
    assert report.size_bytes > 0
    assert found("硒鼓") == [shelf["toner"].pk]


def test_sync_in_batches(categories):
    for i in range(7):
        ListingFactory(category=categories["office-pens"], title=f"晨光中性笔 {i}号")
    assert index_sync(batch=3) == 7
    assert len(found("中性笔")) == 7


def test_no_index_yet_means_no_results(db):
    result = search_listings(q="纸", filters=SearchFilters())
    assert result.total == 0
    assert result.ids == []


def test_search_rebuild_command(shelf):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("search_rebuild", threads=1, stdout=out)
    assert "7 documents" in out.getvalue()
    Listing.objects.filter(pk=shelf["paper"].pk).update(status=ListingStatus.DELISTED, search_dirty=True)
    call_command("search_rebuild", sync=True, stdout=out)
    assert "1 changed" in out.getvalue()
    assert shelf["paper"].pk not in found("纸")


def test_sweeper_skips_when_a_rebuild_holds_the_writer(shelf):
    from zhengcai.shop.engine import open_for_writing
    from zhengcai.shop.indexer import search_index_sweep

    Listing.objects.filter(pk=shelf["paper"].pk).update(search_dirty=True)
    writer = open_for_writing().writer(heap_size=15_000_000, num_threads=1)
    try:
        assert search_index_sweep() == 0
        assert Listing.objects.filter(search_dirty=True).count() == 1  # still flagged for the next sweep
    finally:
        writer.rollback()
        del writer
    assert search_index_sweep() == 1
