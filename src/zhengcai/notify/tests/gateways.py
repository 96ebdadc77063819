"""Stand-ins for the outside SMS provider (the only thing tests replace)."""

from __future__ import annotations

import time
from typing import ClassVar


class FlakyGateway:
    """Fails ``failures_left`` times, then sends; records what it sent, dedupes by key like a real provider."""

    failures_left: ClassVar[int] = 0
    sent: ClassVar[list[dict[str, str]]] = []
    calls: ClassVar[int] = 0

    @classmethod
    def reset(cls, *, failures: int = 0) -> None:
        cls.failures_left = failures
        cls.sent = []
        cls.calls = 0

    def send(self, *, phone: str, text: str, idempotency_key: str) -> None:
        type(self).calls += 1
        if type(self).failures_left > 0:
            type(self).failures_left -= 1
            raise ConnectionError("SMS provider unavailable")
        if any(s["key"] == idempotency_key for s in self.sent):
            return
        self.sent.append({"phone": phone, "text": text, "key": idempotency_key})


class NotAGateway:
    """Lacks ``send``: loading it must fail loudly."""


class SlowGateway:
    """Holds the line for a moment, so a second worker arrives while the first is sending."""

    sent: ClassVar[list[str]] = []

    def send(self, *, phone: str, text: str, idempotency_key: str) -> None:
        time.sleep(0.5)
        self.sent.append(idempotency_key)
