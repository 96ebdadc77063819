"""Statuses and transition tables of commitments and payment requests."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengcai.core.errors import InvalidTransition
from zhengcai.core.states import StateMachine, Transition


class LabelledMachine(StateMachine):
    """A state machine whose refusals name the action in words ("file the plan"), never by
    its internal name ("file"): the message reaches people through pages and the API."""

    def __init__(self, *transitions: Transition, labels: dict[str, Any], field: str = "status") -> None:
        super().__init__(*transitions, field=field)
        self.labels = labels

    def label(self, action: str) -> str:
        return str(self.labels.get(action, action))

    def apply(self, obj: Any, action: str) -> tuple[str, str]:
        try:
            return super().apply(obj, action)
        except InvalidTransition as exc:
            display = getattr(obj, f"get_{self.field}_display", None)
            status = str(display()) if callable(display) else str(getattr(obj, self.field))
            raise InvalidTransition(
                _("You cannot %(action)s while the status is “%(status)s”.")
                % {"action": self.label(action), "status": status},
                params=exc.params,
            ) from None


class CommitmentStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("status", "Open")
    ACCEPTED = "accepted", _("Accepted")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


COMMITMENT_MACHINE = LabelledMachine(
    Transition("accept", {CommitmentStatus.OPEN}, CommitmentStatus.ACCEPTED),
    Transition("settle", {CommitmentStatus.ACCEPTED}, CommitmentStatus.PAID),
    Transition(
        "cancel",
        {CommitmentStatus.OPEN, CommitmentStatus.ACCEPTED, CommitmentStatus.PAID},
        CommitmentStatus.CANCELLED,
    ),
    labels={
        "accept": _("record the acceptance"),
        "settle": _("settle the commitment"),
        "cancel": _("cancel the commitment"),
    },
)


class PaymentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


# Requests in these statuses hold part of the accepted amount.
PAYMENT_LIVE = (PaymentStatus.DRAFT, PaymentStatus.SUBMITTED, PaymentStatus.APPROVED, PaymentStatus.PAID)

PAYMENT_MACHINE = LabelledMachine(
    Transition("submit", {PaymentStatus.DRAFT}, PaymentStatus.SUBMITTED),
    Transition("approve", {PaymentStatus.SUBMITTED}, PaymentStatus.APPROVED),
    Transition(
        "reject", {PaymentStatus.DRAFT, PaymentStatus.SUBMITTED, PaymentStatus.APPROVED}, PaymentStatus.REJECTED
    ),
    Transition("pay", {PaymentStatus.APPROVED}, PaymentStatus.PAID),
    labels={
        "submit": _("submit the payment request"),
        "approve": _("approve the payment request"),
        "reject": _("reject the payment request"),
        "pay": _("record the payment as paid"),
    },
)
