"""Outbox statuses, delivery channels and the outbox state machine."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengcai.core.states import StateMachine, Transition


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In-app")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


# A failed attempt keeps the message pending (``retry``) until the attempts run out
# (``give_up``); an operator may put a failed message back in the queue (``requeue``).
OUTBOX_MACHINE = StateMachine(
    Transition("deliver", {OutboxStatus.PENDING}, OutboxStatus.SENT),
    Transition("retry", {OutboxStatus.PENDING}, OutboxStatus.PENDING),
    Transition("give_up", {OutboxStatus.PENDING}, OutboxStatus.FAILED),
    Transition("requeue", {OutboxStatus.FAILED}, OutboxStatus.PENDING),
)
