"""Demo data for this app (idempotent); called by ``web.demo.seed_demo``.

- the category tree and attribute templates of ``listings.taxonomy`` (codes are a contract);
- the banned words;
- a handful of hand-made listings of the demo suppliers in every status (``demo_listings``).
"""

from __future__ import annotations

from django.db import transaction

from zhengcai.core.actor import Actor
from zhengcai.core.errors import ValidationFailed
from zhengcai.listings import category_services
from zhengcai.listings.demo_listings import seed_listings
from zhengcai.listings.models import AttributeSpec, BannedWord, Category
from zhengcai.listings.taxonomy import DEMO_BANNED_WORDS, DEMO_CATEGORIES


def _sync_catalogue_code(actor: Actor, category: Category, code: str) -> int:
    """Bring an earlier seed's catalogue mapping up to date (the mappings were corrected)."""
    current = category.catalogue_item.code if category.catalogue_item else ""
    if current == code:
        return 0
    category_services.category_update(
        actor=actor,
        category_id=category.pk,
        code=category.code,
        name=category.name,
        name_en=category.name_en,
        parent_id=category.parent_id,
        catalogue_code=code,
        is_active=category.is_active,
    )
    return 1


def _sync_integer(actor: Actor, spec: AttributeSpec, integer: bool) -> int:
    """Counts of an earlier seed become whole-number attributes (when no listing has a fraction)."""
    if spec.integer == integer:
        return 0
    try:
        category_services.spec_save(
            actor=actor,
            category_id=spec.category_id,
            spec_id=spec.pk,
            key=spec.key,
            label=spec.label,
            label_en=spec.label_en,
            kind=spec.kind,
            unit=spec.unit,
            required=spec.required,
            allowed_values=list(spec.allowed_values or []),
            filterable=spec.filterable,
            integer=integer,
        )
    except ValidationFailed:
        return 0
    return 1


def seed_categories(*, actor: Actor) -> int:
    """Create the demo categories, their templates and the banned words that are missing."""
    created = 0
    with transaction.atomic():
        for position, definition in enumerate(DEMO_CATEGORIES, start=1):
            category = Category.objects.filter(code=definition.code).first()
            if category is None:
                parent = Category.objects.get(code=definition.parent) if definition.parent else None
                category = category_services.category_create(
                    actor=actor,
                    code=definition.code,
                    name=definition.name,
                    name_en=definition.name_en,
                    parent_id=parent.pk if parent else None,
                    catalogue_code=definition.catalogue_code,
                    position=position,
                )
                created += 1
            else:
                created += _sync_catalogue_code(actor, category, definition.catalogue_code)
            for spec in definition.specs:
                existing = AttributeSpec.objects.filter(category=category, key=spec.key).first()
                if existing is not None:
                    created += _sync_integer(actor, existing, spec.integer)
                    continue
                category_services.spec_save(
                    actor=actor,
                    category_id=category.pk,
                    key=spec.key,
                    label=spec.label,
                    label_en=spec.label_en,
                    kind=spec.kind,
                    unit=spec.unit,
                    required=spec.required,
                    allowed_values=list(spec.allowed),
                    filterable=spec.filterable,
                    integer=spec.integer,
                )
                created += 1
        for word in DEMO_BANNED_WORDS:
            if not BannedWord.objects.filter(word=word).exists():
                category_services.banned_word_add(actor=actor, word=word)
                created += 1
    return created


def seed_demo(*, actor: Actor) -> int:
    """Create this app's demo data unless it is there; return how many things were created."""
    created = seed_categories(actor=actor)
    created += seed_listings(actor=actor)
    return created
