"""Plans API, mounted at /api/v1/plans/: plans, the decision preview, changes, intentions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status, UploadedFile
from pydantic import ValidationError as PydanticValidationError

from zhengcai.core.errors import ValidationFailed
from zhengcai.plans import execution, selectors, services
from zhengcai.plans.decision import reason_text
from zhengcai.plans.inputs import FundingInput, ItemInput
from zhengcai.plans.models import MethodChangeRequest, ProcurementPlan
from zhengcai.plans.schemas import (
    ChangeDecideIn,
    ChangeIn,
    ChangeOut,
    CommitIn,
    DecisionIn,
    DecisionOut,
    FundingOut,
    IntentionIn,
    IntentionOut,
    NoticeOut,
    PlanCancelIn,
    PlanCommitmentOut,
    PlanIn,
    PlanItemOut,
    PlanOut,
    ReleaseIn,
)

router = Router(tags=["plans"])


def plan_out(plan: ProcurementPlan) -> PlanOut:
    return PlanOut(
        id=plan.pk,
        number=plan.number,
        budget_unit_id=plan.organisation_id,
        budget_unit_name=plan.organisation.name,
        title=plan.title,
        fiscal_year=plan.fiscal_year,
        organisation_form=plan.organisation_form,
        required_by=plan.required_by,
        status=plan.status,
        total_amount=plan.total_amount,
        channel=plan.channel,
        default_method=plan.default_method,
        allowed_methods=list(plan.allowed_methods),
        chosen_method=plan.chosen_method,
        reasons=[reason_text(r) for r in plan.decision_reasons],
        rule_set_id=plan.rule_set_id,
        intention_published_on=plan.intention_published_on,
        earliest_start=plan.earliest_start,
        items=[
            PlanItemOut(
                catalogue_code=i.catalogue_item.code,
                catalogue_name=i.catalogue_item.name,
                description=i.description,
                quantity=i.quantity,
                unit=i.unit,
                unit_price=i.unit_price,
                amount=i.amount,
            )
            for i in plan.items.select_related("catalogue_item")
        ],
        fundings=[FundingOut(line_id=f.budget_line_id, amount=f.amount) for f in plan.fundings.all()],
    )


def change_out(change: MethodChangeRequest, waited: int) -> ChangeOut:
    return ChangeOut(
        id=change.pk,
        plan_id=change.plan_id,
        plan_title=change.plan.title,
        budget_unit_name=change.plan.organisation.name,
        default_method=change.default_method,
        requested_method=change.requested_method,
        reasons=change.reasons,
        statutory_ground=change.statutory_ground,
        supplier_name=change.supplier_name,
        notice_ends_on=change.notice_ends_on,
        status=change.status,
        waited_working_days=waited,
        comments=change.comments,
    )


def _inputs(data: PlanIn | DecisionIn) -> tuple[list[ItemInput], list[FundingInput]]:
    items = [ItemInput(**i.dict()) for i in data.items]
    fundings = [FundingInput(**f.dict()) for f in getattr(data, "fundings", [])]
    return items, fundings


@router.get("/", response=list[PlanOut], summary="Plans the caller may see")
def plans_list(request: HttpRequest, status: str = "", q: str = "", fiscal_year: int | None = None) -> list[PlanOut]:
    actor = request.actor  # type: ignore[attr-defined]
    plans = selectors.plans_visible(actor=actor, status=status, q=q, fiscal_year=fiscal_year)[:200]
    return [plan_out(p) for p in plans]


@router.post("/", response={201: PlanOut}, summary="Draft a plan")
def plans_create(request: HttpRequest, payload: PlanIn) -> Status[PlanOut]:
    actor = request.actor  # type: ignore[attr-defined]
    items, fundings = _inputs(payload)
    plan = services.plan_create(
        actor=actor,
        title=payload.title,
        fiscal_year=payload.fiscal_year,
        organisation_form=payload.organisation_form,
        required_by=payload.required_by,
        items=items,
        fundings=fundings,
        chosen_method=payload.chosen_method,
    )
    return Status(201, plan_out(plan))


@router.post("/decision", response=DecisionOut, summary="The method decision for items (nothing is saved)")
def decision_preview(request: HttpRequest, payload: DecisionIn) -> DecisionOut:
    actor = request.actor  # type: ignore[attr-defined]
    items, _ = _inputs(payload)
    decision, errors = selectors.decision_preview(actor=actor, items=items, organisation_form=payload.organisation_form)
    if decision is None:
        raise ValidationFailed(fields=errors)
    return DecisionOut(
        channel=decision.channel,
        default_method=decision.default_method,
        allowed_methods=list(decision.allowed_methods),
        mall_modes=list(decision.mall_modes),
        allowed_forms=list(decision.allowed_forms),
        reasons=[reason_text(r) for r in decision.reasons],
    )


@router.get("/changes", response=list[ChangeOut], summary="Method-change requests the caller may see")
def changes_list(request: HttpRequest, status: str = "", q: str = "") -> list[ChangeOut]:
    actor = request.actor  # type: ignore[attr-defined]
    rows = selectors.with_sla(selectors.changes_visible(actor=actor, status=status, q=q)[:200])
    return [change_out(c, w) for c, w in rows]


@router.post("/changes/{change_id}/decide", response=ChangeOut, summary="Approve or reject a method change")
def changes_decide(request: HttpRequest, change_id: int, payload: ChangeDecideIn) -> ChangeOut:
    actor = request.actor  # type: ignore[attr-defined]
    services.plan_change_decide(actor=actor, request_id=change_id, approve=payload.approve, comments=payload.comments)
    change = selectors.change_get(actor=actor, pk=change_id)
    return change_out(change, selectors.with_sla([change])[0][1])


@router.get("/intentions", response=list[IntentionOut], auth=None, summary="Published procurement intentions (public)")
def intentions_list(request: HttpRequest, q: str = "") -> list[IntentionOut]:
    return [
        IntentionOut(
            id=p.pk,
            budget_unit_name=p.organisation.name,
            title=p.title,
            summary=p.intention_summary,
            budget=p.total_amount,
            required_by=p.required_by,
            published_on=p.intention_published_on,  # type: ignore[arg-type]
            earliest_start=p.earliest_start,
        )
        for p in selectors.intentions_public(q=q)[:200]
    ]


@router.get("/notices", response=list[NoticeOut], auth=None, summary="Single-source notices in their period (public)")
def notices_list(request: HttpRequest, q: str = "") -> list[NoticeOut]:
    return [
        NoticeOut(
            id=c.pk,
            plan_title=c.plan.title,
            budget_unit_name=c.plan.organisation.name,
            budget=c.plan.total_amount,
            supplier_name=c.supplier_name,
            statutory_ground=c.statutory_ground,
            reasons=c.reasons,
            notice_starts_on=c.notice_starts_on,  # type: ignore[arg-type]
            notice_ends_on=c.notice_ends_on,  # type: ignore[arg-type]
        )
        for c in selectors.notices_public(q=q)[:200]
    ]


@router.get("/{plan_id}", response=PlanOut, summary="One plan")
def plans_get(request: HttpRequest, plan_id: int) -> PlanOut:
    actor = request.actor  # type: ignore[attr-defined]
    return plan_out(selectors.plan_get(actor=actor, pk=plan_id))


FILE_DESCRIPTION = (
    "Send `multipart/form-data` to attach files to a method-change request (`attachments`, "
    "repeated: PDF, JPEG, PNG or Word, checked by content as in the web form), or "
    "`application/json` with the same fields and no attachments."
)


def _json_change(request: HttpRequest) -> ChangeIn:
    try:
        return ChangeIn.model_validate_json(request.body or b"{}")
    except PydanticValidationError as exc:
        raise ValidationFailed(_("The body is not a valid change request.")) from exc


@router.post(
    "/{plan_id}/file",
    response=PlanOut,
    summary="File a draft (a method change when needed)",
    description=FILE_DESCRIPTION,
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": ChangeIn.model_json_schema()}}}},
)
def plans_file(
    request: HttpRequest,
    plan_id: int,
    payload: Form[ChangeIn],
    attachments: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> PlanOut:
    actor = request.actor  # type: ignore[attr-defined]
    # Budget systems that never attach anything keep sending JSON; form fields are then empty.
    fields = _json_change(request) if request.content_type == "application/json" else payload
    plan = services.plan_file(
        actor=actor,
        plan_id=plan_id,
        change=services.ChangeInput(
            reasons=fields.reasons,
            statutory_ground=fields.statutory_ground,
            supplier_name=fields.supplier_name,
            attachments=list(attachments or []),
        ),
    )
    return plan_out(plan)


def _fresh(actor: Any, plan_id: int) -> PlanOut:
    return plan_out(selectors.plan_get(actor=actor, pk=plan_id))


@router.post("/{plan_id}/cancel", response=PlanOut, summary="Cancel a plan before execution")
def plans_cancel(request: HttpRequest, plan_id: int, payload: PlanCancelIn) -> PlanOut:
    actor = request.actor  # type: ignore[attr-defined]
    services.plan_cancel(actor=actor, plan_id=plan_id, reason=payload.reason)
    return _fresh(actor, plan_id)


@router.post("/{plan_id}/revise", response=PlanOut, summary="Take a rejected plan back to draft")
def plans_revise(request: HttpRequest, plan_id: int) -> PlanOut:
    actor = request.actor  # type: ignore[attr-defined]
    services.plan_revise(actor=actor, plan_id=plan_id)
    return _fresh(actor, plan_id)


@router.post("/{plan_id}/intention", response=PlanOut, summary="Publish the procurement intention")
def plans_intention_publish(request: HttpRequest, plan_id: int, payload: IntentionIn) -> PlanOut:
    actor = request.actor  # type: ignore[attr-defined]
    execution.plan_intention_publish(actor=actor, plan_id=plan_id, summary=payload.summary)
    return _fresh(actor, plan_id)


@router.post("/{plan_id}/start", response=PlanOut, summary="Start executing a plan in force")
def plans_start(request: HttpRequest, plan_id: int) -> PlanOut:
    actor = request.actor  # type: ignore[attr-defined]
    execution.plan_start_execution(actor=actor, plan_id=plan_id)
    return _fresh(actor, plan_id)


@router.post(
    "/{plan_id}/commit",
    response={201: PlanCommitmentOut},
    summary="Commit part of the reservation to an order or contract",
)
def plans_commit(request: HttpRequest, plan_id: int, payload: CommitIn) -> Status[PlanCommitmentOut]:
    actor = request.actor  # type: ignore[attr-defined]
    commitment = execution.plan_commit(
        actor=actor,
        plan_id=plan_id,
        line_id=payload.line_id,
        amount=payload.amount,  # type: ignore[arg-type]  # cleaned (as money) by budgets
        commitment_ref=payload.commitment_ref,
        supplier_org_id=payload.supplier_org_id,
        description=payload.description,
    )
    return Status(
        201,
        PlanCommitmentOut(
            id=commitment.pk,
            line_id=commitment.line_id,
            plan_ref=commitment.ref,
            commitment_ref=commitment.commitment_ref,
            amount=commitment.amount,
            status=commitment.status,
        ),
    )


@router.post("/{plan_id}/release", response=PlanOut, summary="Release savings from an executing plan")
def plans_release(request: HttpRequest, plan_id: int, payload: ReleaseIn) -> PlanOut:
    actor = request.actor  # type: ignore[attr-defined]
    execution.plan_release_savings(
        actor=actor,
        plan_id=plan_id,
        line_id=payload.line_id,
        amount=payload.amount,  # type: ignore[arg-type]  # cleaned (as money) by the service
    )
    return _fresh(actor, plan_id)


@router.post("/{plan_id}/complete", response=PlanOut, summary="Complete an executing plan (the rest is savings)")
def plans_complete(request: HttpRequest, plan_id: int) -> PlanOut:
    actor = request.actor  # type: ignore[attr-defined]
    execution.plan_complete(actor=actor, plan_id=plan_id)
    return _fresh(actor, plan_id)
