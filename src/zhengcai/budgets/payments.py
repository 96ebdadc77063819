"""Integrated payment (一体化支付): payment requests against accepted commitments.

A request moves draft -> submitted -> approved -> paid (or rejected). Recording it as paid
appends the ``pay`` entry (committed -> paid) under the line's row lock, so parallel
payments against one commitment can never pay more than was accepted.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhengcai.budgets import permissions
from zhengcai.budgets.errors import InsufficientBudget
from zhengcai.budgets.models import BudgetLine, EntryKind, PaymentRequest
from zhengcai.budgets.services import (
    append_entry,
    audit_money,
    commitment_requested,
    lock_commitment,
    lock_line,
    positive_amount,
)
from zhengcai.budgets.states import COMMITMENT_MACHINE, PAYMENT_MACHINE, CommitmentStatus
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from zhengcai.core.money import format_cny


def payment_request_create(*, actor: Actor, commitment_id: int, amount: Decimal) -> PaymentRequest:
    """Ask to pay ``amount`` of an accepted commitment.

    Preconditions: the actor manages the unit's money; acceptance is recorded; amount > 0 and
    not more than accepted - (already requested or paid); the line's committed money covers
    it. Effects: a draft request carrying the commitment's due date. Audit event:
    ``budgets.payment.create``.
    """
    amount = positive_amount(amount)
    with transaction.atomic():
        line, commitment = lock_commitment(actor=actor, commitment_id=commitment_id, action=permissions.MANAGE)
        if commitment.status != CommitmentStatus.ACCEPTED or commitment.accepted_on is None:
            raise Conflict(_("A payment can be requested only after the acceptance (验收) has been recorded."))
        remaining = commitment.accepted_amount - commitment_requested(commitment)
        if amount > remaining:
            raise InsufficientBudget(
                _("Only %(remaining)s of the accepted amount is left to request; %(amount)s is too much.")
                % {"remaining": format_cny(max(remaining, Decimal("0.00"))), "amount": format_cny(amount)}
            )
        if amount > line.committed:
            raise InsufficientBudget(
                _("The line's committed money (%(committed)s) does not cover this payment.")
                % {"committed": format_cny(line.committed)}
            )
        payment = PaymentRequest.objects.create(
            commitment=commitment,
            amount=amount,
            due_on=commitment.due_on,
            requested_by_id=actor.user_id,
            requested_by=actor.label[:300],
            created_at=clock.now(),
        )
        audit_money(actor, "budgets.payment.create", payment, line, amount=amount, commitment=commitment.pk)
    return payment


def _lock_payment(*, actor: Actor, payment_id: int, action: str) -> tuple[BudgetLine, PaymentRequest]:
    commitment_id = PaymentRequest.objects.filter(pk=payment_id).values_list("commitment_id", flat=True).first()
    if commitment_id is None:
        raise NotFound()
    line, commitment = lock_commitment(actor=actor, commitment_id=commitment_id, action=permissions.VIEW)
    payment = PaymentRequest.objects.select_for_update().get(pk=payment_id)
    payment.commitment = commitment
    if not permissions.payments.can(actor, action, payment):
        raise NotPermitted()
    return line, payment


def payment_request_submit(*, actor: Actor, payment_id: int) -> PaymentRequest:
    """Submit a draft for approval. Audit event: ``budgets.payment.submit``."""
    with transaction.atomic():
        line, payment = _lock_payment(actor=actor, payment_id=payment_id, action=permissions.MANAGE)
        PAYMENT_MACHINE.apply(payment, "submit")
        payment.submitted_at = clock.now()
        payment.save(update_fields=["status", "submitted_at"])
        audit_money(actor, "budgets.payment.submit", payment, line, amount=payment.amount)
    return payment


def _require_other_person(actor: Actor, payment: PaymentRequest) -> None:
    if payment.requested_by_id is not None and payment.requested_by_id == actor.user_id:
        raise NotPermitted(_("The person who asked for a payment may not approve it."))


def payment_request_approve(*, actor: Actor, payment_id: int) -> PaymentRequest:
    """Approve a submitted request. Preconditions: the actor is an administrator of the budget
    unit and not the requester. Audit event: ``budgets.payment.approve``."""
    with transaction.atomic():
        line, payment = _lock_payment(actor=actor, payment_id=payment_id, action=permissions.APPROVE)
        _require_other_person(actor, payment)
        PAYMENT_MACHINE.apply(payment, "approve")
        payment.approved_by = actor.label[:300]
        payment.decided_at = clock.now()
        payment.save(update_fields=["status", "approved_by", "decided_at"])
        audit_money(actor, "budgets.payment.approve", payment, line, amount=payment.amount)
    return payment


def payment_request_reject(*, actor: Actor, payment_id: int, reason: str) -> PaymentRequest:
    """Reject a request (draft, submitted or approved, not yet paid) with a reason; its amount
    can be requested again. Audit event: ``budgets.payment.reject``."""
    reason = (reason or "").strip()
    if not reason:
        message = _("Give the reason for the rejection.")
        raise ValidationFailed(message, fields={"reason": [message]})
    with transaction.atomic():
        line, payment = _lock_payment(actor=actor, payment_id=payment_id, action=permissions.APPROVE)
        PAYMENT_MACHINE.apply(payment, "reject")
        payment.reject_reason = reason[:500]
        payment.approved_by = actor.label[:300]
        payment.decided_at = clock.now()
        payment.save(update_fields=["status", "reject_reason", "approved_by", "decided_at"])
        audit_money(actor, "budgets.payment.reject", payment, line, reason=reason)
    return payment


def payment_request_record_paid(*, actor: Actor, payment_id: int, voucher_no: str) -> PaymentRequest:
    """Record that the treasury paid an approved request, with its voucher number.

    Preconditions: approved; the voucher number is new; the commitment's accepted and
    unpaid amount and the line's committed money cover the amount (checked under the line's
    lock). Effects: a ``pay`` entry (committed -> paid), the commitment's paid amount grows
    and it is settled once the accepted amount is paid. Audit event: ``budgets.payment.pay``.
    """
    voucher_no = (voucher_no or "").strip()
    if not voucher_no or len(voucher_no) > 64:
        message = _("The payment voucher number is required (at most 64 characters).")
        raise ValidationFailed(message, fields={"voucher_no": [message]})
    with transaction.atomic():
        line, payment = _lock_payment(actor=actor, payment_id=payment_id, action=permissions.APPROVE)
        commitment = payment.commitment
        PAYMENT_MACHINE.apply(payment, "pay")
        if PaymentRequest.objects.filter(voucher_no=voucher_no).exists():
            duplicate = _("Voucher number %(no)s has already been recorded.") % {"no": voucher_no}
            raise ValidationFailed(duplicate, fields={"voucher_no": [duplicate]})
        if payment.amount > commitment.accepted_amount - commitment.paid or payment.amount > line.committed:
            raise InsufficientBudget(_("This payment would pay more than was accepted and committed."))
        append_entry(
            actor=actor,
            line=line,
            kind=EntryKind.PAY,
            amount=payment.amount,
            ref=commitment.ref,
            commitment=commitment,
            note=voucher_no,
        )
        commitment.paid += payment.amount
        if commitment.paid >= commitment.accepted_amount:
            COMMITMENT_MACHINE.apply(commitment, "settle")
        commitment.save(update_fields=["paid", "status"])
        payment.voucher_no = voucher_no
        payment.paid_at = clock.now()
        payment.save(update_fields=["status", "voucher_no", "paid_at"])
        audit_money(actor, "budgets.payment.pay", payment, line, amount=payment.amount, voucher_no=voucher_no)
    return payment


__all__ = [
    "lock_line",
    "payment_request_approve",
    "payment_request_create",
    "payment_request_record_paid",
    "payment_request_reject",
    "payment_request_submit",
]
