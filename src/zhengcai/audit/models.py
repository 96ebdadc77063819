"""The audit trail: an append-only, hash-chained log of every state change.

Actor and organisation are stored as plain ids plus a label, not foreign keys: an event
must never change or vanish because a user or an organisation did.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("actor"), max_length=300)
    organisation_id = models.BigIntegerField(_("organisation id"), null=True, blank=True, db_index=True)
    region_code = models.CharField(_("region code"), max_length=12, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """One row: the last sequence number and hash. Locking it serialises appends."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash}"


class AuditAnchor(models.Model):
    """The head hash as published on the public page, one entry per day."""

    day = models.DateField(_("day"), unique=True)
    seq = models.PositiveBigIntegerField(_("sequence"))
    hash = models.CharField(_("hash"), max_length=64)
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        ordering = ["-day"]
        verbose_name = _("published head hash")
        verbose_name_plural = _("published head hashes")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} #{self.seq} {self.hash}"
