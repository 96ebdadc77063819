"""Suppliers API, mounted at /api/v1/suppliers/ (see docs/api.md).

A supplier reads and changes its own profile, uploads and removes documents, submits and,
once suspended, asks to be reinstated; the operator lists profiles and approves, returns,
suspends, reinstates or records credit penalties. Registration itself happens in the
browser (the public registration page; no API for it, so that it stays behind the page's
CSRF and rate limits).

Who reads what: the operator every profile in full, a regulator those of its region, a
supplier its own; anyone else only the public fields (``PublicProfileOut``) of admitted
(approved or suspended) suppliers, and 404 for the rest. The operator's decisions check
the role before the request body, so another role gets 404 whatever it sends.
"""

from __future__ import annotations

import json
from typing import TypeVar

import pydantic
from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status, UploadedFile
from ninja.errors import ValidationError as BodyInvalid

from zhengcai.core.actor import Actor
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
    PublicProfileOut,
    QualificationIn,
    QualificationOut,
    ReasonIn,
)

SchemaT = TypeVar("SchemaT", bound=Schema)

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
        rating=selectors.profile_rating(p),
        rating_count=p.rating_count,
        submitted_at=p.submitted_at,
        approved_at=p.approved_at,
        suspended_at=p.suspended_at,
        reinstatement_requested_at=p.reinstatement_requested_at,
        qualifications=[qualification_out(q) for q in p.qualifications.all()],
    )


def public_out(p: SupplierProfile) -> PublicProfileOut:
    return PublicProfileOut(
        id=p.pk,
        organisation_id=p.organisation_id,
        name=p.organisation.name,
        credit_code=p.organisation.credit_code,
        region_code=p.organisation.region.code,
        size=p.size,
        is_sme=p.is_sme,
        status=p.status,
        rating=selectors.profile_rating(p),
        rating_count=p.rating_count,
    )


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


def _operator_body(request: HttpRequest, schema: type[SchemaT]) -> tuple[Actor, SchemaT]:
    """The operator and the request body, read in that order: any other role gets 404 before
    its body is looked at. A malformed body is 422, as ninja's own validation answers."""
    actor = _actor(request)
    if not (actor.has_role(Role.OPERATOR) or (actor.is_system and actor.organisation_id is None)):
        raise NotFound()
    try:
        raw = json.loads(request.body) if request.body else {}
    except ValueError:
        raise BodyInvalid([{"loc": ("body",), "msg": "Invalid JSON", "type": "json_invalid"}]) from None
    try:
        return actor, schema.model_validate(raw)
    except pydantic.ValidationError as exc:
        errors = [{**e, "loc": ("body", "payload", *e["loc"])} for e in exc.errors(include_url=False)]
        raise BodyInvalid(errors) from None


def _body_doc(schema: type[Schema]) -> dict:
    """The request body in the schema, for endpoints that read it themselves."""
    return {
        "requestBody": {
            "content": {"application/json": {"schema": schema.model_json_schema()}},
            "required": False,
        }
    }


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


@router.patch(
    "/me",
    response=ProfileOut,
    summary="Change the own profile (all of it while a draft or returned; once approved the contacts and bank account)",
)
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


@router.delete(
    "/me/qualifications/{qualification_id}",
    response={204: None},
    summary="Remove an own document (any while a draft or returned; once approved only an expired one)",
)
def me_qualification_delete(request: HttpRequest, qualification_id: int) -> Status[None]:
    services.qualification_delete(actor=_actor(request), qualification_id=qualification_id)
    return Status(204, None)


@router.post("/me/submit", response=ProfileOut, summary="Submit the own profile for review")
def me_submit(request: HttpRequest) -> ProfileOut:
    actor = request.actor  # type: ignore[attr-defined]
    services.supplier_submit(actor=actor)
    return profile_out(_own(request))


@router.post(
    "/me/reinstatement-request",
    response=ProfileOut,
    summary="Ask to be reinstated (suspended supplier, e.g. after uploading a renewed licence)",
)
def me_reinstatement_request(request: HttpRequest) -> ProfileOut:
    services.supplier_reinstatement_request(actor=_actor(request))
    return profile_out(_own(request))


@router.get(
    "/",
    response=list[ProfileOut | PublicProfileOut],
    summary="Supplier profiles, longest waiting first (full for the operator, a regulator's region and "
    "the own one; public fields of admitted suppliers for everyone else)",
)
def profiles_list(
    request: HttpRequest, status: str = "", region: str = "", size: str = "", q: str = ""
) -> list[ProfileOut | PublicProfileOut]:
    actor = _actor(request)
    rows = list(
        selectors.review_queue(actor=actor, status=status, region_code=region, size=size, q=q).prefetch_related(
            "qualifications"
        )[:200]
    )
    full = set(selectors.profiles_visible(actor).filter(pk__in=[p.pk for p in rows]).values_list("pk", flat=True))
    return [profile_out(p) if p.pk in full else public_out(p) for p in rows]


def _fresh(request: HttpRequest, profile_id: int) -> ProfileOut:
    return profile_out(selectors.profile_get_by_pk(actor=_actor(request), pk=profile_id))


@router.get(
    "/{profile_id}",
    response=ProfileOut | PublicProfileOut,
    summary="One supplier profile (in full or its public fields, as for the list)",
)
def profiles_get(request: HttpRequest, profile_id: int) -> ProfileOut | PublicProfileOut:
    profile, full = selectors.profile_read(actor=_actor(request), pk=profile_id)
    return profile_out(profile) if full else public_out(profile)


@router.post(
    "/{profile_id}/approve",
    response=ProfileOut,
    summary="Approve a submitted profile (operator)",
    openapi_extra=_body_doc(CommentIn),
)
def profiles_approve(request: HttpRequest, profile_id: int) -> ProfileOut:
    actor, payload = _operator_body(request, CommentIn)
    services.supplier_approve(actor=actor, profile_id=profile_id, comment=payload.comment)
    return _fresh(request, profile_id)


@router.post(
    "/{profile_id}/return",
    response=ProfileOut,
    summary="Return a submitted profile with reasons (operator)",
    openapi_extra=_body_doc(CommentIn),
)
def profiles_return(request: HttpRequest, profile_id: int) -> ProfileOut:
    actor, payload = _operator_body(request, CommentIn)
    services.supplier_return(actor=actor, profile_id=profile_id, comment=payload.comment)
    return _fresh(request, profile_id)


@router.post(
    "/{profile_id}/suspend",
    response=ProfileOut,
    summary="Suspend an approved supplier (operator)",
    openapi_extra=_body_doc(ReasonIn),
)
def profiles_suspend(request: HttpRequest, profile_id: int) -> ProfileOut:
    actor, payload = _operator_body(request, ReasonIn)
    services.supplier_suspend(actor=actor, profile_id=profile_id, reason=payload.reason)
    return _fresh(request, profile_id)


@router.post(
    "/{profile_id}/reinstate",
    response=ProfileOut,
    summary="Reinstate a suspended supplier (operator); 409 saying why while something bars it",
    openapi_extra=_body_doc(CommentIn),
)
def profiles_reinstate(request: HttpRequest, profile_id: int) -> ProfileOut:
    actor, payload = _operator_body(request, CommentIn)
    services.supplier_reinstate(actor=actor, profile_id=profile_id, comment=payload.comment)
    return _fresh(request, profile_id)


@router.post(
    "/{profile_id}/credit-penalty",
    response=ProfileOut,
    summary="Record a credit penalty (operator)",
    openapi_extra=_body_doc(PenaltyIn),
)
def profiles_credit_penalty(request: HttpRequest, profile_id: int) -> ProfileOut:
    actor, payload = _operator_body(request, PenaltyIn)
    services.supplier_credit_penalty(actor=actor, profile_id=profile_id, until=payload.until, reason=payload.reason)
    return _fresh(request, profile_id)
