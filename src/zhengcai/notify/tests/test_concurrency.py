"""Two workers racing for the same message on PostgreSQL: it goes out once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.test import override_settings

from zhengcai.accounts.tests.factories import UserFactory, make_actor
from zhengcai.notify.delivery import outbox_deliver
from zhengcai.notify.models import OutboxMessage
from zhengcai.notify.services import notification_send
from zhengcai.notify.states import OutboxStatus
from zhengcai.notify.tests.gateways import SlowGateway

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


@pytest.mark.django_db(transaction=True)
@override_settings(SMS_GATEWAY="zhengcai.notify.tests.gateways.SlowGateway")
def test_parallel_deliveries_send_once():
    SlowGateway.sent = []
    user = UserFactory(phone="13300000000")
    with transaction.atomic():
        (message,) = notification_send(actor=make_actor(), recipients=[user], title="T", key="race", channels=["sms"])
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            outbox_deliver(message_id=message.pk)
        except Exception as exc:  # noqa: BLE001 - a thread's error must reach the test's assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert SlowGateway.sent == [message.idempotency_key]
    message = OutboxMessage.objects.get(pk=message.pk)
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)
