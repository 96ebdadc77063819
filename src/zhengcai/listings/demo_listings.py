"""Hand-made demo listings of the demo suppliers, in every status (the bulk comes from the shop).

Created through the services as the suppliers themselves and decided by the platform as the
operator, so check results, price history and the audit trail are real. Per supplier:
several listed products; three awaiting review (one with the informational duplicate
check failing: the same paper as another supplier's); one rejected; one delisted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from zhengcai.accounts.models import Membership
from zhengcai.accounts.selectors import actor_from_membership
from zhengcai.core.actor import Actor
from zhengcai.listings import services
from zhengcai.listings.demo_images import product_card
from zhengcai.listings.models import Category, Listing
from zhengcai.suppliers import selectors as supplier_selectors

OFFICE = "衢州市恒信办公用品有限公司"
COMPUTERS = "浙江华越电脑科技有限公司"
PRINTING = "衢州市墨彩打印耗材有限公司"


@dataclass(frozen=True)
class DemoListing:
    supplier: str
    category: str
    title: str
    brand: str
    model: str
    specs: dict[str, str]
    price: str
    reference: str
    source: str = "ecommerce"
    unit: str = "件"
    stock: int = 200
    description: str = ""
    outcome: str = "listed"  # listed | pending | rejected | delisted
    reason: str = ""
    regions: list[str] = field(default_factory=lambda: ["330000"])


DEMO_LISTINGS: tuple[DemoListing, ...] = (
    # -- office supplies ----------------------------------------------------------------
    DemoListing(
        OFFICE,
        "office-paper",
        "得力 A4 复印纸 70g 500张/包 8包/箱",
        "得力",
        "DL-7057",
        {"size": "A4", "weight_gsm": "70g", "sheets": "500"},
        "189.00",
        "199.00",
        unit="箱",
        stock=500,
        description="高白度，双面打印不卡纸；整箱 8 包。",
    ),
    DemoListing(
        OFFICE,
        "office-paper",
        "得力 A3 复印纸 80g 500张/包 5包/箱",
        "得力",
        "DL-8035",
        {"size": "A3", "weight_gsm": "80g", "sheets": "500"},
        "245.00",
        "259.00",
        unit="箱",
        stock=120,
    ),
    DemoListing(
        OFFICE,
        "office-pens",
        "晨光 中性笔 0.5mm 黑色 12支/盒",
        "晨光",
        "AGPA1701",
        {"type": "中性笔", "colour": "黑色", "pack": "12"},
        "18.50",
        "19.90",
        unit="盒",
        stock=800,
    ),
    DemoListing(
        OFFICE,
        "office-filing",
        "得力 档案盒 A4 55mm 蓝色 10个/包",
        "得力",
        "5603",
        {"type": "档案盒", "material": "PP 塑料"},
        "39.00",
        "42.00",
        unit="包",
        outcome="pending",
    ),
    DemoListing(
        OFFICE,
        "office-filing",
        "得力 长尾夹 25mm 黑色 48只/筒",
        "得力",
        "9546",
        {"type": "长尾夹", "material": "金属"},
        "9.90",
        "11.50",
        unit="筒",
        outcome="delisted",
    ),
    DemoListing(
        OFFICE,
        "furniture-chair",
        "人体工学网布办公椅 带扶手",
        "恒信",
        "HX-C02",
        {"material": "网布", "armrest": "有"},
        "420.00",
        "460.00",
        source="official",
        unit="把",
        outcome="rejected",
        reason="图片与商品不符，请上传实物图片并补充承重参数。",
    ),
    # -- computers ------------------------------------------------------------------------
    DemoListing(
        COMPUTERS,
        "computers-desktop",
        "联想 启天 M437 台式计算机 i5/16G/512G",
        "联想",
        "M437",
        {"cpu": "Intel 酷睿 i5-12500", "memory_gb": "16GB", "storage": "512GB SSD", "os": "统信 UOS"},
        "4599.00",
        "4999.00",
        source="official",
        unit="台",
        stock=60,
    ),
    DemoListing(
        COMPUTERS,
        "computers-laptop",
        "联想 ThinkPad E14 便携式计算机 i5/16G/512G",
        "联想",
        "ThinkPad E14",
        {"cpu": "Intel 酷睿 i5-1335U", "memory_gb": "16GB", "storage": "512GB SSD", "screen_in": "14"},
        "5299.00",
        "5699.00",
        source="official",
        unit="台",
        stock=40,
    ),
    DemoListing(
        COMPUTERS,
        "computers-monitor",
        "戴尔 P2422H 23.8英寸 IPS 显示器",
        "戴尔",
        "P2422H",
        {"screen_in": "23.8", "resolution": "1920×1080"},
        "1199.00",
        "1299.00",
        unit="台",
        stock=80,
    ),
    DemoListing(
        COMPUTERS,
        "computers-laptop",
        "华为 MateBook D 14 便携式计算机 i5/16G/512G",
        "华为",
        "MateBook D 14",
        {"cpu": "Intel 酷睿 i5-12450H", "memory_gb": "16GB", "storage": "512GB SSD", "screen_in": "14"},
        "4299.00",
        "4699.00",
        source="official",
        unit="台",
        outcome="pending",
    ),
    # -- printing -------------------------------------------------------------------------
    DemoListing(
        PRINTING,
        "printing-mfp",
        "惠普 LaserJet Pro M1136 黑白激光多功能一体机",
        "惠普",
        "M1136",
        {"type": "激光", "colour": "黑白", "paper_size": "A4", "functions": "打印/复印/扫描"},
        "1399.00",
        "1499.00",
        source="official",
        unit="台",
        stock=30,
    ),
    DemoListing(
        PRINTING,
        "printing-toner",
        "惠普 88A 黑色硒鼓 CC388A",
        "惠普",
        "CC388A",
        {"compatible": "M1136, M1213nf, P1007", "yield_pages": "1500", "colour": "黑色"},
        "429.00",
        "459.00",
        source="official",
        unit="支",
        stock=300,
    ),
    DemoListing(
        PRINTING,
        "printing-printer",
        "兄弟 HL-2260 黑白激光打印机",
        "兄弟",
        "HL-2260",
        {"type": "激光", "colour": "黑白", "paper_size": "A4", "duplex": "否"},
        "899.00",
        "999.00",
        unit="台",
        stock=25,
    ),
    DemoListing(
        PRINTING,
        "printing-ink",
        "佳能 PG-845 黑色墨盒",
        "佳能",
        "PG-845",
        {"compatible": "MG2580S, MG3080, TS3180", "colour": "黑色"},
        "89.00",
        "99.00",
        unit="支",
        stock=400,
    ),
    # The same paper as the office supplier lists: the duplicate check informs the reviewer.
    DemoListing(
        PRINTING,
        "office-paper",
        "得力 A4 复印纸 70g 500张/包 8包/箱（整箱）",
        "得力",
        "DL-7057",
        {"size": "A4", "weight_gsm": "70g", "sheets": "500"},
        "185.00",
        "199.00",
        unit="箱",
        outcome="pending",
    ),
)


def _supplier_actor(org_name: str) -> Actor | None:
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(organisation__name=org_name, is_active=True)
        .order_by("pk")
        .first()
    )
    if membership is None or not supplier_selectors.supplier_may_sell(membership.organisation_id):
        return None
    return actor_from_membership(membership.user, membership)


def _image(category: Category, d: DemoListing) -> SimpleUploadedFile:
    group = category.parent.code if category.parent else category.code
    data = product_card(name=category.name, name_en=category.name_en, brand=d.brand, model=d.model, group=group)
    return SimpleUploadedFile(f"{d.model}.png", data, content_type="image/png")


def _create(actor: Actor, operator: Actor, d: DemoListing) -> None:
    category = Category.objects.select_related("parent").get(code=d.category)
    data = services.ListingInput(
        category_id=category.pk,
        title=d.title,
        brand=d.brand,
        model=d.model,
        specs=dict(d.specs),
        description=d.description or d.title,
        unit=d.unit,
        price=d.price,
        reference_price=d.reference,
        reference_source=d.source,
        stock=d.stock,
        delivery_regions=list(d.regions),
    )
    listing = services.listing_create(actor=actor, data=data)
    services.listing_image_add(actor=actor, listing_id=listing.pk, upload=_image(category, d))
    services.listing_submit(actor=actor, listing_id=listing.pk)
    if d.outcome == "pending":
        return
    approve = d.outcome != "rejected"
    services.listing_review_decide(actor=operator, listing_id=listing.pk, approve=approve, reasons=d.reason)
    if d.outcome == "delisted":
        services.listing_delist(actor=actor, listing_id=listing.pk)


def seed_listings(*, actor: Actor) -> int:
    """Create the demo listings that are missing (by supplier and model); ``actor`` decides reviews."""
    created = 0
    actors: dict[str, Any] = {}
    # Listed ones first, so the pending duplicate finds the other supplier's listed paper.
    ordered = sorted(DEMO_LISTINGS, key=lambda d: d.outcome == "pending")
    with transaction.atomic():
        for d in ordered:
            if d.supplier not in actors:
                actors[d.supplier] = _supplier_actor(d.supplier)
            supplier = actors[d.supplier]
            if supplier is None:
                continue
            if Listing.objects.filter(supplier_id=supplier.organisation_id, model=d.model, brand=d.brand).exists():
                continue
            _create(supplier, actor, d)
            created += 1
    return created
