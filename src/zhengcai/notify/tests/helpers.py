from __future__ import annotations

from zhengcai.accounts.tests.factories import make_actor
from zhengcai.core.actor import Actor
from zhengcai.notify.delivery import outbox_deliver
from zhengcai.notify.models import Notification
from zhengcai.notify.services import notification_send


def deliver_in_app(
    *, actor: Actor, recipient_id: int, key: str, title: str = "Plan filed", url: str = ""
) -> Notification:
    """Send an in-app notice through the real outbox and deliver it."""
    (message,) = notification_send(actor=actor, recipients=[recipient_id], title=title, body="Body", url=url, key=key)
    outbox_deliver(message_id=message.pk)
    return Notification.objects.get(outbox_message=message)


def sender() -> Actor:
    return make_actor()
