"""Product pictures for demo listings, drawn with Pillow (no network, no packaged photos).

One picture per (category, brand): a tinted card with a simple pictogram of the product
kind, the brand and the category in Latin letters (the image needs no CJK font).
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

SIZE = 480
# Category code prefix -> (background, accent) colours.
PALETTE = {
    "office": ("#eef6ff", "#1d4ed8"),
    "computers": ("#f1f5f9", "#0f172a"),
    "printing": ("#fff7ed", "#c2410c"),
    "furniture": ("#f0fdf4", "#15803d"),
    "appliances": ("#fdf4ff", "#a21caf"),
}


def _shape(draw: ImageDraw.ImageDraw, code: str, colour: str) -> None:
    """A pictogram of the product kind in the upper part of the card."""
    c = SIZE // 2
    if code.startswith(("office-paper", "office-filing")):
        for i in range(3):
            draw.rectangle([c - 90 + i * 14, 70 + i * 10, c + 60 + i * 14, 260 + i * 10], outline=colour, width=5)
    elif code.startswith("office-pens"):
        for i in range(3):
            x = c - 60 + i * 50
            draw.rounded_rectangle([x, 70, x + 24, 260], radius=10, outline=colour, width=5)
    elif code in {"computers-desktop", "computers-monitor", "appliances-tv"}:
        draw.rounded_rectangle([c - 130, 70, c + 130, 230], radius=12, outline=colour, width=6)
        draw.rectangle([c - 20, 230, c + 20, 265], fill=colour)
        draw.rectangle([c - 70, 265, c + 70, 275], fill=colour)
    elif code == "computers-laptop":
        draw.rounded_rectangle([c - 110, 80, c + 110, 220], radius=10, outline=colour, width=6)
        draw.polygon([(c - 150, 240), (c + 150, 240), (c + 130, 220), (c - 130, 220)], outline=colour, width=6)
    elif code.startswith("printing"):
        draw.rounded_rectangle([c - 130, 120, c + 130, 240], radius=14, outline=colour, width=6)
        draw.rectangle([c - 80, 70, c + 80, 120], outline=colour, width=5)
        draw.rectangle([c - 80, 240, c + 80, 280], outline=colour, width=5)
    elif code.startswith("furniture"):
        draw.rectangle([c - 140, 120, c + 140, 140], fill=colour)
        draw.rectangle([c - 130, 140, c - 115, 270], fill=colour)
        draw.rectangle([c + 115, 140, c + 130, 270], fill=colour)
    else:
        draw.rounded_rectangle([c - 120, 90, c + 120, 200], radius=30, outline=colour, width=6)
        for i in range(4):
            draw.line([c - 90, 160 + i * 8, c + 90, 160 + i * 8], fill=colour, width=3)


def product_image(*, code: str, brand: str, label: str) -> bytes:
    """A PNG for a category ``code`` and a ``brand`` (Latin letters), ``label`` under it."""
    background, accent = PALETTE.get(code.split("-", maxsplit=1)[0], ("#f8fafc", "#334155"))
    image = Image.new("RGB", (SIZE, SIZE), background)
    draw = ImageDraw.Draw(image)
    _shape(draw, code, accent)
    big = ImageFont.load_default(size=44)
    small = ImageFont.load_default(size=24)
    draw.text((SIZE // 2, 340), brand, fill=accent, font=big, anchor="mm")
    draw.text((SIZE // 2, 395), label, fill="#475569", font=small, anchor="mm")
    draw.rectangle([8, 8, SIZE - 8, SIZE - 8], outline=accent, width=3)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
