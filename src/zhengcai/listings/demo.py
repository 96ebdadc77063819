"""Demo data for this app (idempotent); called by ``web.demo.seed_demo``.

- the category tree and attribute templates of ``listings.taxonomy`` (codes are a contract);
- the banned words;
- a handful of hand-made listings of the demo suppliers in every status (``demo_listings``).
"""

from __future__ import annotations

from django.db import transaction

from zhengcai.core.actor import Actor
from zhengcai.listings import category_services
from zhengcai.listings.demo_listings import seed_listings
from zhengcai.listings.models import AttributeSpec, BannedWord, Category
from zhengcai.listings.taxonomy import DEMO_BANNED_WORDS, DEMO_CATEGORIES


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
            for spec in definition.specs:
                if AttributeSpec.objects.filter(category=category, key=spec.key).exists():
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
