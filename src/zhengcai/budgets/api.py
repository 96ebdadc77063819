"""Budgets API, mounted at /api/v1/budgets/: lines (idempotent load), adjustments, balances,
commitments and their acceptance (验收), payments."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from zhengcai.budgets import payments as payment_services
from zhengcai.budgets import selectors, services
from zhengcai.budgets.models import BudgetLine, Commitment, EntryKind, LedgerEntry, PaymentRequest
from zhengcai.budgets.schemas import (
    AdjustIn,
    BalanceOut,
    BudgetCommitmentOut,
    CommitmentAcceptIn,
    EntryOut,
    LineIn,
    LineOut,
    LineUpsertOut,
    PaymentActionIn,
    PaymentIn,
    PaymentRequestOut,
)

router = Router(tags=["budgets"])


def line_out(line: BudgetLine) -> LineOut:
    return LineOut(
        id=line.pk,
        external_id=line.external_id,
        source_system=line.source_system,
        fiscal_year=line.fiscal_year,
        budget_unit_id=line.budget_unit_id,
        budget_unit_name=line.budget_unit.name,
        functional_code=line.functional_code,
        economic_code=line.economic_code,
        fund_source=line.fund_source,
        project_code=line.project_code,
        project_name=line.project_name,
        allocated=line.allocated,
        reserved=line.reserved,
        committed=line.committed,
        paid=line.paid,
        available=line.available,
    )


def entry_out(entry: LedgerEntry) -> EntryOut:
    return EntryOut(
        id=entry.pk,
        kind=entry.kind,
        amount=entry.amount,
        ref=entry.ref,
        commitment_id=entry.commitment_id,
        reason=entry.note if entry.kind in (EntryKind.ADJUST_UP, EntryKind.ADJUST_DOWN) else "",
        release_reason=entry.reason,
        voucher_no=entry.note if entry.kind == EntryKind.PAY else "",
        by=entry.actor_label,
        created_at=entry.created_at,
    )


def payment_out(payment: PaymentRequest) -> PaymentRequestOut:
    return PaymentRequestOut(
        id=payment.pk,
        commitment_id=payment.commitment_id,
        commitment_ref=payment.commitment.commitment_ref,
        line_id=payment.commitment.line_id,
        amount=payment.amount,
        status=payment.status,
        voucher_no=payment.voucher_no,
        due_on=payment.due_on,
        requested_by=payment.requested_by,
        approved_by=payment.approved_by,
        reject_reason=payment.reject_reason,
        created_at=payment.created_at,
        paid_at=payment.paid_at,
    )


@router.get("/lines", response=list[LineOut], summary="Budget lines the caller may see")
def lines_list(request: HttpRequest, fiscal_year: int | None = None, q: str = "") -> list[LineOut]:
    actor = request.actor  # type: ignore[attr-defined]
    return [line_out(line) for line in selectors.budget_lines_visible(actor=actor, fiscal_year=fiscal_year, q=q)]


@router.post("/lines", response={200: LineUpsertOut, 201: LineUpsertOut}, summary="Load a line (idempotent)")
def lines_upsert(request: HttpRequest, payload: LineIn) -> Status:
    """Creates the line (201) or, when the same external id was loaded with the same values,
    changes nothing (200). A different amount for a known external id is refused (409)."""
    actor = request.actor  # type: ignore[attr-defined]
    line, created = services.budget_line_upsert(actor=actor, data=payload.dict())
    line = selectors.budget_line_get(actor=actor, pk=line.pk)
    return Status(201 if created else 200, LineUpsertOut(created=created, line=line_out(line)))


@router.get("/lines/{int:line_id}", response=LineOut, summary="One budget line")
def lines_get(request: HttpRequest, line_id: int) -> LineOut:
    return line_out(selectors.budget_line_get(actor=request.actor, pk=line_id))  # type: ignore[attr-defined]


@router.get("/lines/{int:line_id}/balance", response=BalanceOut, summary="Balances, checked against the ledger")
def lines_balance(request: HttpRequest, line_id: int) -> BalanceOut:
    line = selectors.budget_line_get(actor=request.actor, pk=line_id)  # type: ignore[attr-defined]
    result = selectors.ledger_verify(line)
    return BalanceOut(
        line_id=line.pk,
        allocated=line.allocated,
        reserved=line.reserved,
        committed=line.committed,
        paid=line.paid,
        available=line.available,
        ledger_consistent=result.ok,
    )


@router.get("/lines/{int:line_id}/entries", response=list[EntryOut], summary="The line's ledger")
def lines_entries(request: HttpRequest, line_id: int) -> list[EntryOut]:
    actor = request.actor  # type: ignore[attr-defined]
    line = selectors.budget_line_get(actor=actor, pk=line_id)
    return [entry_out(e) for e in selectors.line_entries(actor=actor, line=line)]


@router.post("/lines/{int:line_id}/adjustments", response={201: EntryOut}, summary="追加 / 调减")
def lines_adjust(request: HttpRequest, line_id: int, payload: AdjustIn) -> Status:
    entry = services.budget_line_adjust(
        actor=request.actor,  # type: ignore[attr-defined]
        line_id=line_id,
        kind=payload.kind,
        amount=payload.amount,
        reason=payload.reason,
    )
    return Status(201, entry_out(entry))


def commitment_out(commitment: Commitment) -> BudgetCommitmentOut:
    return BudgetCommitmentOut(
        id=commitment.pk,
        line_id=commitment.line_id,
        ref=commitment.ref,
        commitment_ref=commitment.commitment_ref,
        supplier_org_id=commitment.supplier_org_id,
        description=commitment.description,
        amount=commitment.amount,
        accepted_amount=commitment.accepted_amount,
        accepted_on=commitment.accepted_on,
        due_on=commitment.due_on,
        paid=commitment.paid,
        status=commitment.status,
        created_at=commitment.created_at,
    )


@router.get(
    "/commitments", response=list[BudgetCommitmentOut], summary="Commitments (orders, contracts) the caller may see"
)
def commitments_list(
    request: HttpRequest, line_id: int | None = None, status: str = "", commitment_ref: str = ""
) -> list[BudgetCommitmentOut]:
    actor = request.actor  # type: ignore[attr-defined]
    qs = selectors.commitments_visible(actor=actor, line_id=line_id, status=status)
    if commitment_ref:
        qs = qs.filter(commitment_ref=commitment_ref)
    return [commitment_out(c) for c in qs]


@router.get("/commitments/{int:commitment_id}", response=BudgetCommitmentOut, summary="One commitment")
def commitments_get(request: HttpRequest, commitment_id: int) -> BudgetCommitmentOut:
    return commitment_out(selectors.commitment_get(actor=request.actor, pk=commitment_id))  # type: ignore[attr-defined]


@router.post(
    "/commitments/{int:commitment_id}/accept", response=BudgetCommitmentOut, summary="Record the acceptance (验收)"
)
def commitments_accept(request: HttpRequest, commitment_id: int, payload: CommitmentAcceptIn) -> BudgetCommitmentOut:
    """All or part of the committed amount; starts the payment deadline. Only the unit's purchasers."""
    actor = request.actor  # type: ignore[attr-defined]
    services.commitment_accept(
        actor=actor,
        commitment_id=commitment_id,
        accepted_amount=payload.accepted_amount,
        accepted_on=payload.accepted_on,
    )
    return commitment_out(selectors.commitment_get(actor=actor, pk=commitment_id))


@router.get("/payments", response=list[PaymentRequestOut], summary="Payment requests the caller may see")
def payments_list(request: HttpRequest, status: str = "") -> list[PaymentRequestOut]:
    actor = request.actor  # type: ignore[attr-defined]
    return [payment_out(p) for p in selectors.payments_visible(actor=actor, status=status)]


@router.get("/payments/{int:payment_id}", response=PaymentRequestOut, summary="One payment request")
def payments_get(request: HttpRequest, payment_id: int) -> PaymentRequestOut:
    return payment_out(selectors.payment_get(actor=request.actor, pk=payment_id))  # type: ignore[attr-defined]


@router.post("/payments", response={201: PaymentRequestOut}, summary="Request a payment of an accepted commitment")
def payments_create(request: HttpRequest, payload: PaymentIn) -> Status:
    payment = payment_services.payment_request_create(
        actor=request.actor,  # type: ignore[attr-defined]
        commitment_id=payload.commitment_id,
        amount=payload.amount,
    )
    return Status(201, payment_out(payment))


@router.post("/payments/{int:payment_id}/actions", response=PaymentRequestOut, summary="submit, approve, reject or pay")
def payments_act(request: HttpRequest, payment_id: int, payload: PaymentActionIn) -> PaymentRequestOut:
    actor = request.actor  # type: ignore[attr-defined]
    if payload.action == "submit":
        payment = payment_services.payment_request_submit(actor=actor, payment_id=payment_id)
    elif payload.action == "approve":
        payment = payment_services.payment_request_approve(actor=actor, payment_id=payment_id)
    elif payload.action == "reject":
        payment = payment_services.payment_request_reject(actor=actor, payment_id=payment_id, reason=payload.reason)
    else:
        payment = payment_services.payment_request_record_paid(
            actor=actor, payment_id=payment_id, voucher_no=payload.voucher_no
        )
    return payment_out(selectors.payment_get(actor=actor, pk=payment.pk))
