"""The only write path into the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.audit.chain import event_hash, normalise
from zhengcai.audit.models import AuditEvent, AuditHead


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event, chained to the previous one.

    Must be called inside the transaction that makes the change it records, so the event
    exists if and only if the change does. Locks the head row: appends are serialised, and
    the chain has no forks.

    ``action`` is ``<app>.<thing>.<verb>``, e.g. ``accounts.organisation.create``.
    """
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    head = AuditHead.objects.select_for_update().get(pk=1)
    payload = normalise(data or {})
    fields: dict[str, Any] = {
        "seq": head.seq + 1,
        "prev_hash": head.hash,
        "occurred_at": clock.now(),
        "actor_id": actor.user_id,
        "actor_label": actor.label,
        "organisation_id": actor.organisation_id,
        "region_code": actor.region_code,
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
