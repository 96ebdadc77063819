"""Background work for notifications: the delivery task and the outbox sweeper."""

from __future__ import annotations

import logging

from django_tasks import task

from zhengcai.notify.delivery import outbox_deliver, outbox_due_ids
from zhengcai.notify.states import OutboxStatus

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500


@task()
def outbox_deliver_task(message_ids: list[int]) -> int:
    """Deliver the messages one transaction written; returns how many are now sent."""
    sent = 0
    for message_id in message_ids:
        message = outbox_deliver(message_id=message_id)
        if message is not None and message.status == OutboxStatus.SENT:
            sent += 1
    return sent


def outbox_sweep() -> int:
    """Attempt every pending message that is due; returns how many were sent.

    Idempotent and independent of the on-commit task: a message whose task never ran (the
    worker was down, the enqueue failed) or whose retry is due is picked up here. A message
    another worker is delivering right now is skipped (row lock) rather than sent twice.
    """
    sent = 0
    while True:
        due = outbox_due_ids(limit=SWEEP_BATCH)
        attempted = 0
        for message_id in due:
            message = outbox_deliver(message_id=message_id)
            if message is None:
                continue
            attempted += 1
            if message.status == OutboxStatus.SENT:
                sent += 1
        # Stop when a batch made no progress (all locked elsewhere) or was the last one.
        if len(due) < SWEEP_BATCH or attempted == 0:
            break
    if sent:
        logger.info("Outbox sweep sent %d message(s)", sent)
    return sent
