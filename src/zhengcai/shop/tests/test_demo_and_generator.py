from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from zhengcai.core.actor import SYSTEM
from zhengcai.listings.models import Category, Listing, ListingImage
from zhengcai.listings.states import ListingStatus
from zhengcai.shop import demo, generator
from zhengcai.shop.search import SearchFilters, search_listings
from zhengcai.suppliers.tests.factories import SupplierProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "media")}},
    }
    return tmp_path / "media"


def test_ensure_categories_builds_the_agreed_tree_once(db):
    assert generator.ensure_categories() == 21
    assert generator.ensure_categories() == 0
    paper = Category.objects.get(code="office-paper")
    assert paper.parent.code == "office"
    specs = {s.key: s for s in paper.specs.all()}
    assert specs["size"].allowed_values == ["A4", "A3", "B5"]
    assert specs["size"].filterable
    assert not specs["sheets"].filterable
    assert specs["sheets"].unit == "张"


def test_generator_is_deterministic_and_follows_the_templates(categories):
    suppliers = [SupplierProfileFactory().organisation_id for _ in range(3)]
    leafs = generator.leaf_categories()
    now = timezone.now()
    first = list(generator.listing_objects(n=200, seed=7, supplier_ids=suppliers, categories=leafs, now=now))
    again = list(generator.listing_objects(n=200, seed=7, supplier_ids=suppliers, categories=leafs, now=now))
    assert [x.title for x in first] == [x.title for x in again]
    assert {x.category_id for x in first} == set(leafs.values())  # every leaf category is used
    by_id = {pk: code for code, pk in leafs.items()}
    for listing in first:
        category = Category.objects.get(pk=listing.category_id)
        required = {s.key for s in category.specs.all() if s.required}
        assert required <= set(listing.specs), (by_id[listing.category_id], listing.specs)
        for spec in category.specs.filter(kind="choice"):
            if spec.key in listing.specs:
                assert listing.specs[spec.key] in spec.allowed_values
        assert listing.price > 0
        assert listing.reference_price >= listing.price
        assert listing.delivery_regions
    assert generator.generate_listings(n=120, supplier_ids=suppliers, now=now, batch=50) == 120
    assert Listing.objects.count() == 120


def _trader(name: str) -> int:
    return SupplierProfileFactory(organisation__name=name).organisation_id


def test_demo_generates_listings_with_images_and_indexes_them(settings, media, categories):
    settings.ZHENGCAI_DEMO_LISTINGS = 60
    _trader("衢州市恒信办公用品有限公司")
    _trader("浙江华越电脑科技有限公司")
    created = demo.seed_demo(actor=SYSTEM)
    assert created == Listing.objects.count() == 63  # 60 listed, one in 20 more delisted or drafts
    listed = Listing.objects.filter(status=ListingStatus.LISTED).count()
    assert listed >= 60
    assert ListingImage.objects.count() == 63
    image = ListingImage.objects.first()
    assert default_storage.exists(image.image.name)
    assert image.image.name.startswith("listings/demo/")
    assert len({i.image.name for i in ListingImage.objects.all()}) < 60  # pictures are shared
    assert search_listings(q="", filters=SearchFilters()).total == listed
    assert demo.seed_demo(actor=SYSTEM) == 0  # idempotent
    assert Listing.objects.count() == 63


def test_demo_suppliers_sell_only_in_their_trade(settings, media, categories):
    settings.ZHENGCAI_DEMO_LISTINGS = 400
    office = _trader("衢州市恒信办公用品有限公司")
    computers = _trader("杭州云启信息技术有限公司")
    printing = _trader("衢州市鑫盛印务有限公司")
    furniture = _trader("浙江森雅家具制造有限公司")
    appliances = _trader("衢州市惠民家电销售有限公司")
    water = _trader("开化县清泉饮用水有限公司")
    cleaning = _trader("常山县绿源物业保洁服务有限公司")
    medical = _trader("衢州市安达医疗器械有限公司")
    demo.seed_demo(actor=SYSTEM)
    assert Listing.objects.filter(status=ListingStatus.LISTED).count() >= 400
    roots = {
        office: "office", computers: "computers", printing: "printing", furniture: "furniture",
        appliances: "appliances", water: "appliances-water-dispenser",
    }  # fmt: skip
    for supplier_id, code in Listing.objects.values_list("supplier_id", "category__code").distinct():
        assert supplier_id in roots, code
        assert code == roots[supplier_id] or code.startswith(roots[supplier_id] + "-"), (supplier_id, code)
    assert not Listing.objects.filter(supplier_id__in=[cleaning, medical]).exists()
    assert Listing.objects.filter(supplier_id=water).exists()


def test_generated_products_are_possible():
    for trade, name in [(("office",), "龙游县精诚文化用品有限公司"), (("computers",), "浙江智联网络设备有限公司")]:
        assert generator.supplier_trade(name) == trade
    assert generator.supplier_trade("衢州市安达医疗器械有限公司") == ()


def test_consumables_fit_their_printers_and_colours(categories):
    suppliers = [SupplierProfileFactory().organisation_id]
    leafs = generator.leaf_categories()
    rows = list(generator.listing_objects(n=1500, seed=3, supplier_ids=suppliers, categories=leafs, now=timezone.now()))
    by_code = {pk: code for code, pk in leafs.items()}
    toners = [x for x in rows if by_code[x.category_id] == "printing-toner"]
    inks = [x for x in rows if by_code[x.category_id] == "printing-ink"]
    assert toners
    assert inks
    for item in toners:
        printers, colours = generator.TONER_FIT[item.model]
        assert item.specs["compatible"] in printers
        assert item.specs["colour"] in colours
        if item.model in {"CC388A", "W1110A", "CE285A", "NT-C388", "PR-388A", "YJ-388A"}:
            assert item.specs["colour"] == "黑色"
        if item.brand in {"惠普", "联想", "奔图", "兄弟"}:
            assert item.specs["compatible"].startswith(item.brand), item.title  # a brand's own printers
    assert {x.specs["colour"] for x in toners} > {"黑色"}  # colour toners exist too
    for item in inks:
        assert item.specs["compatible"] in generator.INK_FIT[item.model][0]
    for item in rows:
        assert not {":", "："} & set(item.title), item.title  # no spec text in titles
    assert any("带扶手" in x.title or "无扶手" in x.title for x in rows)


def test_demo_without_suppliers_does_nothing(settings, categories):
    settings.ZHENGCAI_DEMO_LISTINGS = 10
    assert demo.seed_demo(actor=SYSTEM) == 0
    SupplierProfileFactory(organisation__name="衢州市安达医疗器械有限公司")  # no e-mall trade
    assert demo.seed_demo(actor=SYSTEM) == 0


def test_pictures_are_served_for_listed_products_only(settings, media, categories, client):
    from django.urls import reverse

    settings.ZHENGCAI_DEMO_LISTINGS = 30
    _trader("衢州市鑫盛印务有限公司")
    demo.seed_demo(actor=SYSTEM)
    listed = ListingImage.objects.filter(listing__status=ListingStatus.LISTED).first()
    response = client.get(reverse("shop:image", args=[listed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    page = client.get(reverse("shop:listing", args=[listed.listing_id]))
    assert reverse("shop:image", args=[listed.pk]).encode() in page.content
    Listing.objects.filter(pk=listed.listing_id).update(status=ListingStatus.DELISTED)
    assert client.get(reverse("shop:image", args=[listed.pk])).status_code == 404
    assert client.get(reverse("shop:image", args=[999999])).status_code == 404
