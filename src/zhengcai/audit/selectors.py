"""Reads of the audit trail, with visibility built in."""

from __future__ import annotations

from django.db.models import QuerySet

from zhengcai.audit.models import AuditAnchor


def published_heads() -> QuerySet[AuditAnchor]:
    """The daily head hashes: public, newest first."""
    return AuditAnchor.objects.order_by("-day")
