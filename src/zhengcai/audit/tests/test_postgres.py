"""PostgreSQL only: the append-only trigger, and appends from parallel connections."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from zhengcai.audit.models import AuditAnchor, AuditEvent, AuditHead
from zhengcai.audit.services import audit_record
from zhengcai.audit.tests.helpers import EVENTS, append
from zhengcai.audit.verify import Reason, verify_chain
from zhengcai.core.actor import Actor

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def refused(sql: str, params: object = ()) -> str:
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(excinfo.value)


@pytest.mark.django_db
def test_update_and_delete_of_events_are_refused(frozen_clock):
    append(3)
    message = refused(f"UPDATE {EVENTS} SET action = 'x' WHERE seq = 2")
    assert "append-only" in message
    assert "UPDATE" in message
    assert "DELETE" in refused(f"DELETE FROM {EVENTS} WHERE seq = 3")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(data={"forged": True})
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 3
    assert verify_chain().ok


@pytest.mark.django_db
def test_update_and_delete_of_anchors_are_refused(frozen_clock):
    append(1)
    anchor = AuditAnchor.objects.create(
        day=dt.date(2026, 3, 1), seq=1, hash=AuditEvent.objects.get(seq=1).hash, published_at=frozen_clock.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditAnchor.objects.filter(pk=anchor.pk).update(hash="0" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        anchor.delete()
    assert AuditAnchor.objects.get(pk=anchor.pk).hash == AuditEvent.objects.get(seq=1).hash


@pytest.mark.django_db
def test_head_stays_updatable(frozen_clock):
    append(2)
    assert AuditHead.objects.get(pk=1).seq == 2


@pytest.mark.django_db(transaction=True)
def test_dba_disabling_the_trigger_is_still_caught(frozen_clock):
    append(4)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {EVENTS} DISABLE TRIGGER USER")
        try:
            cursor.execute(f"UPDATE {EVENTS} SET actor_label = 'someone else' WHERE seq = 2")
            cursor.execute(f"DELETE FROM {EVENTS} WHERE seq = 4")
        finally:
            cursor.execute(f"ALTER TABLE {EVENTS} ENABLE TRIGGER USER")
    result = verify_chain()
    assert (result.broken.seq, result.broken.reason) == (2, Reason.HASH_MISMATCH)
    # With the trigger back, the same statements are refused again.
    with pytest.raises(IntegrityError), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {EVENTS} WHERE seq = 1")


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_never_fork_the_chain(frozen_clock):
    threads_count, per_thread = 8, 25
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        actor = Actor(user_id=100 + n, username=f"worker{n}", region_code="330802")
        try:
            barrier.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    audit_record(actor=actor, action="test.plan.file", object_type="test.plan", object_id=f"{n}-{i}")
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(threads_count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    total = threads_count * per_thread
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, total + 1))
    assert AuditEvent.objects.values("prev_hash").distinct().count() == total
    result = verify_chain()
    assert result.ok
    assert result.checked == total
    assert AuditHead.objects.get(pk=1).seq == total
