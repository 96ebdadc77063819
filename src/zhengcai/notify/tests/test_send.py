"""notification_send: the outbox is written in the caller's transaction, once per key."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from zhengcai.accounts.tests.factories import UserFactory, make_actor
from zhengcai.core.errors import ValidationFailed
from zhengcai.notify.models import Notification, OutboxMessage
from zhengcai.notify.services import idempotency_key, notification_send
from zhengcai.notify.states import Channel, OutboxStatus


class BoomError(Exception):
    pass


def _send_then_roll_back(**kwargs) -> None:
    with transaction.atomic():
        notification_send(**kwargs)
        raise BoomError


@pytest.mark.django_db
def test_one_row_per_recipient_and_channel_scheduled_after_commit(frozen_clock, django_capture_on_commit_callbacks):
    actor = make_actor()
    alice = UserFactory(phone="13800000001")
    bob = UserFactory(phone="13800000002")
    with django_capture_on_commit_callbacks() as callbacks:
        messages = notification_send(
            actor=actor,
            recipients=[alice, bob.pk],
            title="Plan filed",
            body="Plan P-1 was filed.",
            url="/plans/1/",
            channels=(Channel.IN_APP, Channel.EMAIL, Channel.SMS),
            key="plan:1:filed",
            organisation_id=actor.organisation_id,
        )
    assert len(messages) == 6
    assert {(m.recipient_id, m.channel) for m in messages} == {
        (u.pk, c) for u in (alice, bob) for c in ("in_app", "email", "sms")
    }
    sms = next(m for m in messages if m.recipient_id == alice.pk and m.channel == Channel.SMS)
    assert sms.address == "13800000001"
    assert sms.status == OutboxStatus.PENDING
    assert sms.next_attempt_at == frozen_clock.now()
    assert sms.payload["organisation_id"] == actor.organisation_id
    assert sms.idempotency_key == idempotency_key(key="plan:1:filed", recipient_id=alice.pk, channel="sms")
    # Nothing delivered yet: delivery waits for the commit.
    assert Notification.objects.count() == 0
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_rolled_back_transaction_leaves_no_message_and_schedules_nothing(django_capture_on_commit_callbacks):
    actor = make_actor()
    user = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(BoomError):
        _send_then_roll_back(actor=actor, recipients=[user], title="Award", key="award:1")
    assert OutboxMessage.objects.count() == 0
    assert callbacks == []


@pytest.mark.django_db
def test_same_key_twice_creates_nothing_new(django_capture_on_commit_callbacks):
    actor = make_actor()
    user = UserFactory()
    first = notification_send(
        actor=actor, recipients=[user], title="Award", key="award:1", channels=["in_app", "email"]
    )
    with django_capture_on_commit_callbacks() as callbacks:
        again = notification_send(
            actor=actor, recipients=[user, user], title="Award (again)", key="award:1", channels=["email", "in_app"]
        )
    assert [m.pk for m in again] == [m.pk for m in first]
    assert OutboxMessage.objects.count() == 2
    assert OutboxMessage.objects.filter(subject="Award").count() == 2
    assert callbacks == []
    # A different key is a different event.
    notification_send(actor=actor, recipients=[user], title="Award", key="award:2")
    assert OutboxMessage.objects.count() == 3


@pytest.mark.django_db
def test_recipient_without_address_is_recorded_failed_not_dropped():
    actor = make_actor()
    user = UserFactory(email="", phone="")
    messages = notification_send(
        actor=actor, recipients=[user], title="T", key="k", channels=["email", "sms", "in_app"]
    )
    by_channel = {m.channel: m for m in messages}
    assert by_channel["email"].status == OutboxStatus.FAILED
    assert by_channel["sms"].status == OutboxStatus.FAILED
    assert "no address" in by_channel["sms"].last_error
    assert by_channel["in_app"].status == OutboxStatus.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"title": "  "}, "title"),
        ({"url": "https://evil.example/"}, "url"),
        ({"url": "//evil.example/x"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"channels": ["fax"]}, "channels"),
        ({"channels": []}, "channels"),
        ({"key": ""}, "key"),
        ({"key": "k" * 201}, "key"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(kwargs, field):
    actor = make_actor()
    user = UserFactory()
    args = {"actor": actor, "recipients": [user], "title": "T", "key": "k"} | kwargs
    with pytest.raises(ValidationFailed) as exc:
        notification_send(**args)
    assert field in exc.value.fields
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_unknown_recipient_is_refused():
    with pytest.raises(ValidationFailed):
        notification_send(actor=make_actor(), recipients=[987654], title="T", key="k")
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_refused_outside_a_transaction():
    user = UserFactory()
    with pytest.raises(RuntimeError, match="inside the transaction"):
        notification_send(actor=make_actor(), recipients=[user], title="T", key="k")
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_commit_enqueues_one_delivery_task_and_rollback_enqueues_none():
    actor = make_actor()
    user = UserFactory()
    with pytest.raises(BoomError):
        _send_then_roll_back(actor=actor, recipients=[user], title="T", key="rolled-back")
    assert OutboxMessage.objects.count() == 0
    assert DBTaskResult.objects.count() == 0

    with transaction.atomic():
        messages = notification_send(
            actor=actor, recipients=[user], title="T", key="committed", channels=["in_app", "email"]
        )
        # Not before the commit: a worker must never see a message that may still roll back.
        assert DBTaskResult.objects.count() == 0
    task = DBTaskResult.objects.get()
    assert task.task_path == "zhengcai.notify.tasks.outbox_deliver_task"
    assert task.args_kwargs["args"] == [[m.pk for m in messages]]
