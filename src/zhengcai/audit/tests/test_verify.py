"""Tamper tests: each way of rewriting history is caught at the first broken link.

They run on SQLite and PostgreSQL alike; on PostgreSQL the tampering switches the
append-only trigger off the way a DBA could (``session_replication_role = replica``).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from zhengcai.audit.chain import event_hash
from zhengcai.audit.models import GENESIS_HASH, AuditAnchor, AuditEvent, AuditHead
from zhengcai.audit.services import audit_record
from zhengcai.audit.tests.helpers import ALICE, EVENTS, HEAD, append, dba, insert_raw, rehash, set_data
from zhengcai.audit.verify import Reason, verify_chain
from zhengcai.core.actor import SYSTEM

pytestmark = pytest.mark.django_db


def broken(seq: int, reason: str) -> tuple[int, str]:
    return seq, reason


def first_break() -> tuple[int, str] | None:
    result = verify_chain()
    if result.broken is None:
        assert result.ok
        return None
    assert not result.ok
    return result.broken.seq, result.broken.reason


def run_command() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("audit_verify", stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def test_intact_chain_verifies(frozen_clock):
    events = append(5)
    result = verify_chain()
    assert result.ok
    assert result.checked == 5
    assert result.head_seq == 5
    assert result.head_hash == events[-1].hash
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    code, out = run_command()
    assert code == 0
    assert "OK" in out
    assert events[-1].hash in out


def test_empty_chain_verifies():
    assert verify_chain().ok
    assert verify_chain().checked == 0


def test_stored_values_give_back_the_hash(frozen_clock):
    """Decimals, Chinese text and the time survive the database round trip unchanged."""
    append(1)
    event = AuditEvent.objects.get(seq=1)
    assert event.data == {"amount": "1200.50", "note": "第1号"}
    assert verify_chain().ok


def test_altered_row_is_a_hash_mismatch(frozen_clock):
    append(5)
    set_data(3, json.dumps({"amount": "1.00", "note": "第3号"}))
    assert first_break() == broken(3, Reason.HASH_MISMATCH)
    code, out = run_command()
    assert code == 1
    assert "seq 3" in out
    assert Reason.HASH_MISMATCH in out


def test_altered_and_rehashed_row_breaks_the_next_link(frozen_clock):
    append(5)
    set_data(3, json.dumps({"amount": "1.00", "note": "第3号"}))
    rehash(3)
    assert first_break() == broken(4, Reason.PREV_HASH_MISMATCH)
    code, out = run_command()
    assert code == 1
    assert "seq 4" in out
    assert Reason.PREV_HASH_MISMATCH in out


def test_deleted_middle_row_is_a_sequence_gap(frozen_clock):
    append(5)
    dba(f"DELETE FROM {EVENTS} WHERE seq = 3")
    assert first_break() == broken(4, Reason.SEQUENCE_GAP)
    assert verify_chain().broken.params == {"expected": 3}
    code, out = run_command()
    assert code == 1
    assert "seq 4" in out


def test_deleted_first_row_is_caught(frozen_clock):
    append(3)
    dba(f"DELETE FROM {EVENTS} WHERE seq = 1")
    assert first_break() == broken(2, Reason.SEQUENCE_GAP)


def test_deleted_last_row_is_a_head_mismatch(frozen_clock):
    append(5)
    dba(f"DELETE FROM {EVENTS} WHERE seq = 5")
    result = verify_chain()
    assert (result.broken.seq, result.broken.reason) == broken(5, Reason.HEAD_MISMATCH)
    assert result.checked == 4
    code, out = run_command()
    assert code == 1
    assert Reason.HEAD_MISMATCH in out


def test_deleted_tail_with_head_rewound_is_caught_by_the_anchor(frozen_clock):
    append(5)
    AuditAnchor.objects.create(
        day=dt.date(2026, 3, 1), seq=5, hash=AuditEvent.objects.get(seq=5).hash, published_at=frozen_clock.now()
    )
    hash4 = AuditEvent.objects.get(seq=4).hash
    dba(f"DELETE FROM {EVENTS} WHERE seq = 5")
    dba(f"UPDATE {HEAD} SET seq = 4, hash = %s", [hash4])
    result = verify_chain()
    assert (result.broken.seq, result.broken.reason) == broken(5, Reason.ANCHOR_MISMATCH)
    assert "2026-03-01" in result.broken.message


def test_forged_row_after_the_head_is_caught(frozen_clock):
    events = append(3)
    forged = {
        "seq": 4,
        "prev_hash": events[-1].hash,
        "occurred_at": frozen_clock.now(),
        "actor_id": 1,
        "actor_label": "mallory",
        "organisation_id": None,
        "region_code": "330802",
        "action": "test.plan.approve",
        "object_type": "test.plan",
        "object_id": "1",
        "data": {},
    }
    insert_raw(forged, event_hash(**forged))
    assert first_break() == broken(4, Reason.EVENT_AFTER_HEAD)
    # Moving the head too does not help unless the forger computes the hash right; with a
    # wrong one the row itself gives it away.
    dba(f"UPDATE {EVENTS} SET hash = %s WHERE seq = 4", ["f" * 64])
    dba(f"UPDATE {HEAD} SET seq = 4, hash = %s", ["f" * 64])
    assert first_break() == broken(4, Reason.HASH_MISMATCH)


def test_row_forged_into_the_middle_is_caught(frozen_clock):
    events = append(5)
    # Make room at seq 3 by pushing 3..5 up (highest first: seq is unique), then insert.
    for seq in (5, 4, 3):
        dba(f"UPDATE {EVENTS} SET seq = seq + 1 WHERE seq = %s", [seq])
    fields = {
        "seq": 3,
        "prev_hash": events[1].hash,
        "occurred_at": frozen_clock.now(),
        "actor_id": 1,
        "actor_label": "mallory",
        "organisation_id": None,
        "region_code": "330802",
        "action": "test.plan.approve",
        "object_type": "test.plan",
        "object_id": "1",
        "data": {},
    }
    insert_raw(fields, event_hash(**fields))
    # The forged row links correctly; the first row it displaced no longer matches its hash.
    assert first_break() == broken(4, Reason.HASH_MISMATCH)


def test_swapped_rows_are_caught(frozen_clock):
    append(5)
    dba(f"UPDATE {EVENTS} SET seq = 1000 WHERE seq = 2")
    dba(f"UPDATE {EVENTS} SET seq = 2 WHERE seq = 3")
    dba(f"UPDATE {EVENTS} SET seq = 3 WHERE seq = 1000")
    assert first_break() == broken(2, Reason.HASH_MISMATCH)
    code, out = run_command()
    assert code == 1
    assert "seq 2" in out


def test_rewritten_chain_is_caught_by_a_published_anchor(frozen_clock):
    """A forger who re-hashes everything from seq 2 on and moves the head leaves a
    consistent chain; only the head published before the rewrite gives them away."""
    append(5)
    AuditAnchor.objects.create(
        day=dt.date(2026, 3, 1), seq=3, hash=AuditEvent.objects.get(seq=3).hash, published_at=frozen_clock.now()
    )
    set_data(2, json.dumps({"amount": "0.01", "note": "第2号"}))
    prev = rehash(2)
    for seq in (3, 4, 5):
        dba(f"UPDATE {EVENTS} SET prev_hash = %s WHERE seq = %s", [prev, seq])
        prev = rehash(seq)
    dba(f"UPDATE {HEAD} SET hash = %s", [prev])
    result = verify_chain()
    assert (result.broken.seq, result.broken.reason) == broken(3, Reason.ANCHOR_MISMATCH)
    assert result.anchors_checked == 1
    assert "2026-03-01" in result.broken.message
    code, out = run_command()
    assert code == 1
    assert Reason.ANCHOR_MISMATCH in out


def test_rewritten_head_is_caught(frozen_clock):
    append(3)
    dba(f"UPDATE {HEAD} SET hash = %s", ["a" * 64])
    assert first_break() == broken(3, Reason.HEAD_HASH_MISMATCH)


def test_tampered_anchor_is_caught(frozen_clock):
    append(3)
    AuditAnchor.objects.create(day=dt.date(2026, 3, 1), seq=2, hash="b" * 64, published_at=frozen_clock.now())
    assert first_break() == broken(2, Reason.ANCHOR_MISMATCH)


def test_chain_is_checked_in_chunks(frozen_clock, monkeypatch):
    """Streaming: a chunk size smaller than the chain still verifies every event."""
    monkeypatch.setattr("zhengcai.audit.verify.CHUNK_SIZE", 7)
    append(30)
    seen = []
    result = verify_chain(progress=seen.append, progress_every=10)
    assert result.ok
    assert result.checked == 30
    assert seen == [10, 20, 30]


def test_head_row_is_recreated_only_for_an_empty_trail(frozen_clock):
    AuditHead.objects.all().delete()
    append(2)
    assert verify_chain().ok
    AuditHead.objects.all().delete()
    with pytest.raises(RuntimeError, match="head row is missing"), transaction.atomic():
        audit_record(actor=SYSTEM, action="test.plan.file")
    assert first_break() == broken(1, Reason.HEAD_MISSING)


def test_audit_record_takes_object_and_actor(frozen_clock):
    with transaction.atomic():
        event = audit_record(actor=ALICE, action="test.head.touch", obj=AuditHead.objects.get(pk=1), data={"x": 1})
    assert event.object_type == "audit.audithead"
    assert event.object_id == "1"
    assert event.actor_label == "alice @ 柯城区教育局"
    assert event.region_code == "330802"
    assert event.occurred_at == frozen_clock.now()


@pytest.mark.django_db(transaction=True)
def test_audit_record_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(actor=ALICE, action="test.plan.file")
    assert AuditEvent.objects.count() == 0
