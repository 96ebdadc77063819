"""Generated product pictures for demo listings (no network, no packaged photos).

A coloured card with the category name, the brand and the model. Chinese text needs a CJK
font (fonts-wqy-microhei on CI); without one the card shows the English category name.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)
LATIN_FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",)

# Card colours by top-level category code.
COLOURS = {
    "office": (52, 120, 190),
    "computers": (40, 40, 60),
    "printing": (150, 60, 120),
    "furniture": (140, 100, 60),
    "appliances": (30, 140, 110),
}


@functools.cache
def _font_path(*, cjk: bool) -> str | None:
    for path in CJK_FONTS if cjk else LATIN_FONTS:
        if Path(path).exists():
            return path
    return None


def _font(size: int, *, cjk: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = _font_path(cjk=cjk)
    if path is not None:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def has_cjk_font() -> bool:
    return _font_path(cjk=True) is not None


def product_card(
    *, name: str, name_en: str, brand: str, model: str, group: str = "", size: int = 480, fmt: str = "PNG"
) -> bytes:
    """The picture as bytes (PNG by default; JPEG and WEBP too)."""
    colour = COLOURS.get(group, (80, 90, 110))
    img = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(img)
    margin = size // 12
    draw.rounded_rectangle(
        (margin, margin, size - margin, size - margin),
        radius=size // 20,
        outline=(255, 255, 255),
        width=max(size // 120, 2),
    )
    cjk = has_cjk_font()
    title = name if cjk else (name_en or name)
    lines = [
        (title, _font(size // 9, cjk=cjk)),
        (brand if cjk else "", _font(size // 14, cjk=cjk)),
        (model, _font(size // 12, cjk=False)),
    ]
    y = size // 3
    for text, font in lines:
        if not text:
            continue
        width = draw.textlength(text, font=font)
        draw.text(((size - width) / 2, y), text, fill=(255, 255, 255), font=font)
        y += int(getattr(font, "size", size // 12) * 1.6)
    out = io.BytesIO()
    img.save(out, format=fmt)
    return out.getvalue()
