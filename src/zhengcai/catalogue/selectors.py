"""Reads of the catalogue (public reference data: no visibility rules)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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


def catalogue_code_for(text: str) -> str:
    """The code meant by what was typed in a code field: the code itself (any case), the
    "A02010105 台式计算机" the search offers, or the exact name of one purchasable entry
    ("台式计算机"). Anything else comes back as typed, for the caller to refuse."""
    typed = (text or "").strip()
    if not typed:
        return typed
    first = typed.split()[0].upper()
    if CatalogueItem.objects.filter(code=first).exists():
        return first
    name = typed.removeprefix(typed.split()[0]).strip() if " " in typed else typed
    codes = list(CatalogueItem.objects.filter(name=name, children__isnull=True).values_list("code", flat=True)[:2])
    return codes[0] if len(codes) == 1 else typed


@dataclass(frozen=True)
class CatalogueRow:
    item: CatalogueItem
    depth: int
    is_group: bool

    @property
    def indent(self) -> str:
        return "· " * self.depth


def catalogue_rows(q: str = "") -> list[CatalogueRow]:
    """The whole catalogue as an indented list (code order); with ``q``, the entries whose code
    starts with it or whose name contains it, each shown with its level."""
    items = list(CatalogueItem.objects.order_by("code"))
    by_pk = {item.pk: item for item in items}
    parents = {item.parent_id for item in items if item.parent_id}

    def depth(item: CatalogueItem) -> int:
        n, node = 0, item
        while node.parent_id and node.parent_id in by_pk and n < 10:
            n, node = n + 1, by_pk[node.parent_id]
        return n

    text = (q or "").strip()
    if text:
        items = [i for i in items if i.code.upper().startswith(text.upper()) or text in i.name]
    return [CatalogueRow(item, depth(item), item.pk in parents) for item in items]


def catalogue_search(q: str, *, limit: int = 20) -> list[CatalogueItem]:
    """Purchasable entries (no entries under them) whose code starts with ``q`` or whose name contains it."""
    text = (q or "").strip()
    if not text:
        return []
    qs = CatalogueItem.objects.filter(Q(code__istartswith=text) | Q(name__icontains=text), children__isnull=True)
    return list(qs.order_by("-in_mall", "code")[:limit])
