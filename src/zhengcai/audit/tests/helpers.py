"""Test helpers: append events the real way, tamper with them the way a DBA would."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from zhengcai.audit.chain import event_hash
from zhengcai.audit.models import AuditAnchor, AuditEvent, AuditHead
from zhengcai.audit.services import audit_record
from zhengcai.core.actor import Actor

ALICE = Actor(
    user_id=7,
    username="alice",
    organisation_id=3,
    organisation_name="柯城区教育局",
    org_type="budget_unit",
    role="purchaser",
    region_code="330802",
)

EVENTS = AuditEvent._meta.db_table
HEAD = AuditHead._meta.db_table
ANCHORS = AuditAnchor._meta.db_table


def append(n: int, *, actor: Actor = ALICE, action: str = "test.plan.file") -> list[AuditEvent]:
    """Append ``n`` events, each in its own transaction, as a service would."""
    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(
                audit_record(
                    actor=actor,
                    action=action,
                    object_type="test.plan",
                    object_id=str(i + 1),
                    data={"amount": Decimal("1200.50"), "note": f"第{i + 1}号"},
                )
            )
    return events


def dba(sql: str, params: Any = ()) -> None:
    """Run raw SQL as a DBA would: on PostgreSQL with triggers switched off for the session."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def rehash(seq: int) -> str:
    """Recompute and store a row's hash (a careful forger), returning the new hash."""
    event = AuditEvent.objects.get(seq=seq)
    digest = event_hash(
        seq=event.seq,
        prev_hash=event.prev_hash,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        organisation_id=event.organisation_id,
        region_code=event.region_code,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        data=event.data,
    )
    dba(f"UPDATE {EVENTS} SET hash = %s WHERE seq = %s", [digest, seq])
    return digest


def set_data(seq: int, data: str) -> None:
    dba(f"UPDATE {EVENTS} SET data = %s WHERE seq = %s", [data, seq])


def insert_raw(fields: dict[str, Any], digest: str) -> None:
    """Insert a row behind the service's back (a forger with database access)."""
    columns = [*fields, "hash"]
    values = [json.dumps(v) if k == "data" else v for k, v in fields.items()] + [digest]
    placeholders = ", ".join(["%s"] * len(columns))
    dba(f"INSERT INTO {EVENTS} ({', '.join(columns)}) VALUES ({placeholders})", values)
