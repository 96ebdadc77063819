"""The only write path into the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from zhengcai.audit.chain import event_hash, normalise
from zhengcai.audit.models import GENESIS_HASH, AuditEvent, AuditHead
from zhengcai.core import clock
from zhengcai.core.actor import Actor


def _locked_head() -> AuditHead:
    """The head row, locked. Recreated at genesis when missing (a test database flushed by
    TRUNCATE loses the row the migration created); concurrent creators meet on the primary
    key and then queue on the row lock."""
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditHead.objects.bulk_create([AuditHead(pk=1, seq=0, hash=GENESIS_HASH)], ignore_conflicts=True)
        head = AuditHead.objects.select_for_update().get(pk=1)
    if head.seq == 0 and AuditEvent.objects.exists():
        # A head at genesis with events behind it would fork the chain.
        raise RuntimeError("the audit head row is missing or reset while events exist: run audit_verify")
    return head


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    data: dict[str, Any] | None = None,
    region_code: str | None = None,
) -> AuditEvent:
    """Append one event, chained to the previous one.

    ``region_code`` is the region the event belongs to for supervision: by default the
    acting organisation's; a service acting on something in another region (the operator
    creating a county's organisation, the platform seeding data) passes that region, so the
    regulator of that region sees the event.

    Must be called inside the transaction that makes the change it records, so the event
    exists if and only if the change does. Locks the head row: appends are serialised, and
    the chain has no forks.

    ``action`` is ``<app>.<thing>.<verb>``, e.g. ``accounts.organisation.create``.

    Raises ``RuntimeError`` outside a transaction: that is a programming error, not bad input.
    Audit event: the one it returns.
    """
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    head = _locked_head()
    payload = normalise(data or {})
    fields: dict[str, Any] = {
        "seq": head.seq + 1,
        "prev_hash": head.hash,
        "occurred_at": clock.now(),
        "actor_id": actor.user_id,
        "actor_label": actor.label,
        "organisation_id": actor.organisation_id,
        "region_code": actor.region_code if region_code is None else region_code,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "data": payload,
    }
    digest = event_hash(**fields)
    event = AuditEvent.objects.create(hash=digest, **fields)
    head.seq = event.seq
    head.hash = digest
    head.save(update_fields=["seq", "hash"])
    return event
