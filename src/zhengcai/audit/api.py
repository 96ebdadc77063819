"""Audit API, mounted at /api/v1/audit/: the events a regulator may read, the public heads,
and a verification of the chain."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from zhengcai.audit import selectors
from zhengcai.audit.chain import hashed_time
from zhengcai.audit.forms import EventFilterForm
from zhengcai.audit.models import AuditAnchor, AuditEvent
from zhengcai.audit.permissions import VERIFY, policy
from zhengcai.audit.verify import verify_chain
from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotFound, ValidationFailed

router = Router(tags=["audit"])

MAX_LIMIT = 200
MAX_ANCHORS = 3660


class EventQuery(Schema):
    actor: str = Field("", description="Actor label fragment, or a user id when all digits.")
    organisation: str = Field("", description="Organisation id.")
    object_type: str = Field("", description="e.g. accounts.organisation")
    object_id: str = ""
    action: str = Field("", description="Action prefix, e.g. accounts.")
    time_from: str = Field("", description="ISO date or date-time (Asia/Shanghai when no offset), inclusive.")
    time_to: str = Field("", description="ISO date or date-time, inclusive; a date alone includes the whole day.")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


HASHED_TIME = "UTC, exactly as hashed: ISO 8601 with six fractional digits and Z, e.g. 2026-03-02T01:00:00.000000Z."


class EventOut(Schema):
    seq: int
    occurred_at: str = Field(description=HASHED_TIME)
    actor_id: int | None
    actor_label: str
    organisation_id: int | None
    region_code: str
    action: str
    object_type: str
    object_id: str
    data: dict[str, Any]
    prev_hash: str
    hash: str


class EventPageOut(Schema):
    items: list[EventOut]
    count: int


class HeadOut(Schema):
    seq: int
    hash: str
    occurred_at: str | None = Field(description=HASHED_TIME)


class AnchorOut(Schema):
    day: dt.date
    seq: int
    hash: str
    published_at: dt.datetime


class HeadsOut(Schema):
    head: HeadOut
    anchors: list[AnchorOut]
    count: int


class BrokenOut(Schema):
    seq: int
    reason: str
    message: str


class VerifyOut(Schema):
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    anchors_checked: int
    broken: BrokenOut | None


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


def _event(e: AuditEvent) -> dict[str, Any]:
    row = {f: getattr(e, f) for f in EventOut.model_fields}
    # Not a datetime: ninja's JSON encoder would cut it to milliseconds, and the hash has six digits.
    row["occurred_at"] = hashed_time(e.occurred_at)
    return row


@router.get("/events", response=EventPageOut, summary="Audit events in the regulator's region, newest first")
def events(request: HttpRequest, query: Query[EventQuery]) -> dict[str, Any]:
    actor = _actor(request)
    selectors.events_visible(actor=actor)  # NotFound for anyone but a regulator, before validating
    form = EventFilterForm(query.model_dump(exclude={"limit", "offset"}))
    if not form.is_valid():
        raise ValidationFailed(fields={k: list(v) for k, v in form.errors.items()})
    qs = selectors.events_filtered(actor=actor, filters=form.filters())
    items = list(qs[query.offset : query.offset + query.limit])
    return {"items": [_event(e) for e in items], "count": qs.count()}


@router.get("/heads", response=HeadsOut, auth=None, summary="The live head and the published daily heads (public)")
def heads(
    request: HttpRequest,
    limit: int = Query(366, ge=1, le=MAX_ANCHORS),
    offset: int = Query(0, ge=0),
) -> dict[str, Any]:
    anchors = selectors.published_heads()
    head = selectors.current_head()
    page: list[AuditAnchor] = list(anchors[offset : offset + limit])
    return {
        "head": {
            "seq": head.seq,
            "hash": head.hash,
            "occurred_at": hashed_time(head.occurred_at) if head.occurred_at else None,
        },
        "anchors": [{"day": a.day, "seq": a.seq, "hash": a.hash, "published_at": a.published_at} for a in page],
        "count": anchors.count(),
    }


@router.get("/verify", response=VerifyOut, summary="Verify the whole chain now (regulators)")
def verify(request: HttpRequest) -> dict[str, Any]:
    if not policy.can(_actor(request), VERIFY):
        raise NotFound()
    return verify_chain().as_dict()
