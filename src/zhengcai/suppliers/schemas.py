"""Input and output schemas of the suppliers API."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class QualificationOut(Schema):
    id: int
    kind: str
    title: str
    number: str
    issued_on: dt.date | None
    expires_on: dt.date | None
    required: bool
    sha256: str
    uploaded_at: dt.datetime


class ProfileOut(Schema):
    id: int
    organisation_id: int
    name: str
    credit_code: str | None
    region_code: str
    legal_representative: str
    contact_name: str
    contact_phone: str
    contact_email: str
    address: str
    bank_name: str
    bank_account: str
    business_scope: str
    size: str
    is_sme: bool
    sme_declared_at: dt.datetime | None
    status: str
    may_sell: bool
    review_comment: str
    suspended_reason: str
    credit_penalty_until: dt.date | None
    rating: float | None
    rating_count: int
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    suspended_at: dt.datetime | None
    reinstatement_requested_at: dt.datetime | None
    qualifications: list[QualificationOut]


class PublicProfileOut(Schema):
    """What any signed-in user may know of an admitted supplier (approved or suspended)."""

    id: int
    organisation_id: int
    name: str
    credit_code: str | None
    region_code: str
    size: str
    is_sme: bool
    status: str
    rating: float | None
    rating_count: int


class ProfilePatchIn(Schema):
    """Only the fields sent are changed; the profile is then checked as a whole. Once the
    registration is approved, only the contacts and (by an administrator) the bank account."""

    legal_representative: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    address: str | None = None
    bank_name: str | None = None
    bank_account: str | None = None
    business_scope: str | None = None
    size: str | None = None
    sme_declared: bool | None = None


class QualificationIn(Schema):
    kind: str
    title: str = ""
    number: str = ""
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None
    required: bool = False


class CommentIn(Schema):
    comment: str = ""


class ReasonIn(Schema):
    reason: str = ""


class PenaltyIn(Schema):
    until: dt.date | None = None
    reason: str = ""
