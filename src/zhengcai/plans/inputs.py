"""Cleaning of plan input (items, fundings, attachments) shared by the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from zhengcai.budgets.amounts import amount_exact
from zhengcai.catalogue.models import CatalogueItem
from zhengcai.catalogue.selectors import catalogue_code_for, catalogue_groups, catalogue_many
from zhengcai.core.errors import ValidationFailed
from zhengcai.core.money import FEN, MAX_AMOUNT

QTY = Decimal("0.001")
MAX_QUANTITY = Decimal("99999999999.999")

ATTACHMENT_TYPES: dict[str, tuple[str, ...]] = {
    ".pdf": ("application/pdf",),
    ".jpg": ("image/jpeg",),
    ".jpeg": ("image/jpeg",),
    ".png": ("image/png",),
    ".doc": ("application/msword",),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
}
# The first bytes each accepted type must start with: an extension alone proves nothing (a
# program renamed "论证.pdf" starts with "MZ"). DOC is the OLE2 compound file, DOCX a ZIP.
MAGIC_BYTES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".docx": (b"PK\x03\x04",),
}
DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# A plan larger than this is really several purchases; the caps also bound the work one
# request can ask of the catalogue and the ledger.
MAX_ITEMS = 50
MAX_FUNDINGS = 10


@dataclass(frozen=True)
class ItemInput:
    catalogue_code: str
    description: str
    quantity: Any
    unit: str
    unit_price: Any


@dataclass(frozen=True)
class FundingInput:
    line_id: Any
    amount: Any


@dataclass(frozen=True)
class CleanItem:
    catalogue_item: CatalogueItem
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class CleanFunding:
    line_id: int
    amount: Decimal


def _quantity(value: Any) -> Decimal:
    if isinstance(value, float | bool):
        raise ValueError
    try:
        qty = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError from exc
    if not qty.is_finite():
        raise ValueError
    if abs(qty) > MAX_QUANTITY:
        return qty  # the caller refuses it as too large; quantizing it could overflow
    return qty.quantize(QTY, rounding=ROUND_HALF_UP)


def _catalogue_entry(raw: str, known: dict[str, CatalogueItem], groups: set[str]) -> tuple[CatalogueItem | None, Any]:
    """(entry, None) for a purchasable code; (None, message) for an unknown code or a group."""
    code = (raw or "").strip().upper()
    entry = known.get(code)
    if entry is None:
        return None, _("“%(code)s” is not a code of the procurement catalogue.") % {"code": raw}
    if code in groups:
        return None, _("“%(code)s” is a group of the catalogue; choose one of the items under it.") % {"code": code}
    return entry, None


def too_many_items() -> Any:
    return _("A plan has at most %(max)s items; split a larger purchase into several plans.") % {"max": MAX_ITEMS}


def too_many_fundings() -> Any:
    return _("A plan draws on at most %(max)s budget lines.") % {"max": MAX_FUNDINGS}


def _refuse_over(count: int, limit: int, field: str, message: Any) -> None:
    if count > limit:
        raise ValidationFailed(fields={field: [message()]})


def clean_items(items: list[ItemInput]) -> list[CleanItem]:
    """Every item checked; all problems reported at once as ``items-<n>-<field>`` errors."""
    _refuse_over(len(items), MAX_ITEMS, "items", too_many_items)
    fields: dict[str, list[Any]] = {}
    # What was typed may be the code, the "code name" the search offers, or the item's name.
    codes = [catalogue_code_for(i.catalogue_code) for i in items]
    known = catalogue_many(codes)
    groups = catalogue_groups(known)
    out: list[CleanItem] = []
    if not items:
        fields["items"] = [_("Add at least one item.")]
    for n, item in enumerate(items):
        prefix = f"items-{n}-"
        entry, code_error = _catalogue_entry(codes[n], known, groups)
        if code_error is not None:
            fields[prefix + "catalogue_code"] = [code_error]
        description = (item.description or "").strip()
        if not description:
            fields[prefix + "description"] = [_("Describe the item.")]
        unit = (item.unit or "").strip()
        if not unit or len(unit) > 20:
            fields[prefix + "unit"] = [_("Give the unit (at most 20 characters), e.g. 台, 套, 项.")]
        qty: Decimal | None = None
        try:
            qty = _quantity(item.quantity)
            if qty <= 0:
                fields[prefix + "quantity"] = [_("The quantity must be greater than zero.")]
                qty = None
            elif qty > MAX_QUANTITY:
                fields[prefix + "quantity"] = [_("The quantity is too large.")]
                qty = None
        except ValueError:
            fields[prefix + "quantity"] = [_("“%(value)s” is not a number.") % {"value": item.quantity}]
        price: Decimal | None = None
        try:
            price = amount_exact(item.unit_price if not isinstance(item.unit_price, str) else item.unit_price.strip())
        except ValidationFailed as exc:
            fields[prefix + "unit_price"] = [exc.message]
        if entry is not None and qty is not None and price is not None and description and unit:
            amount = (qty * price).quantize(FEN, rounding=ROUND_HALF_UP)
            if amount > MAX_AMOUNT:
                fields[prefix + "unit_price"] = [_("The amount is too large.")]
                continue
            out.append(CleanItem(entry, description[:300], qty, unit, price, amount))
    if fields:
        raise ValidationFailed(fields=fields)
    return out


def clean_fundings(fundings: list[FundingInput]) -> list[CleanFunding]:
    fields: dict[str, list[Any]] = {}
    out: list[CleanFunding] = []
    seen: set[int] = set()
    if not fundings:
        fields["fundings"] = [_("Name at least one budget line that pays for the plan.")]
    _refuse_over(len(fundings), MAX_FUNDINGS, "fundings", too_many_fundings)
    for n, funding in enumerate(fundings):
        prefix = f"fundings-{n}-"
        try:
            line_id = int(str(funding.line_id).strip())
        except ValueError:
            fields[prefix + "line_id"] = [_("Choose a budget line.")]
            continue
        if line_id in seen:
            fields[prefix + "line_id"] = [_("Each budget line may appear only once.")]
            continue
        seen.add(line_id)
        try:
            amount = amount_exact(funding.amount.strip() if isinstance(funding.amount, str) else funding.amount)
        except ValidationFailed as exc:
            fields[prefix + "amount"] = [exc.message]
            continue
        if amount <= 0:
            fields[prefix + "amount"] = [_("The amount must be greater than zero.")]
            continue
        out.append(CleanFunding(line_id, amount))
    if fields:
        raise ValidationFailed(fields=fields)
    return out


def _starts_right(f: UploadedFile, suffix: str) -> bool:
    f.seek(0)
    head = f.read(16)
    f.seek(0)
    return any(head.startswith(magic) for magic in MAGIC_BYTES[suffix])


def clean_attachments(files: list[UploadedFile]) -> list[UploadedFile]:
    """PDF, image and Word files only (by name and by content), each within the size limit."""
    limit = int(getattr(settings, "PLANS_ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES))
    errors: list[Any] = []
    for f in files:
        suffix = Path(f.name or "").suffix.lower()
        if suffix not in ATTACHMENT_TYPES:
            errors.append(_("“%(name)s”: only PDF, JPEG, PNG and Word files are accepted.") % {"name": f.name})
        elif (f.size or 0) > limit:
            errors.append(_("“%(name)s” is larger than %(mb)s MB.") % {"name": f.name, "mb": limit // (1024 * 1024)})
        elif (f.size or 0) == 0:
            errors.append(_("“%(name)s” is empty.") % {"name": f.name})
        elif not _starts_right(f, suffix):
            errors.append(
                _("“%(name)s” is not really a %(type)s file: its content does not match its name.")
                % {"name": f.name, "type": suffix.lstrip(".").upper()}
            )
    if errors:
        raise ValidationFailed(fields={"attachments": errors})
    return files


def clean_plan_rows(
    *, items: list[ItemInput], fundings: list[FundingInput], required_by: Any, today: dt.date
) -> tuple[list[CleanItem], list[CleanFunding], dt.date]:
    """Items, fundings and the required date together: every problem of all three at once."""
    fields: dict[str, list[Any]] = {}
    clean_item_rows: list[CleanItem] = []
    clean_funding_rows: list[CleanFunding] = []
    clean_date = today
    try:
        clean_item_rows = clean_items(items)
    except ValidationFailed as exc:
        fields.update(exc.fields)
    try:
        clean_funding_rows = clean_fundings(fundings)
    except ValidationFailed as exc:
        fields.update(exc.fields)
    try:
        clean_date = clean_required_by(required_by, today)
    except ValidationFailed as exc:
        fields.update(exc.fields)
    if fields:
        raise ValidationFailed(fields=fields)
    return clean_item_rows, clean_funding_rows, clean_date


def clean_required_by(value: Any, today: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, dt.date):
        raise ValidationFailed(fields={"required_by": [_("Give a date such as 2026-06-30.")]})
    if value < today:
        raise ValidationFailed(fields={"required_by": [_("The required date may not be in the past.")]})
    return value
