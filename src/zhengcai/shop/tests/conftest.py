"""A search index of its own for every test, and the agreed category tree."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from zhengcai.listings.models import Listing
from zhengcai.listings.tests.factories import ListingFactory
from zhengcai.shop.engine import reader
from zhengcai.shop.generator import ensure_categories
from zhengcai.shop.indexer import index_sync
from zhengcai.shop.selectors import forget_cached
from zhengcai.suppliers.states import EnterpriseSize
from zhengcai.suppliers.tests.factories import SupplierProfileFactory


@pytest.fixture(autouse=True)
def search_index_dir(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    reader.forget()
    forget_cached()
    yield settings.SEARCH_INDEX_DIR
    reader.forget()
    forget_cached()


@pytest.fixture
def categories(db: None) -> dict[str, Any]:
    from zhengcai.listings.models import Category

    ensure_categories()
    return {c.code: c for c in Category.objects.all()}


@pytest.fixture
def shelf(categories: dict[str, Any]) -> dict[str, Listing]:
    """A small shop: paper, a printer, an MFP, toner, a laptop, an air conditioner."""
    big = SupplierProfileFactory(size=EnterpriseSize.LARGE, sme_declared_at=None).organisation
    small = SupplierProfileFactory(size=EnterpriseSize.SMALL).organisation
    c = categories
    items = {
        "paper": ListingFactory(
            supplier=small, category=c["office-paper"], title="得力（deli）A4 复印纸 70g 500张/包 打印纸",
            brand="得力", model="DL-7401", specs={"size": "A4", "weight_gsm": "70g", "sheets": "500"},
            price=Decimal("25.00"), sales_count=50, delivery_regions=["330000"],
        ),
        "paper_a3": ListingFactory(
            supplier=big, category=c["office-paper"], title="齐心（Comix）A3 复印纸 80g 500张/包",
            brand="齐心", model="C4777", specs={"size": "A3", "weight_gsm": "80g", "sheets": "500"},
            price=Decimal("48.00"), sales_count=5, delivery_regions=["330802"],
        ),
        "mfp": ListingFactory(
            supplier=big, category=c["printing-mfp"], title="惠普（HP）LaserJet Pro M1136 黑白激光多功能一体机 A4",
            brand="惠普", model="LaserJet Pro M1136", specs={"type": "激光", "colour": "黑白", "paper_size": "A4"},
            price=Decimal("1599.00"), sales_count=30, delivery_regions=["330800"],
        ),
        "printer": ListingFactory(
            supplier=small, category=c["printing-printer"], title="联想（Lenovo）LJ2405 黑白激光打印机 A4",
            brand="联想", model="LJ2405", specs={"type": "激光", "colour": "黑白", "paper_size": "A4"},
            price=Decimal("899.00"), sales_count=80, delivery_regions=["330100"],
        ),
        "toner": ListingFactory(
            supplier=small, category=c["printing-toner"], title="格之格 NT-C388 硒鼓 适用惠普 M1136",
            brand="格之格", model="NT-C388", specs={"compatible": "惠普 M1136", "yield_pages": "1500"},
            price=Decimal("89.00"), sales_count=200, delivery_regions=["330000"],
        ),
        "laptop": ListingFactory(
            supplier=big, category=c["computers-laptop"], title="联想（Lenovo）ThinkPad E14 笔记本电脑",
            brand="联想", model="ThinkPad E14", specs={"cpu": "i5", "memory_gb": "16GB", "storage": "512GB"},
            price=Decimal("5299.00"), sales_count=10, delivery_regions=["330106"],
        ),
        "aircon": ListingFactory(
            supplier=small, category=c["appliances-aircon"], title="格力（GREE）KFR-35GW 1.5匹 壁挂式空调 一级能效",
            brand="格力", model="KFR-35GW", specs={"type": "壁挂式", "capacity": "1.5匹", "energy_grade": "一级"},
            price=Decimal("3299.00"), sales_count=3, delivery_regions=["330000"],
        ),
    }  # fmt: skip
    index_sync()
    return items
