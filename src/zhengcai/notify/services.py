"""The write path for notifications: send (through the outbox) and mark as read."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhengcai.accounts.models import User
from zhengcai.audit.services import audit_record
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotFound, NotPermitted, ValidationFailed
from zhengcai.core.roles import Role
from zhengcai.notify.models import Notification, OutboxMessage
from zhengcai.notify.permissions import notification_policy
from zhengcai.notify.states import OUTBOX_MACHINE, Channel, OutboxStatus
from zhengcai.notify.tasks import outbox_deliver_task

logger = logging.getLogger(__name__)

KEY_MAX_LENGTH = 200
TITLE_MAX_LENGTH = 200
URL_MAX_LENGTH = 500


def idempotency_key(*, key: str, recipient_id: int, channel: str) -> str:
    """The outbox key for one recipient on one channel: stable, fixed length, opaque."""
    return hashlib.sha256(f"{key}\x1f{recipient_id}\x1f{channel}".encode()).hexdigest()


def _address(user: User, channel: str) -> str:
    if channel == Channel.EMAIL:
        return user.email.strip()
    if channel == Channel.SMS:
        return user.phone.strip()
    return ""


def _validate(*, key: str, title: str, url: str, channels: Sequence[str]) -> None:
    fields: dict[str, list[Any]] = {}
    if not key or len(key) > KEY_MAX_LENGTH:
        fields["key"] = [_("A notification needs a key of 1 to 200 characters.")]
    if not title.strip() or len(title) > TITLE_MAX_LENGTH:
        fields["title"] = [_("A notification needs a title of 1 to 200 characters.")]
    # Only links inside the platform: an outside or javascript: link in a trusted notice is a phishing tool.
    if url and (not url.startswith("/") or url.startswith("//") or len(url) > URL_MAX_LENGTH):
        fields["url"] = [_("A notification link must be a path inside the platform, starting with “/”.")]
    unknown = [c for c in channels if c not in Channel.values]
    if unknown or not channels:
        fields["channels"] = [_("Unknown notification channel: %(channels)s.") % {"channels": ", ".join(unknown)}]
    if fields:
        raise ValidationFailed(fields=fields)


def notification_send(
    *,
    actor: Actor,
    recipients: Iterable[User | int],
    title: str,
    body: str = "",
    url: str = "",
    channels: Sequence[str] = (Channel.IN_APP,),
    key: str,
    organisation_id: int | None = None,
) -> list[OutboxMessage]:
    """Put one outbox message per recipient and channel, in the caller's transaction.

    Preconditions: called inside the transaction of the change being announced (raises
    ``RuntimeError`` otherwise), so a rollback leaves no message and nothing is delivered.
    ``key`` names the event (e.g. ``"tender:42:published"``); with the recipient and the
    channel it makes the message's idempotency key, so sending the same key again writes
    nothing new. ``url`` must be a path inside the platform. Recipients without an email
    address or phone get that channel's message recorded as ``failed`` (visible to
    operators) rather than silently dropped.
    Effects: inserts the missing outbox rows; after commit, enqueues one delivery task for
    them (if the enqueue fails the sweeper still delivers them).
    Returns every outbox message for this key and these recipients and channels.
    Audit events: none — the caller's own service audits the change being announced.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notification_send must run inside the transaction of the change it announces")
    channels = list(dict.fromkeys(str(c) for c in channels))
    _validate(key=key, title=title, url=url, channels=channels)
    recipient_ids = sorted({r.pk if isinstance(r, User) else int(r) for r in recipients})
    users = User.objects.in_bulk(recipient_ids)
    now = clock.now()
    wanted: dict[str, OutboxMessage] = {}
    for user_id in recipient_ids:
        user = users.get(user_id)
        if user is None:
            raise ValidationFailed(fields={"recipients": [_("Unknown recipient.")]})
        for channel in channels:
            address = _address(user, channel)
            missing_address = channel != Channel.IN_APP and not address
            ikey = idempotency_key(key=key, recipient_id=user_id, channel=channel)
            wanted[ikey] = OutboxMessage(
                idempotency_key=ikey,
                source_key=key,
                channel=channel,
                recipient_id=user_id,
                address=address,
                subject=title.strip(),
                body=body,
                url=url,
                payload={"organisation_id": organisation_id, "sender": actor.label},
                status=OutboxStatus.FAILED if missing_address else OutboxStatus.PENDING,
                last_error="recipient has no address for this channel" if missing_address else "",
                next_attempt_at=now,
                created_at=now,
            )
    existing = set(OutboxMessage.objects.filter(idempotency_key__in=wanted).values_list("idempotency_key", flat=True))
    # ON CONFLICT DO NOTHING: a concurrent send of the same key neither fails nor duplicates.
    OutboxMessage.objects.bulk_create([m for k, m in wanted.items() if k not in existing], ignore_conflicts=True)
    messages = list(OutboxMessage.objects.filter(idempotency_key__in=wanted).order_by("pk"))
    to_deliver = [m.pk for m in messages if m.idempotency_key not in existing and m.status == OutboxStatus.PENDING]
    if to_deliver:
        transaction.on_commit(lambda: _enqueue(to_deliver), robust=True)
    return messages


def _enqueue(message_ids: list[int]) -> None:
    outbox_deliver_task.enqueue(message_ids)


def notification_mark_read(*, actor: Actor, notification_id: int) -> Notification:
    """Mark one of the actor's notifications as read.

    Preconditions: the notification is the actor's own; anyone else's (or a missing one)
    raises ``NotFound`` and changes nothing.
    Effects: sets ``read_at`` to now; marking an already read notification changes nothing.
    Audit events: ``notify.notification.read`` (only when it was unread).
    """
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or not notification_policy.can(actor, "mark_read", notification):
            raise NotFound()
        if notification.read_at is not None:
            return notification
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])
        audit_record(actor=actor, action="notify.notification.read", obj=notification)
    return notification


def notification_mark_all_read(*, actor: Actor) -> int:
    """Mark every unread notification of the actor as read; returns how many changed.

    Effects: sets ``read_at`` to now on the actor's unread notifications (rows locked in
    pk order); nobody else's are touched.
    Audit events: ``notify.notification.read_all`` with the count and ids, when any changed.
    """
    with transaction.atomic():
        unread = notification_policy.visible(actor, Notification.objects.all()).filter(read_at__isnull=True)
        ids = list(unread.select_for_update().order_by("pk").values_list("pk", flat=True))
        if not ids:
            return 0
        Notification.objects.filter(pk__in=ids).update(read_at=clock.now())
        audit_record(
            actor=actor,
            action="notify.notification.read_all",
            object_type=Notification._meta.label_lower,
            data={"count": len(ids), "ids": ids},
        )
    return len(ids)


def outbox_requeue(*, actor: Actor, message_id: int) -> OutboxMessage:
    """Put a failed outbox message back in the queue (after the provider or address is fixed).

    Preconditions: the actor is a platform operator (or the platform itself); the message
    is ``failed`` (anything else raises ``InvalidTransition``). The recipient's current
    address is taken, so a corrected email or phone is used.
    Effects: status ``pending``, attempts reset, due now; delivery is enqueued after commit.
    The idempotency key is unchanged, so a provider that did receive an earlier attempt
    still drops the repeat.
    Audit events: ``notify.outbox.requeue`` with the previous attempts and error.
    """
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if not (actor.is_system or actor.has_role(Role.OPERATOR)):
            raise NotPermitted()
        if message is None:
            raise NotFound()
        previous = {"attempts": message.attempts, "last_error": message.last_error}
        OUTBOX_MACHINE.apply(message, "requeue")
        if message.recipient is not None:
            message.address = _address(message.recipient, message.channel)
        message.attempts = 0
        message.next_attempt_at = clock.now()
        message.save(update_fields=["status", "address", "attempts", "next_attempt_at"])
        audit_record(actor=actor, action="notify.outbox.requeue", obj=message, data=previous)
        transaction.on_commit(lambda: _enqueue([message.pk]), robust=True)
    return message
