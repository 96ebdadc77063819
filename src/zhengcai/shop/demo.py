"""Demo data for the shop (idempotent); called by ``web.demo.seed_demo`` after suppliers and listings.

Generates ``ZHENGCAI_DEMO_LISTINGS`` (default 10,000) realistic listings for the demo
suppliers with ``shop.generator``, gives each a picture drawn by ``shop.images`` (one file
per category and brand, shared), then rebuilds the search index.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.listings.models import Category, Listing, ListingImage
from zhengcai.shop import generator
from zhengcai.shop.images import product_image
from zhengcai.shop.indexer import IndexBusy, index_rebuild
from zhengcai.suppliers import selectors as supplier_selectors

logger = logging.getLogger(__name__)

DEFAULT_COUNT = 10_000
MARKER = "【演示】"  # ends the description of generated demo listings: how a re-run knows they exist
IMAGE_DIR = "listings/demo"


def demo_count() -> int:
    """The setting ``ZHENGCAI_DEMO_LISTINGS`` if there is one (tests), else the environment variable."""
    raw: Any = getattr(settings, "ZHENGCAI_DEMO_LISTINGS", None)
    if raw is None:
        raw = os.environ.get("ZHENGCAI_DEMO_LISTINGS", DEFAULT_COUNT)
    try:
        return max(0, int(raw))
    except (TypeError, ValueError):
        return DEFAULT_COUNT


def _image_names() -> dict[tuple[str, str], str]:
    """(category code, brand) -> stored file name, drawing the files that are missing."""
    names: dict[tuple[str, str], str] = {}
    english = dict(Category.objects.filter(code__in=list(generator.PRODUCTS)).values_list("code", "name_en"))
    for code, product in generator.PRODUCTS.items():
        for brand in product.brands:
            name = f"{IMAGE_DIR}/{code}-{generator.brand_slug(brand.en)}.png"
            if not default_storage.exists(name):
                data = product_image(code=code, brand=brand.en, label=english.get(code) or code)
                name = default_storage.save(name, ContentFile(data))
            names[(code, brand.cn)] = name
    return names


def seed_demo(*, actor: Actor) -> int:
    """Create the bulk demo listings unless they are there; return how many were created."""
    count = demo_count()
    if count == 0 or Listing.objects.filter(description__endswith=MARKER).exists():
        return 0
    suppliers = list(supplier_selectors.sellable_supplier_ids().order_by("organisation_id"))
    if not suppliers:
        logger.warning("Shop demo: no supplier may sell yet; no demo listings generated")
        return 0
    generator.ensure_categories()
    codes = {pk: code for code, pk in generator.leaf_categories().items()}
    created = generator.generate_listings(n=count, supplier_ids=suppliers, now=clock.now(), description_suffix=MARKER)
    images = _image_names()
    rows = Listing.objects.filter(description__endswith=MARKER, images__isnull=True).values_list(
        "pk", "category_id", "brand"
    )
    ListingImage.objects.bulk_create(
        (
            ListingImage(listing_id=pk, image=images[(codes[category_id], brand)], position=0)
            for pk, category_id, brand in rows.iterator(chunk_size=2000)
            if (codes.get(category_id), brand) in images
        ),
        batch_size=2000,
    )
    try:
        index_rebuild(threads=1)
    except IndexBusy:
        logger.warning("Shop demo: the search index is busy; the worker will index the demo listings")
    return created
