"""The outbox (every message to be delivered, on every channel) and in-app notifications.

An ``OutboxMessage`` is written in the same transaction as the change it announces, so a
message exists if and only if the change does. The worker delivers it; its
``idempotency_key`` travels with it to the channel, and the in-app ``Notification`` is
one-to-one with its outbox message, so delivering twice never shows or sends twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhengcai.notify.states import Channel, OutboxStatus


class OutboxMessage(models.Model):
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    # The caller's key (what happened to which object), kept readable for operators.
    source_key = models.CharField(_("source key"), max_length=200, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    address = models.CharField(_("address"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notify_outbox_due")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OutboxStatus.values), name="notify_outbox_status_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="notify_outbox_channel_valid"),
            models.CheckConstraint(
                condition=~Q(status=OutboxStatus.SENT) | Q(sent_at__isnull=False),
                name="notify_outbox_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.address or self.recipient_id}: {self.subject}"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # The organisation the notice concerns, for the recipient who belongs to several.
    organisation_id = models.BigIntegerField(_("organisation id"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    outbox_message = models.OneToOneField(
        OutboxMessage,
        verbose_name=_("outbox message"),
        on_delete=models.PROTECT,
        related_name="notification",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notify_notification_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
