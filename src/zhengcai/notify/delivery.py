"""Delivering outbox messages: one attempt at a time, retried with backoff, never twice.

Called by the task that ``notification_send`` enqueues after commit and by the sweeper
(``tasks.outbox_sweep``), which picks up anything due whether or not a task ran.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import connection, transaction

from zhengcai.core import clock
from zhengcai.notify.channels import get_channel
from zhengcai.notify.models import OutboxMessage
from zhengcai.notify.states import OUTBOX_MACHINE, OutboxStatus

logger = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 8
DEFAULT_RETRY_BASE_SECONDS = 30
DEFAULT_RETRY_MAX_SECONDS = 6 * 3600
ERROR_MAX_LENGTH = 2000


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFY_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failed attempt: 30 s, 1 min, 2 min, ... capped.

    Deterministic (no jitter) so that tests and operators can predict the schedule.
    """
    base = float(getattr(settings, "NOTIFY_RETRY_BASE_SECONDS", DEFAULT_RETRY_BASE_SECONDS))
    cap = float(getattr(settings, "NOTIFY_RETRY_MAX_SECONDS", DEFAULT_RETRY_MAX_SECONDS))
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), cap))


def outbox_deliver(*, message_id: int) -> OutboxMessage | None:
    """Make one delivery attempt for one outbox message, if it is pending and due.

    Preconditions: none; safe to call any number of times, from any number of workers.
    Effects: the row is locked (on PostgreSQL a row another worker holds is skipped and
    ``None`` returned); a message that is not pending or not yet due is returned untouched.
    Otherwise the channel is called with the message (and so its idempotency key):
    success marks it ``sent``; failure increments ``attempts``, keeps ``last_error`` and
    either schedules the next attempt ``retry_delay(attempts)`` from now or, after
    ``settings.NOTIFY_MAX_ATTEMPTS`` attempts, marks it ``failed``.
    In-app delivery writes its notification in the same transaction as ``sent``, so it is
    exactly-once; email and SMS are at-least-once with the key for the provider to dedupe.
    Audit events: none — the change that caused the message is audited by its own service,
    and delivery attempts are operational records kept on the message itself.
    """
    with transaction.atomic():
        locked = OutboxMessage.objects.filter(pk=message_id)
        if connection.features.has_select_for_update_skip_locked:
            locked = locked.select_for_update(skip_locked=True)
        else:
            locked = locked.select_for_update()
        message = locked.first()
        if message is None:
            return None
        now = clock.now()
        if message.status != OutboxStatus.PENDING or message.next_attempt_at > now:
            return message
        try:
            # A savepoint: a failing channel must not poison the transaction that records the failure.
            with transaction.atomic():
                get_channel(message.channel).send(message)
        except Exception as exc:
            logger.warning("Outbox message %s (%s) failed: %s", message.pk, message.channel, exc, exc_info=True)
            _record_failure(message, exc, now)
        else:
            OUTBOX_MACHINE.apply(message, "deliver")
            message.sent_at = now
            message.last_error = ""
            message.attempts += 1
            message.save(update_fields=["status", "sent_at", "last_error", "attempts"])
        return message


def _record_failure(message: OutboxMessage, exc: Exception, now: dt.datetime) -> None:
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_LENGTH]
    if message.attempts >= max_attempts():
        OUTBOX_MACHINE.apply(message, "give_up")
        logger.error("Outbox message %s gave up after %d attempts", message.pk, message.attempts)
    else:
        OUTBOX_MACHINE.apply(message, "retry")
        message.next_attempt_at = now + retry_delay(message.attempts)
    message.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])


def outbox_due_ids(*, limit: int = 500) -> list[int]:
    """Pending messages whose next attempt is due, oldest due first."""
    return list(
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=clock.now())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
