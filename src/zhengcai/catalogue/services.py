"""Writes to the catalogue: seeding the shipped defaults."""

from __future__ import annotations

from django.db import transaction

from zhengcai.audit.services import audit_record
from zhengcai.catalogue.defaults import DEFAULT_CATALOGUE
from zhengcai.catalogue.models import KIND_FOR_LETTER, CatalogueItem
from zhengcai.core.actor import SYSTEM, Actor
from zhengcai.core.errors import NotPermitted
from zhengcai.core.roles import Role


def catalogue_seed_defaults(*, actor: Actor = SYSTEM) -> int:
    """Create the shipped catalogue entries that are missing; idempotent.

    Preconditions: the platform itself or an operator.
    Effects: inserts missing codes (existing ones, possibly edited by the operator, are
    left as they are). Returns how many were created.
    Audit events: ``catalogue.seeded`` when anything was created.
    """
    if not (actor.is_system or actor.has_role(Role.OPERATOR)):
        raise NotPermitted()
    with transaction.atomic():
        existing = {item.code: item for item in CatalogueItem.objects.select_for_update().order_by("pk")}
        created = 0
        for entry in DEFAULT_CATALOGUE:
            if entry.code in existing:
                continue
            item = CatalogueItem.objects.create(
                code=entry.code,
                name=entry.name,
                parent=existing[entry.parent] if entry.parent else None,
                kind=KIND_FOR_LETTER[entry.code[0]],
                in_mall=entry.in_mall,
                is_centralised=entry.centralised,
                unverified=entry.unverified,
            )
            existing[entry.code] = item
            created += 1
        if created:
            audit_record(actor=actor, action="catalogue.seeded", data={"created": created}, region_code="")
    return created
