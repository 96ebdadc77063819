"""Demo data for the shop (idempotent); called by ``web.demo.seed_demo`` after suppliers and listings.

Generates realistic listings with ``shop.generator`` so that ``ZHENGCAI_DEMO_LISTINGS``
(default 10,000) of them are listed (one in 20 more are delisted or drafts). Each demo
supplier sells only in its trade, read from its name (``generator.supplier_trade``: 办公用品
-> office supplies, 电脑/信息技术/网络 -> computers, 打印耗材/印务 -> printing, 家具 ->
furniture, 家电 -> appliances); suppliers of other trades (物业保洁, 医疗器械) get none, the
drinking-water company only water dispensers. Each listing gets a picture drawn by
``shop.images`` (one file per category and brand, shared), then the search index is rebuilt.
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
from zhengcai.shop import generator, selectors
from zhengcai.shop.images import product_image
from zhengcai.shop.indexer import IndexBusy, index_rebuild

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
    trades = {pk: generator.supplier_trade(name) for pk, name in selectors.supplier_choices()}
    suppliers = sorted(pk for pk, trade in trades.items() if trade)
    if not suppliers:
        logger.warning("Shop demo: no supplier of the e-mall's trades may sell yet; no demo listings generated")
        return 0
    generator.ensure_categories()
    codes = {pk: code for code, pk in generator.leaf_categories().items()}
    created = generator.generate_listings(
        n=generator.listings_for_listed(count),
        supplier_ids=suppliers,
        now=clock.now(),
        description_suffix=MARKER,
        trades=trades,
    )
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
