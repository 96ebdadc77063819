"""Product images: JPEG, PNG or WebP, checked by decoding them with Pillow and re-encoded.

Re-encoding drops anything that is not pixels (EXIF with GPS positions, trailing payloads)
and caps the size; what is stored is always a clean image of the declared format.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from zhengcai.core.errors import ValidationFailed

MAX_IMAGES = 6
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 1600
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def max_bytes() -> int:
    return int(getattr(settings, "LISTINGS_IMAGE_MAX_BYTES", DEFAULT_MAX_BYTES))


def clean_image(upload: Any) -> ContentFile:
    """A re-encoded copy of ``upload`` (an uploaded file or bytes), or ``ValidationFailed``."""
    name = getattr(upload, "name", "") or "image"
    data = upload if isinstance(upload, bytes) else upload.read()
    limit = max_bytes()
    if not data:
        raise ValidationFailed(fields={"image": [_("“%(name)s” is empty.") % {"name": name}]})
    if len(data) > limit:
        raise ValidationFailed(
            fields={"image": [_("“%(name)s” is larger than %(mb)s MB.") % {"name": name, "mb": limit // (1024 * 1024)}]}
        )
    bad = ValidationFailed(fields={"image": [_("“%(name)s” is not a JPEG, PNG or WebP image.") % {"name": name}]})
    too_large = ValidationFailed(
        fields={
            "image": [
                _("“%(name)s” is too large: at most %(mp)s million pixels (e.g. 6000 × 6000).")
                % {"name": name, "mp": MAX_PIXELS // 1_000_000}
            ]
        }
    )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            if fmt not in FORMATS:
                raise bad
            if probe.width * probe.height > MAX_PIXELS:
                raise too_large
            probe.verify()
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            img = ImageOps.exif_transpose(opened)
            img.thumbnail((MAX_SIDE, MAX_SIDE))
            if fmt == "JPEG" and img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            out = io.BytesIO()
            options: dict[str, Any] = {"quality": 85} if fmt in ("JPEG", "WEBP") else {"optimize": True}
            img.save(out, format=fmt, **options)
    except Image.DecompressionBombError as exc:  # Pillow refuses to even open it: far too many pixels
        raise too_large from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise bad from exc
    return ContentFile(out.getvalue(), name=f"image.{FORMATS[fmt]}")
