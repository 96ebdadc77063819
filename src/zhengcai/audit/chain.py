"""The hash of an audit event: SHA-256 over a canonical JSON of its fields and the
previous event's hash. Anyone holding an export can recompute it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def hashed_time(occurred_at: dt.datetime) -> str:
    """The time exactly as it enters the hash: UTC, ISO 8601, six fractional digits, ``Z``.

    The API and both exports publish this string, so a reader recomputes the hash from it
    without guessing a time zone or losing microseconds.
    """
    return occurred_at.astimezone(dt.UTC).strftime(TIME_FORMAT)


def normalise(data: Any) -> Any:
    """What the JSON column will give back: Decimals, dates and UUIDs become strings."""
    return json.loads(json.dumps(data, default=str, ensure_ascii=False))


def event_hash(
    *,
    seq: int,
    prev_hash: str,
    occurred_at: dt.datetime,
    actor_id: int | None,
    actor_label: str,
    organisation_id: int | None,
    region_code: str,
    action: str,
    object_type: str,
    object_id: str,
    data: Any,
) -> str:
    payload = {
        "seq": seq,
        "prev_hash": prev_hash,
        "occurred_at": hashed_time(occurred_at),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "organisation_id": organisation_id,
        "region_code": region_code,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "data": data,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
