"""outbox_deliver and outbox_sweep: channels, retries with backoff, idempotency."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core import mail
from django.test import override_settings

from zhengcai.accounts.tests.factories import UserFactory, make_actor
from zhengcai.audit.models import AuditEvent
from zhengcai.core.errors import InvalidTransition, NotPermitted
from zhengcai.core.roles import OrgType
from zhengcai.notify import channels
from zhengcai.notify.delivery import outbox_deliver, retry_delay
from zhengcai.notify.models import Notification, OutboxMessage
from zhengcai.notify.services import notification_send, outbox_requeue
from zhengcai.notify.states import OutboxStatus
from zhengcai.notify.tasks import outbox_deliver_task, outbox_sweep
from zhengcai.notify.tests.gateways import FlakyGateway

FLAKY = "zhengcai.notify.tests.gateways.FlakyGateway"


def _send(user, *, channels=("in_app",), key="plan:1:filed", **kwargs):
    return notification_send(
        actor=make_actor(), recipients=[user], title="Plan filed", body="P-1", channels=channels, key=key, **kwargs
    )


@pytest.mark.django_db
def test_in_app_delivery_creates_one_notification_even_when_delivered_twice(frozen_clock):
    user = UserFactory()
    (message,) = _send(user, url="/plans/1/", organisation_id=7)
    outbox_deliver(message_id=message.pk)
    outbox_deliver(message_id=message.pk)
    # Even the channel itself, called again on the same message, adds nothing.
    channels.InAppChannel().send(message)
    notification = Notification.objects.get()
    assert (notification.recipient_id, notification.title, notification.url) == (user.pk, "Plan filed", "/plans/1/")
    assert notification.organisation_id == 7
    assert notification.created_at == frozen_clock.now()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.sent_at == frozen_clock.now()
    assert message.attempts == 1


@pytest.mark.django_db
def test_email_carries_the_idempotency_key_and_is_sent_once(frozen_clock):
    user = UserFactory(email="buyer@example.test")
    (message,) = _send(user, channels=["email"], url="/plans/1/")
    with override_settings(PUBLIC_BASE_URL="https://zc.example.gov.cn"):
        outbox_deliver(message_id=message.pk)
        outbox_deliver(message_id=message.pk)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["buyer@example.test"]
    assert email.subject == "Plan filed"
    assert email.extra_headers["X-Idempotency-Key"] == message.idempotency_key
    assert email.extra_headers["Message-ID"].startswith(f"<{message.idempotency_key}@")
    assert "https://zc.example.gov.cn/plans/1/" in email.body


@pytest.mark.django_db
@override_settings(SMS_GATEWAY=FLAKY)
def test_sms_retries_with_exponential_backoff_from_the_clock(frozen_clock):
    FlakyGateway.reset(failures=2)
    user = UserFactory(phone="13900000000")
    (message,) = _send(user, channels=["sms"])
    start = frozen_clock.now()

    outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert message.next_attempt_at == start + dt.timedelta(seconds=30)
    assert "ConnectionError: SMS provider unavailable" in message.last_error

    # Not due yet: nothing happens, the gateway is not called.
    frozen_clock.advance(dt.timedelta(seconds=29))
    outbox_deliver(message_id=message.pk)
    assert FlakyGateway.calls == 1

    frozen_clock.advance(dt.timedelta(seconds=1))
    outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 2)
    assert message.next_attempt_at == frozen_clock.now() + dt.timedelta(seconds=60)

    frozen_clock.advance(dt.timedelta(seconds=60))
    outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 3, "")
    assert FlakyGateway.sent == [{"phone": "13900000000", "text": "Plan filed: P-1", "key": message.idempotency_key}]


@pytest.mark.django_db
@override_settings(SMS_GATEWAY=FLAKY, NOTIFY_MAX_ATTEMPTS=3)
def test_failed_after_max_attempts_keeps_last_error(frozen_clock, caplog):
    FlakyGateway.reset(failures=100)
    user = UserFactory(phone="13900000000")
    (message,) = _send(user, channels=["sms"])
    for _ in range(3):
        outbox_deliver(message_id=message.pk)
        frozen_clock.advance(dt.timedelta(hours=1))
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 3)
    assert "SMS provider unavailable" in message.last_error
    assert any("gave up" in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)
    # A failed message is never attempted again.
    frozen_clock.advance(dt.timedelta(days=1))
    outbox_deliver(message_id=message.pk)
    assert outbox_sweep() == 0
    assert FlakyGateway.calls == 3


def test_backoff_schedule_is_deterministic_and_capped():
    assert [retry_delay(n).total_seconds() for n in range(1, 6)] == [30, 60, 120, 240, 480]
    assert retry_delay(30) == dt.timedelta(hours=6)
    with override_settings(NOTIFY_RETRY_BASE_SECONDS=10, NOTIFY_RETRY_MAX_SECONDS=50):
        assert [retry_delay(n).total_seconds() for n in range(1, 5)] == [10, 20, 40, 50]


@pytest.mark.django_db
def test_console_gateway_is_the_default_and_logs_the_sms(caplog):
    caplog.set_level(logging.INFO, logger="zhengcai.notify.channels")
    user = UserFactory(phone="13700000000")
    (message,) = _send(user, channels=["sms"])
    outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert any("13700000000" in r.getMessage() and message.idempotency_key in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
@override_settings(SMS_GATEWAY="zhengcai.notify.tests.gateways.NotAGateway")
def test_a_gateway_without_send_is_a_delivery_failure():
    user = UserFactory(phone="13700000000")
    (message,) = _send(user, channels=["sms"])
    outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert "does not implement SmsGateway" in message.last_error


@pytest.mark.django_db
def test_missing_message_is_ignored():
    assert outbox_deliver(message_id=424242) is None


@pytest.mark.django_db
@override_settings(SMS_GATEWAY=FLAKY)
def test_sweep_delivers_everything_due_and_is_idempotent(frozen_clock):
    """Nothing depends on the on-commit task: the sweeper alone delivers, once."""
    FlakyGateway.reset(failures=1)
    alice = UserFactory(phone="13600000001")
    bob = UserFactory()
    _send(alice, channels=["in_app", "sms"], key="a")
    _send(bob, channels=["in_app", "email"], key="b")

    assert outbox_sweep() == 3  # the SMS failed once and waits 30 s
    assert outbox_sweep() == 0
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 1

    frozen_clock.advance(dt.timedelta(seconds=30))
    assert outbox_sweep() == 1
    assert outbox_sweep() == 0
    assert len(FlakyGateway.sent) == 1
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()


@pytest.mark.django_db
def test_delivery_task_delivers_its_messages():
    user = UserFactory()
    messages = _send(user, channels=["in_app", "email"])
    assert outbox_deliver_task.call([m.pk for m in messages]) == 2
    # Run again (a retried task): still two sent, nothing sent twice.
    assert outbox_deliver_task.call([m.pk for m in messages]) == 2
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@override_settings(SMS_GATEWAY=FLAKY, NOTIFY_MAX_ATTEMPTS=1)
def test_operator_requeues_a_failed_message_which_then_goes_out(frozen_clock, django_capture_on_commit_callbacks):
    FlakyGateway.reset(failures=1)
    user = UserFactory(phone="")
    (message,) = _send(user, channels=["sms"])
    assert message.status == OutboxStatus.FAILED  # no phone yet
    purchaser = make_actor()
    with pytest.raises(NotPermitted):
        outbox_requeue(actor=purchaser, message_id=message.pk)

    user.phone = "13500000000"
    user.save()
    operator = make_actor(OrgType.OPERATOR)
    with django_capture_on_commit_callbacks() as callbacks:
        outbox_requeue(actor=operator, message_id=message.pk)
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.address) == (OutboxStatus.PENDING, 0, "13500000000")
    assert AuditEvent.objects.get(action="notify.outbox.requeue").actor_id == operator.user_id

    outbox_sweep()  # the provider fails once: with one attempt allowed, failed again
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    with pytest.raises(InvalidTransition):
        outbox_requeue(actor=operator, message_id=(_send(user, channels=["in_app"], key="other")[0]).pk)
    outbox_requeue(actor=operator, message_id=message.pk)
    outbox_sweep()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert [s["phone"] for s in FlakyGateway.sent] == ["13500000000"]
