"""Reads of the audit trail, with visibility built in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from zhengcai.audit.forms import EventFilters
from zhengcai.audit.models import GENESIS_HASH, AuditAnchor, AuditEvent, AuditHead
from zhengcai.audit.permissions import VIEW, policy
from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotFound


@dataclass(frozen=True, slots=True)
class Head:
    """The live head of the chain: what the next event will link to."""

    seq: int
    hash: str
    occurred_at: dt.datetime | None


def published_heads() -> QuerySet[AuditAnchor]:
    """The daily head hashes: public, newest first."""
    return AuditAnchor.objects.order_by("-day")


def current_head() -> Head:
    """The live head (public: a hash and a count reveal nothing about the events)."""
    row = AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()
    seq, digest = row if row is not None else (0, GENESIS_HASH)
    occurred_at = AuditEvent.objects.filter(seq=seq).values_list("occurred_at", flat=True).first() if seq else None
    return Head(seq=seq, hash=digest, occurred_at=occurred_at)


def events_visible(*, actor: Actor) -> QuerySet[AuditEvent]:
    """The events ``actor`` may read; ``NotFound`` for anyone who may not use the viewer."""
    if not policy.can(actor, VIEW):
        raise NotFound()
    return policy.visible(actor, AuditEvent.objects.all())


def events_filtered(*, actor: Actor, filters: EventFilters) -> QuerySet[AuditEvent]:
    """The visible events matching ``filters``, newest first."""
    qs = events_visible(actor=actor)
    if filters.actor:
        match = Q(actor_label__icontains=filters.actor)
        if filters.actor_id is not None:
            match |= Q(actor_id=filters.actor_id)
        qs = qs.filter(match)
    if filters.organisation_id is not None:
        qs = qs.filter(organisation_id=filters.organisation_id)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.action_prefix:
        qs = qs.filter(action__startswith=filters.action_prefix)
    if filters.time_from is not None:
        qs = qs.filter(occurred_at__gte=filters.time_from)
    if filters.time_before is not None:
        qs = qs.filter(occurred_at__lt=filters.time_before)
    return qs.order_by("-seq")


def event_get(*, actor: Actor, seq: int) -> AuditEvent:
    """One visible event by sequence number; missing and not visible are the same ``NotFound``."""
    return policy.get_visible(actor, events_visible(actor=actor), seq=seq)
