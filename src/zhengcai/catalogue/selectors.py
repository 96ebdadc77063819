"""Reads of the catalogue (public reference data: no visibility rules)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhengcai.catalogue.models import CatalogueItem
from zhengcai.core.errors import ValidationFailed


def catalogue_get(code: str) -> CatalogueItem:
    """The entry for ``code`` (case and surrounding blanks ignored); unknown codes are refused."""
    clean = (code or "").strip().upper()
    item = CatalogueItem.objects.filter(code=clean).first() if clean else None
    if item is None:
        raise ValidationFailed(
            _("“%(code)s” is not a code of the procurement catalogue.") % {"code": code},
            code="catalogue_unknown",
            fields={"catalogue_code": [_("Unknown catalogue code.")]},
        )
    return item


def catalogue_many(codes: Iterable[str]) -> dict[str, CatalogueItem]:
    """The known entries among ``codes``, by code (unknown codes are simply absent)."""
    wanted = {c.strip().upper() for c in codes if c}
    return {item.code: item for item in CatalogueItem.objects.filter(code__in=wanted)}


def catalogue_groups(codes: Iterable[str]) -> set[str]:
    """Those of ``codes`` that are groups (have entries under them): not purchasable items."""
    wanted = {c.strip().upper() for c in codes if c}
    return set(CatalogueItem.objects.filter(parent__code__in=wanted).values_list("parent__code", flat=True))


def catalogue_search(q: str, *, limit: int = 20) -> list[CatalogueItem]:
    """Purchasable entries (no entries under them) whose code starts with ``q`` or whose name contains it."""
    text = (q or "").strip()
    if not text:
        return []
    qs = CatalogueItem.objects.filter(Q(code__istartswith=text) | Q(name__icontains=text), children__isnull=True)
    return list(qs.order_by("-in_mall", "code")[:limit])
