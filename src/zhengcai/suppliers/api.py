"""Suppliers API, mounted at /api/v1/suppliers/ (see docs/api.md).

A supplier reads and changes its own profile, uploads documents and submits; the operator
lists profiles and approves, returns, suspends, reinstates or records credit penalties.
Registration itself happens in the browser (the public registration page).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Form, Router, Status, UploadedFile

from zhengcai.core.errors import NotFound
from zhengcai.core.roles import Role
from zhengcai.suppliers import selectors, services
from zhengcai.suppliers.inputs import DocumentInput
from zhengcai.suppliers.models import Qualification, SupplierProfile
from zhengcai.suppliers.schemas import (
    CommentIn,
    PenaltyIn,
    ProfileOut,
    ProfilePatchIn,
    QualificationIn,
    QualificationOut,
    ReasonIn,
)

router = Router(tags=["Suppliers"])


def qualification_out(q: Qualification) -> QualificationOut:
    return QualificationOut(
        id=q.pk,
        kind=q.kind,
        title=q.title,
        number=q.number,
        issued_on=q.issued_on,
        expires_on=q.expires_on,
        required=q.required,
        sha256=q.sha256,
        uploaded_at=q.uploaded_at,
    )


def profile_out(p: SupplierProfile) -> ProfileOut:
    return ProfileOut(
        id=p.pk,
        organisation_id=p.organisation_id,
        name=p.organisation.name,
        credit_code=p.organisation.credit_code,
        region_code=p.organisation.region.code,
        legal_representative=p.legal_representative,
        contact_name=p.contact_name,
        contact_phone=p.contact_phone,
        contact_email=p.contact_email,
        address=p.address,
        bank_name=p.bank_name,
        bank_account=p.bank_account,
        business_scope=p.business_scope,
        size=p.size,
        is_sme=p.is_sme,
        sme_declared_at=p.sme_declared_at,
        status=p.status,
        may_sell=selectors.supplier_may_sell(p.organisation_id),
        review_comment=p.review_comment,
        suspended_reason=p.suspended_reason,
        credit_penalty_until=p.credit_penalty_until,
        rating=selectors.supplier_rating(p.organisation_id),
        rating_count=p.rating_count,
        submitted_at=p.submitted_at,
        approved_at=p.approved_at,
        qualifications=[qualification_out(q) for q in p.qualifications.all()],
    )


def _own(request: HttpRequest) -> SupplierProfile:
    profile = selectors.own_profile(actor=request.actor)  # type: ignore[attr-defined]
    if profile is None:
        raise NotFound()
    return profile


@router.get("/me", response=ProfileOut, summary="The calling supplier's own profile")
def me_get(request: HttpRequest) -> ProfileOut:
    return profile_out(_own(request))


@router.post(
    "/me", response={201: ProfileOut}, summary="Start the own profile (organisation registered by the operator)"
)
def me_create(request: HttpRequest, payload: ProfilePatchIn) -> Status[ProfileOut]:
    actor = request.actor  # type: ignore[attr-defined]
    services.supplier_profile_create(actor=actor, values=payload.model_dump(exclude_none=True))
    return Status(201, profile_out(_own(request)))


@router.patch("/me", response=ProfileOut, summary="Change the own profile (draft or returned only)")
def me_patch(request: HttpRequest, payload: ProfilePatchIn) -> ProfileOut:
    actor = request.actor  # type: ignore[attr-defined]
    services.supplier_profile_update(actor=actor, changes=payload.model_dump(exclude_none=True))
    return profile_out(_own(request))


@router.post(
    "/me/qualifications",
    response={201: QualificationOut},
    summary="Upload a qualification document (multipart: PDF, JPEG or PNG in `document`)",
)
def me_qualification_add(
    request: HttpRequest, payload: Form[QualificationIn], document: File[UploadedFile]
) -> Status[QualificationOut]:
    actor = request.actor  # type: ignore[attr-defined]
    doc = services.qualification_add(
        actor=actor,
        data=DocumentInput(
            kind=payload.kind,
            title=payload.title,
            number=payload.number,
            issued_on=payload.issued_on,
            expires_on=payload.expires_on,
            required=payload.required,
            document=document,
        ),
    )
    return Status(201, qualification_out(doc))


@router.post("/me/submit", response=ProfileOut, summary="Submit the own profile for review")
def me_submit(request: HttpRequest) -> ProfileOut:
    actor = request.actor  # type: ignore[attr-defined]
    services.supplier_submit(actor=actor)
    return profile_out(_own(request))


@router.get("/", response=list[ProfileOut], summary="Supplier profiles (operator), longest waiting first")
def profiles_list(
    request: HttpRequest, status: str = "", region: str = "", size: str = "", q: str = ""
) -> list[ProfileOut]:
    actor = request.actor  # type: ignore[attr-defined]
    if not (actor.is_system or actor.has_role(Role.OPERATOR)):
        raise NotFound()
    qs = selectors.review_queue(actor=actor, status=status, region_code=region, size=size, q=q)
    return [profile_out(p) for p in qs.prefetch_related("qualifications")[:200]]


def _fresh(request: HttpRequest, profile_id: int) -> ProfileOut:
    return profile_out(selectors.profile_get_by_pk(actor=request.actor, pk=profile_id))  # type: ignore[attr-defined]


@router.get("/{profile_id}", response=ProfileOut, summary="One supplier profile")
def profiles_get(request: HttpRequest, profile_id: int) -> ProfileOut:
    return _fresh(request, profile_id)


@router.post("/{profile_id}/approve", response=ProfileOut, summary="Approve a submitted profile (operator)")
def profiles_approve(request: HttpRequest, profile_id: int, payload: CommentIn) -> ProfileOut:
    services.supplier_approve(actor=request.actor, profile_id=profile_id, comment=payload.comment)  # type: ignore[attr-defined]
    return _fresh(request, profile_id)


@router.post("/{profile_id}/return", response=ProfileOut, summary="Return a submitted profile with reasons (operator)")
def profiles_return(request: HttpRequest, profile_id: int, payload: CommentIn) -> ProfileOut:
    services.supplier_return(actor=request.actor, profile_id=profile_id, comment=payload.comment)  # type: ignore[attr-defined]
    return _fresh(request, profile_id)


@router.post("/{profile_id}/suspend", response=ProfileOut, summary="Suspend an approved supplier (operator)")
def profiles_suspend(request: HttpRequest, profile_id: int, payload: ReasonIn) -> ProfileOut:
    services.supplier_suspend(actor=request.actor, profile_id=profile_id, reason=payload.reason)  # type: ignore[attr-defined]
    return _fresh(request, profile_id)


@router.post("/{profile_id}/reinstate", response=ProfileOut, summary="Reinstate a suspended supplier (operator)")
def profiles_reinstate(request: HttpRequest, profile_id: int, payload: CommentIn) -> ProfileOut:
    services.supplier_reinstate(actor=request.actor, profile_id=profile_id, comment=payload.comment)  # type: ignore[attr-defined]
    return _fresh(request, profile_id)


@router.post("/{profile_id}/credit-penalty", response=ProfileOut, summary="Record a credit penalty (operator)")
def profiles_credit_penalty(request: HttpRequest, profile_id: int, payload: PenaltyIn) -> ProfileOut:
    actor = request.actor  # type: ignore[attr-defined]
    services.supplier_credit_penalty(actor=actor, profile_id=profile_id, until=payload.until, reason=payload.reason)
    return _fresh(request, profile_id)
