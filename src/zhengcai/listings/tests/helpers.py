"""Test helpers: a valid product input and an image."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from zhengcai.listings.models import Category
from zhengcai.listings.services import ListingInput


def paper_input(categories: dict[str, Category], **overrides: Any) -> ListingInput:
    data: dict[str, Any] = {
        "category_id": categories["office-paper"].pk,
        "title": "得力 A4 复印纸 70g 500张/包",
        "brand": "得力",
        "model": "DL-7050",
        "specs": {"size": "A4", "weight_gsm": "70g", "sheets": "500"},
        "description": "整箱8包，适合激光和喷墨打印机。",
        "unit": "包",
        "price": "24.50",
        "reference_price": "26.90",
        "reference_source": "ecommerce",
        "reference_url": "https://example.com/item/1",
        "stock": "100",
        "delivery_regions": ["330000"],
    }
    data.update(overrides)
    return ListingInput(**data)


def png_bytes(size: tuple[int, int] = (40, 30), fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def upload(name: str = "a.png", data: bytes | None = None, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else png_bytes(), content_type=content_type)
