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


def test_demo_generates_listings_with_images_and_indexes_them(settings, media, categories):
    settings.ZHENGCAI_DEMO_LISTINGS = 60
    SupplierProfileFactory()
    SupplierProfileFactory()
    assert demo.seed_demo(actor=SYSTEM) == 60
    assert Listing.objects.count() == 60
    listed = Listing.objects.filter(status=ListingStatus.LISTED).count()
    assert ListingImage.objects.count() == 60
    image = ListingImage.objects.first()
    assert default_storage.exists(image.image.name)
    assert image.image.name.startswith("listings/demo/")
    assert len({i.image.name for i in ListingImage.objects.all()}) < 60  # pictures are shared
    assert search_listings(q="", filters=SearchFilters()).total == listed
    assert demo.seed_demo(actor=SYSTEM) == 0  # idempotent
    assert Listing.objects.count() == 60


def test_demo_without_suppliers_does_nothing(settings, categories):
    settings.ZHENGCAI_DEMO_LISTINGS = 10
    assert demo.seed_demo(actor=SYSTEM) == 0


def test_pictures_are_served_for_listed_products_only(settings, media, categories, client):
    from django.urls import reverse

    settings.ZHENGCAI_DEMO_LISTINGS = 30
    SupplierProfileFactory()
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
