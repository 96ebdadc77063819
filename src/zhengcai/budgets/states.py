"""Statuses and transition tables of commitments and payment requests."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengcai.core.states import StateMachine, Transition


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


COMMITMENT_MACHINE = StateMachine(
    Transition("accept", {CommitmentStatus.OPEN}, CommitmentStatus.ACCEPTED),
    Transition("settle", {CommitmentStatus.ACCEPTED}, CommitmentStatus.PAID),
    Transition(
        "cancel",
        {CommitmentStatus.OPEN, CommitmentStatus.ACCEPTED, CommitmentStatus.PAID},
        CommitmentStatus.CANCELLED,
    ),
)


class PaymentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


# Requests in these statuses hold part of the accepted amount.
PAYMENT_LIVE = (PaymentStatus.DRAFT, PaymentStatus.SUBMITTED, PaymentStatus.APPROVED, PaymentStatus.PAID)

PAYMENT_MACHINE = StateMachine(
    Transition("submit", {PaymentStatus.DRAFT}, PaymentStatus.SUBMITTED),
    Transition("approve", {PaymentStatus.SUBMITTED}, PaymentStatus.APPROVED),
    Transition(
        "reject", {PaymentStatus.DRAFT, PaymentStatus.SUBMITTED, PaymentStatus.APPROVED}, PaymentStatus.REJECTED
    ),
    Transition("pay", {PaymentStatus.APPROVED}, PaymentStatus.PAID),
)
