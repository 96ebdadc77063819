"""Verify the audit chain: every event's hash, every link, the head and the published anchors.

The verifier streams events in sequence order with a server-side cursor (PostgreSQL) or
chunked fetches (SQLite), so a chain of millions of rows is checked in constant memory.
It stops at the first broken link: everything after it is suspect anyway, and the first
break is where an investigation starts.

What each check catches:

- the recomputed hash differs from the stored one: the row was altered (or re-numbered);
- the sequence number jumps: a row was deleted;
- ``prev_hash`` differs from the previous row's hash: a row was deleted, altered and
  re-hashed, or inserted out of order;
- the head row does not name the last event: the tail was deleted (or rows were appended
  outside ``audit_record``);
- a published anchor names a different hash for its sequence number: the chain was
  rewritten after that day's head was published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhengcai.audit.chain import event_hash
from zhengcai.audit.models import GENESIS_HASH, AuditAnchor, AuditEvent, AuditHead

CHUNK_SIZE = 2000


class Reason:
    """Stable codes for the ways a chain can break (messages below are for people)."""

    HASH_MISMATCH = "hash_mismatch"
    SEQUENCE_GAP = "sequence_gap"
    PREV_HASH_MISMATCH = "prev_hash_mismatch"
    HEAD_MISSING = "head_missing"
    HEAD_MISMATCH = "head_mismatch"
    HEAD_HASH_MISMATCH = "head_hash_mismatch"
    EVENT_AFTER_HEAD = "event_after_head"
    ANCHOR_MISMATCH = "anchor_mismatch"


REASON_MESSAGES: dict[str, Promise] = {
    Reason.HASH_MISMATCH: _("hash mismatch (row altered)"),
    Reason.SEQUENCE_GAP: _("sequence gap: expected %(expected)s (row deleted)"),
    Reason.PREV_HASH_MISMATCH: _(
        "prev_hash does not match previous event (row deleted, altered and re-hashed, or inserted out of order)"
    ),
    Reason.HEAD_MISSING: _("the head row is missing"),
    Reason.HEAD_MISMATCH: _("head does not match last event (tail deleted)"),
    Reason.HEAD_HASH_MISMATCH: _("head hash does not match the last event (head or last event rewritten)"),
    Reason.EVENT_AFTER_HEAD: _("event after the head (row appended outside the audit service)"),
    Reason.ANCHOR_MISMATCH: _("published anchor for %(day)s does not match"),
}


@dataclass(frozen=True, slots=True)
class BrokenLink:
    """The first place the chain does not hold."""

    seq: int
    reason: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return str(REASON_MESSAGES[self.reason]) % self.params if self.params else str(REASON_MESSAGES[self.reason])


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    checked: int  # events whose hash and link were checked
    head_seq: int
    head_hash: str
    anchors_checked: int = 0
    broken: BrokenLink | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
            "anchors_checked": self.anchors_checked,
            "broken": None
            if self.broken is None
            else {"seq": self.broken.seq, "reason": self.broken.reason, "message": self.broken.message},
        }


def recompute_hash(event: AuditEvent) -> str:
    """The hash the event should carry given its stored fields."""
    return event_hash(
        seq=event.seq,
        prev_hash=event.prev_hash,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        organisation_id=event.organisation_id,
        region_code=event.region_code,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        data=event.data,
    )


def _check_event(event: AuditEvent, expected_seq: int, prev_hash: str) -> BrokenLink | None:
    if recompute_hash(event) != event.hash:
        return BrokenLink(event.seq, Reason.HASH_MISMATCH)
    if event.seq != expected_seq:
        return BrokenLink(event.seq, Reason.SEQUENCE_GAP, {"expected": expected_seq})
    if event.prev_hash != prev_hash:
        return BrokenLink(event.seq, Reason.PREV_HASH_MISMATCH)
    return None


@dataclass(slots=True)
class _Walk:
    """Where the streaming pass got to."""

    checked: int = 0
    anchors_checked: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS_HASH
    broken: BrokenLink | None = None


def _walk(
    head_seq: int,
    anchors: dict[int, list[tuple[dt.date, str]]],
    progress: Callable[[int], None] | None,
    progress_every: int,
) -> _Walk:
    walk = _Walk()
    # On PostgreSQL a transaction gives the server-side cursor one snapshot without WITH
    # HOLD materialisation. Not on SQLite: there an atomic block takes the write lock
    # (IMMEDIATE), and one statement already reads one snapshot.
    snapshot = transaction.atomic() if connection.vendor == "postgresql" else nullcontext()
    with snapshot:
        events = AuditEvent.objects.filter(seq__lte=head_seq).order_by("seq").iterator(chunk_size=CHUNK_SIZE)
        for event in events:
            walk.broken = _check_event(event, walk.last_seq + 1, walk.last_hash)
            for day, digest in anchors.get(event.seq, ()) if walk.broken is None else ():
                walk.anchors_checked += 1
                if digest != event.hash:
                    walk.broken = BrokenLink(event.seq, Reason.ANCHOR_MISMATCH, {"day": day.isoformat()})
            if walk.broken is not None:
                return walk
            walk.checked += 1
            walk.last_seq, walk.last_hash = event.seq, event.hash
            if progress is not None and walk.checked % progress_every == 0:
                progress(walk.checked)
    return walk


def _check_end(
    walk: _Walk, head_seq: int, head_hash: str, anchors: dict[int, list[tuple[dt.date, str]]]
) -> BrokenLink | None:
    if walk.last_seq != head_seq:
        return BrokenLink(walk.last_seq + 1, Reason.HEAD_MISMATCH)
    if walk.last_hash != head_hash:
        return BrokenLink(head_seq, Reason.HEAD_HASH_MISMATCH)
    # An anchor for a sequence number the chain never reached names a deleted event.
    beyond = sorted(seq for seq in anchors if seq > walk.last_seq)
    if beyond:
        return BrokenLink(beyond[0], Reason.ANCHOR_MISMATCH, {"day": anchors[beyond[0]][0][0].isoformat()})
    # Events past the head: an append commits its event and the head together, so read the
    # highest event first and the head second; every committed append is then covered.
    max_seq = AuditEvent.objects.aggregate(m=Max("seq"))["m"] or 0
    if max_seq <= head_seq:
        return None
    current_head = AuditHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0
    if max_seq <= current_head:
        return None
    first_extra = AuditEvent.objects.filter(seq__gt=current_head).order_by("seq").values_list("seq", flat=True).first()
    return BrokenLink(first_extra or max_seq, Reason.EVENT_AFTER_HEAD)


def verify_chain(*, progress: Callable[[int], None] | None = None, progress_every: int = 100_000) -> VerifyResult:
    """Check the whole chain; ``progress(checked)`` is called every ``progress_every`` events.

    Reads only; safe to run while events are being appended: it checks the chain up to the
    head it read first, and an event beyond the head counts as forged only when the head
    read after it still does not cover it.
    """
    head = AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()
    if head is None:
        first = AuditEvent.objects.order_by("seq").values_list("seq", flat=True).first()
        if first is None:
            return VerifyResult(ok=True, checked=0, head_seq=0, head_hash=GENESIS_HASH)
        return VerifyResult(
            ok=False, checked=0, head_seq=0, head_hash="", broken=BrokenLink(first, Reason.HEAD_MISSING)
        )
    head_seq, head_hash = head
    anchors: dict[int, list[tuple[dt.date, str]]] = {}
    for day, seq, digest in AuditAnchor.objects.values_list("day", "seq", "hash"):
        anchors.setdefault(seq, []).append((day, digest))
    walk = _walk(head_seq, anchors, progress, progress_every)
    broken = walk.broken or _check_end(walk, head_seq, head_hash, anchors)
    return VerifyResult(
        ok=broken is None,
        checked=walk.checked,
        head_seq=head_seq,
        head_hash=head_hash,
        anchors_checked=walk.anchors_checked,
        broken=broken,
    )
