"""Delivery channels: in-app, email and SMS.

Every channel receives the outbox message with its idempotency key. The in-app channel
makes delivery exactly-once by itself (the notification is one-to-one with the message);
email and SMS pass the key on (a ``Message-ID`` and ``X-Idempotency-Key`` header, the SMS
gateway's ``idempotency_key``) so the provider can drop a repeat after a crash between
sending and recording "sent".

A channel signals failure by raising; the caller records the attempt and schedules a retry.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.utils.module_loading import import_string

from zhengcai.core import clock
from zhengcai.notify.models import Notification, OutboxMessage
from zhengcai.notify.states import Channel

logger = logging.getLogger(__name__)

SMS_MAX_LENGTH = 500


class DeliveryError(Exception):
    """A channel could not deliver; the message will be retried."""


class DeliveryChannel(Protocol):
    def send(self, message: OutboxMessage) -> None: ...


@runtime_checkable
class SmsGateway(Protocol):
    """The outside SMS provider. Must accept the same key twice and send only once."""

    def send(self, *, phone: str, text: str, idempotency_key: str) -> None: ...


class ConsoleSmsGateway:
    """The embedded default: writes the SMS to the log instead of sending it."""

    def send(self, *, phone: str, text: str, idempotency_key: str) -> None:
        logger.info("SMS to %s [%s]: %s", phone, idempotency_key, text)


class InAppChannel:
    def send(self, message: OutboxMessage) -> None:
        if message.recipient_id is None:
            raise DeliveryError("in-app message without a recipient")
        Notification.objects.get_or_create(
            outbox_message=message,
            defaults={
                "recipient_id": message.recipient_id,
                "organisation_id": message.payload.get("organisation_id"),
                "title": message.subject,
                "body": message.body,
                "url": message.url,
                "created_at": clock.now(),
            },
        )


def absolute_link(url: str) -> str:
    """A link usable outside the site (email, SMS), when the public base URL is configured."""
    base = getattr(settings, "PUBLIC_BASE_URL", "").rstrip("/")
    if not url or not base:
        return ""
    return f"{base}{url}"


class EmailChannel:
    def send(self, message: OutboxMessage) -> None:
        if not message.address:
            raise DeliveryError("email message without an address")
        body = message.body
        if link := absolute_link(message.url):
            body = f"{body}\n\n{link}"
        email = EmailMessage(
            subject=message.subject,
            body=body,
            to=[message.address],
            headers={
                # A stable Message-ID lets mail servers and clients drop a resent copy.
                "Message-ID": f"<{message.idempotency_key}@{DNS_NAME}>",
                "X-Idempotency-Key": message.idempotency_key,
            },
        )
        email.send(fail_silently=False)


@cache
def _load_gateway(path: str) -> SmsGateway:
    gateway = import_string(path)()
    if not isinstance(gateway, SmsGateway):
        raise TypeError(f"{path} does not implement SmsGateway.send(*, phone, text, idempotency_key)")
    return gateway


def sms_gateway() -> SmsGateway:
    """The gateway named by ``settings.SMS_GATEWAY`` (an import path to a class)."""
    return _load_gateway(settings.SMS_GATEWAY)


class SmsChannel:
    def send(self, message: OutboxMessage) -> None:
        if not message.address:
            raise DeliveryError("SMS message without a phone number")
        text = f"{message.subject}: {message.body}" if message.body else message.subject
        if link := absolute_link(message.url):
            text = f"{text} {link}"
        sms_gateway().send(phone=message.address, text=text[:SMS_MAX_LENGTH], idempotency_key=message.idempotency_key)


CHANNELS: dict[str, DeliveryChannel] = {
    Channel.IN_APP: InAppChannel(),
    Channel.EMAIL: EmailChannel(),
    Channel.SMS: SmsChannel(),
}


def get_channel(name: str) -> DeliveryChannel:
    return CHANNELS[name]
