"""Cleaning of supplier input (profile fields, registration, documents) shared by the services."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from zhengcai.core.errors import ValidationFailed
from zhengcai.suppliers.states import EnterpriseSize, QualificationKind

# The first bytes each accepted type must start with: an extension alone proves nothing.
MAGIC_BYTES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
DEFAULT_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024

_PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")
_BANK_ACCOUNT = re.compile(r"^[0-9]{8,30}$")

# Profile fields a supplier fills in and may change while the profile is a draft or returned.
PROFILE_FIELDS = (
    "legal_representative",
    "contact_name",
    "contact_phone",
    "contact_email",
    "address",
    "bank_name",
    "bank_account",
    "business_scope",
    "size",
    "sme_declared",
)


@dataclass(frozen=True)
class RegistrationInput:
    """What the self-registration form (供应商注册) carries."""

    name: str = ""
    credit_code: str = ""
    region_code: str = ""
    legal_representative: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    address: str = ""
    bank_name: str = ""
    bank_account: str = ""
    business_scope: str = ""
    size: str = ""
    sme_declared: bool = False
    username: str = ""
    display_name: str = ""
    phone: str = ""
    email: str = ""
    password: str = ""

    def profile_values(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in PROFILE_FIELDS}


@dataclass(frozen=True)
class DocumentInput:
    """A qualification document (资质文件) being uploaded."""

    kind: str = ""
    title: str = ""
    number: str = ""
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None
    required: bool = False
    document: UploadedFile | None = None


def _text(values: dict[str, Any], name: str, max_length: int, fields: dict[str, list[Any]], *, required: bool) -> str:
    value = str(values.get(name) or "").strip()
    if required and not value:
        fields[name] = [_("This field is required.")]
    elif len(value) > max_length:
        fields[name] = [_("At most %(n)s characters.") % {"n": max_length}]
    return value


def clean_profile(values: dict[str, Any]) -> dict[str, Any]:
    """Every profile field checked at once; returns the clean values (``sme_declared`` a bool)."""
    fields: dict[str, list[Any]] = {}
    clean: dict[str, Any] = {
        "legal_representative": _text(values, "legal_representative", 100, fields, required=True),
        "contact_name": _text(values, "contact_name", 100, fields, required=True),
        "contact_phone": _text(values, "contact_phone", 20, fields, required=True),
        "contact_email": _text(values, "contact_email", 254, fields, required=False),
        "address": _text(values, "address", 300, fields, required=False),
        "bank_name": _text(values, "bank_name", 100, fields, required=True),
        "bank_account": _text(values, "bank_account", 40, fields, required=True).replace(" ", ""),
        "business_scope": _text(values, "business_scope", 2000, fields, required=True),
        "size": str(values.get("size") or "").strip(),
        "sme_declared": bool(values.get("sme_declared")),
    }
    if clean["contact_phone"] and "contact_phone" not in fields and not _PHONE.match(clean["contact_phone"]):
        fields["contact_phone"] = [_("Enter a valid phone number.")]
    if clean["contact_email"] and "contact_email" not in fields:
        try:
            validate_email(clean["contact_email"])
        except ValidationError:
            fields["contact_email"] = [_("Enter a valid e-mail address.")]
    if clean["bank_account"] and "bank_account" not in fields and not _BANK_ACCOUNT.match(clean["bank_account"]):
        fields["bank_account"] = [_("A bank account number is 8 to 30 digits.")]
    if clean["size"] not in EnterpriseSize.values:
        fields["size"] = [_("Choose the enterprise size.")]
    elif clean["size"] != EnterpriseSize.LARGE and not clean["sme_declared"]:
        fields["sme_declared"] = [_("A medium, small or micro enterprise must sign the SME declaration.")]
    if clean["size"] == EnterpriseSize.LARGE:
        clean["sme_declared"] = False
    if fields:
        raise ValidationFailed(fields=fields)
    return clean


def _starts_right(f: UploadedFile, suffix: str) -> bool:
    f.seek(0)
    head = f.read(16)
    f.seek(0)
    return any(head.startswith(magic) for magic in MAGIC_BYTES[suffix])


def clean_document_file(f: UploadedFile | None) -> tuple[UploadedFile, str]:
    """A PDF, JPEG or PNG (by name and by content) within the size limit; returns it with its SHA-256."""
    limit = int(getattr(settings, "SUPPLIERS_DOCUMENT_MAX_BYTES", DEFAULT_DOCUMENT_MAX_BYTES))
    if f is None:
        raise ValidationFailed(fields={"document": [_("Choose the document file.")]})
    suffix = Path(f.name or "").suffix.lower()
    error: Any = None
    if suffix not in MAGIC_BYTES:
        error = _("“%(name)s”: only PDF, JPEG and PNG files are accepted.") % {"name": f.name}
    elif (f.size or 0) > limit:
        error = _("“%(name)s” is larger than %(mb)s MB.") % {"name": f.name, "mb": limit // (1024 * 1024)}
    elif (f.size or 0) == 0:
        error = _("“%(name)s” is empty.") % {"name": f.name}
    elif not _starts_right(f, suffix):
        error = _("“%(name)s” is not really a %(type)s file: its content does not match its name.") % {
            "name": f.name,
            "type": suffix.lstrip(".").upper(),
        }
    if error is not None:
        raise ValidationFailed(fields={"document": [error]})
    digest = hashlib.sha256()
    f.seek(0)
    for chunk in f.chunks():
        digest.update(chunk)
    f.seek(0)
    return f, digest.hexdigest()


def clean_document(data: DocumentInput, *, today: dt.date) -> tuple[DocumentInput, str]:
    """The document's fields and file checked at once; returns clean input and the file's SHA-256."""
    fields: dict[str, list[Any]] = {}
    if data.kind not in QualificationKind.values:
        fields["kind"] = [_("Choose the kind of document.")]
    title = (data.title or "").strip()
    if not title and data.kind in QualificationKind.values:
        title = str(QualificationKind(data.kind).label)
    if len(title) > 200:
        fields["title"] = [_("At most %(n)s characters.") % {"n": 200}]
    number = (data.number or "").strip()
    if len(number) > 100:
        fields["number"] = [_("At most %(n)s characters.") % {"n": 100}]
    if data.issued_on is not None and data.issued_on > today:
        fields["issued_on"] = [_("The issue date cannot be in the future.")]
    if data.expires_on is not None:
        if data.expires_on < today:
            fields["expires_on"] = [_("This document has already expired; upload a valid one.")]
        elif data.issued_on is not None and data.expires_on <= data.issued_on:
            fields["expires_on"] = [_("The expiry date must be after the issue date.")]
    digest = ""
    try:
        _f, digest = clean_document_file(data.document)
    except ValidationFailed as exc:
        fields.update(exc.fields)
    if fields:
        raise ValidationFailed(fields=fields)
    required = data.required or data.kind == QualificationKind.BUSINESS_LICENCE
    return (
        DocumentInput(
            kind=data.kind,
            title=title,
            number=number,
            issued_on=data.issued_on,
            expires_on=data.expires_on,
            required=required,
            document=data.document,
        ),
        digest,
    )
