"""Writes to the category tree, attribute templates (统一标准) and banned words: operators only.

Policy for templates in use (a "use" is a listing of the category, outside drafts, that has a
value for the attribute): such an attribute cannot be removed and its key cannot change, and a
choice value in use cannot be dropped, because that would silently strip or invalidate what
suppliers have listed and reviewers approved. The operator makes it optional instead (listings
keep their value, new ones may leave it out). A new required attribute may be added at any time:
listed listings stay listed, and the check asks for the value at their next submission.
"""

from __future__ import annotations

import contextlib
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from zhengcai.audit.services import audit_record
from zhengcai.catalogue import selectors as catalogue_selectors
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import NotFound, NotPermitted, ValidationFailed
from zhengcai.listings import permissions
from zhengcai.listings.models import AttributeSpec, BannedWord, Category, Listing
from zhengcai.listings.states import AttributeKind, ListingStatus

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_ALLOWED_VALUES = 50


def _require_operator(actor: Actor) -> None:
    if not permissions.is_operator(actor):
        raise NotPermitted(_("Only the platform operator keeps the category tree."))


def _audit(actor: Actor, action: str, obj: Any, **data: Any) -> None:
    audit_record(actor=actor, action=action, obj=obj, data=data, region_code="")


def _listings_in_use(category_id: int) -> Any:
    return Listing.objects.filter(category_id=category_id).exclude(status=ListingStatus.DRAFT)


# -- categories ------------------------------------------------------------------------------


def _clean_category(
    *,
    instance: Category | None,
    code: str,
    name: str,
    name_en: str,
    parent_id: Any,
    catalogue_code: str,
) -> tuple[str, str, str, Category | None, Any]:
    fields: dict[str, list[Any]] = {}
    code = (code or "").strip().lower()
    name = (name or "").strip()
    name_en = (name_en or "").strip()
    if not _SLUG.match(code) or len(code) > 40:
        fields["code"] = [_("Use lower-case letters, digits and hyphens (at most 40), e.g. office-paper.")]
    elif Category.objects.filter(code=code).exclude(pk=instance.pk if instance else 0).exists():
        fields["code"] = [_("Another category has this code.")]
    elif instance is not None and code != instance.code and instance.listings.exists():
        fields["code"] = [_("The code of a category with listings cannot change.")]
    if not name or len(name) > 100:
        fields["name"] = [_("Give the category a name (at most 100 characters).")]
    if len(name_en) > 100:
        fields["name_en"] = [_("At most 100 characters.")]
    parent = _clean_parent(fields, instance, parent_id)
    item = None
    if (catalogue_code or "").strip():
        try:
            item = catalogue_selectors.catalogue_get(catalogue_code)
        except ValidationFailed:
            fields["catalogue_code"] = [
                _("“%(code)s” is not a code of the procurement catalogue.") % {"code": catalogue_code}
            ]
    if "parent" not in fields:
        _check_catalogue_nesting(fields, instance, parent, item)
    if fields:
        raise ValidationFailed(fields=fields)
    return code, name, name_en, parent, item


def _clean_parent(fields: dict[str, list[Any]], instance: Category | None, parent_id: Any) -> Category | None:
    """The tree has two levels (the mall's home page and search show two): a parent is a root,
    and a category with subcategories stays a root."""
    if parent_id in (None, "", 0, "0"):
        return None
    parent = None
    with contextlib.suppress(TypeError, ValueError):
        parent = Category.objects.filter(pk=int(parent_id)).first()
    if parent is None:
        fields["parent"] = [_("Choose an existing category.")]
    elif instance is not None and _is_below(parent, instance):
        fields["parent"] = [_("A category cannot be placed under itself or one of its subcategories.")]
    elif parent.parent_id is not None:
        fields["parent"] = [_("The tree has two levels: choose a top-level category as the parent.")]
    elif instance is not None and instance.children.exists():
        fields["parent"] = [_("This category has subcategories: it stays at the top level.")]
    elif parent.listings.exists():
        fields["parent"] = [_("This category has listings: it cannot get subcategories.")]
    return parent


def _catalogue_within(item: Any, ancestor: Any) -> bool:
    """Whether catalogue entry ``item`` is ``ancestor`` or lies below it."""
    seen: set[int] = set()
    current = item
    while current is not None and current.pk not in seen:
        if current.pk == ancestor.pk:
            return True
        seen.add(current.pk)
        current = current.parent
    return False


def _check_catalogue_nesting(
    fields: dict[str, list[Any]], instance: Category | None, parent: Category | None, item: Any
) -> None:
    """A subcategory's catalogue code lies within its parent's (when both have one); a parent's
    new code must still cover its subcategories' codes."""
    if item is None:
        return
    if parent is not None and parent.catalogue_item is not None and not _catalogue_within(item, parent.catalogue_item):
        fields["catalogue_code"] = [
            _("%(code)s does not lie under the parent category's catalogue code %(parent)s.")
            % {"code": item.code, "parent": parent.catalogue_item.code}
        ]
        return
    if instance is None:
        return
    outside = [
        child.catalogue_item.code
        for child in instance.children.select_related("catalogue_item")
        if child.catalogue_item is not None and not _catalogue_within(child.catalogue_item, item)
    ]
    if outside:
        fields["catalogue_code"] = [
            _("Subcategories have catalogue codes outside %(code)s: %(codes)s.")
            % {"code": item.code, "codes": "、".join(sorted(outside))}
        ]


def _is_below(node: Category, ancestor: Category) -> bool:
    seen: set[int] = set()
    current: Category | None = node
    while current is not None and current.pk not in seen:
        if current.pk == ancestor.pk:
            return True
        seen.add(current.pk)
        current = current.parent
    return False


@transaction.atomic
def category_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    name_en: str = "",
    parent_id: Any = None,
    catalogue_code: str = "",
    is_active: bool = True,
    position: int | None = None,
) -> Category:
    _require_operator(actor)
    code, name, name_en, parent, item = _clean_category(
        instance=None, code=code, name=name, name_en=name_en, parent_id=parent_id, catalogue_code=catalogue_code
    )
    if position is None:
        last = Category.objects.filter(parent=parent).aggregate(m=Max("position"))["m"]
        position = (last or 0) + 1
    category = Category.objects.create(
        code=code,
        name=name,
        name_en=name_en,
        parent=parent,
        catalogue_item=item,
        is_active=bool(is_active),
        position=position,
    )
    _audit(
        actor,
        "listings.category.create",
        category,
        code=code,
        name=name,
        parent=parent.code if parent else None,
        catalogue_code=item.code if item else None,
    )
    return category


@transaction.atomic
def category_update(
    *,
    actor: Actor,
    category_id: int,
    code: str,
    name: str,
    name_en: str = "",
    parent_id: Any = None,
    catalogue_code: str = "",
    is_active: bool = True,
) -> Category:
    _require_operator(actor)
    category = Category.objects.select_for_update().filter(pk=category_id).first()
    if category is None:
        raise NotFound()
    code, name, name_en, parent, item = _clean_category(
        instance=category, code=code, name=name, name_en=name_en, parent_id=parent_id, catalogue_code=catalogue_code
    )
    before = {"code": category.code, "name": category.name, "active": category.is_active}
    category.code, category.name, category.name_en = code, name, name_en
    category.parent, category.catalogue_item, category.is_active = parent, item, bool(is_active)
    category.save()
    # Names, codes and the active flag show in search: re-index the category's listings.
    Listing.objects.filter(category=category).update(search_dirty=True)
    _audit(
        actor,
        "listings.category.update",
        category,
        before=before,
        code=code,
        name=name,
        active=category.is_active,
        parent=parent.code if parent else None,
        catalogue_code=item.code if item else None,
    )
    return category


# -- attribute templates ---------------------------------------------------------------------


def _spec_in_use(spec: AttributeSpec) -> int:
    return _listings_in_use(spec.category_id).filter(specs__has_key=spec.key).count()


def _values_in_use(spec: AttributeSpec) -> set[str]:
    rows = _listings_in_use(spec.category_id).filter(specs__has_key=spec.key).values_list("specs", flat=True)
    return {str(r.get(spec.key)) for r in rows if isinstance(r, dict)}


def _clean_allowed(kind: str, allowed_values: Any) -> list[str]:
    if kind != AttributeKind.CHOICE:
        return []
    if isinstance(allowed_values, str):
        allowed_values = re.split(r"[\n,，、;；]+", allowed_values)
    values: list[str] = []
    for v in allowed_values or []:
        text = str(v).strip()
        if text and text not in values:
            values.append(text[:60])
    return values


def _clean_spec(
    *,
    category: Category,
    spec: AttributeSpec | None,
    key: str,
    label: str,
    label_en: str,
    kind: str,
    unit: str,
    allowed_values: Any,
    integer: bool = False,
) -> tuple[str, str, str, str, list[str]]:
    fields: dict[str, list[Any]] = {}
    if category.children.exists():
        fields["category"] = [_("Only a category without subcategories has an attribute template.")]
    key = (key or "").strip().lower()
    label = (label or "").strip()
    label_en = (label_en or "").strip()
    unit = (unit or "").strip()
    if not _KEY.match(key) or len(key) > 40:
        fields["key"] = [_("Use lower-case letters, digits and underscores, starting with a letter (at most 40).")]
    elif AttributeSpec.objects.filter(category=category, key=key).exclude(pk=spec.pk if spec else 0).exists():
        fields["key"] = [_("The template already has an attribute with this key.")]
    if not label or len(label) > 60:
        fields["label"] = [_("Give the attribute a label (at most 60 characters).")]
    if len(label_en) > 60:
        fields["label_en"] = [_("At most 60 characters.")]
    if len(unit) > 20:
        fields["unit"] = [_("At most 20 characters.")]
    if kind not in AttributeKind.values:
        fields["kind"] = [_("Choose text, number or choice.")]
    values = _clean_allowed(kind, allowed_values)
    if kind == AttributeKind.CHOICE and not values:
        fields["allowed_values"] = [_("A choice needs at least one allowed value.")]
    elif len(values) > MAX_ALLOWED_VALUES:
        fields["allowed_values"] = [_("At most %(n)s allowed values.") % {"n": MAX_ALLOWED_VALUES}]
    if integer and kind != AttributeKind.NUMBER:
        fields["integer"] = [_("Only a number attribute can be limited to whole numbers.")]
    if spec is not None and not fields:
        fields.update(_in_use_changes(spec, key=key, kind=kind, values=values, integer=integer))
    if fields:
        raise ValidationFailed(fields=fields)
    return key, label, label_en, unit, values


def _in_use_changes(
    spec: AttributeSpec, *, key: str, kind: str, values: list[str], integer: bool = False
) -> dict[str, list[Any]]:
    """What a change may not do to an attribute listings use."""
    fields: dict[str, list[Any]] = {}
    if not _spec_in_use(spec):
        return fields
    if key != spec.key:
        fields["key"] = [_("Listings use this attribute: its key cannot change.")]
    if kind != spec.kind:
        fields["kind"] = [_("Listings use this attribute: its kind cannot change.")]
    elif kind == AttributeKind.CHOICE:
        dropped = sorted(_values_in_use(spec) - set(values))
        if dropped:
            fields["allowed_values"] = [
                _("Listings use these values, they cannot be removed: %(values)s") % {"values": "、".join(dropped)}
            ]
    elif kind == AttributeKind.NUMBER and integer and not spec.integer:
        fractional = sorted(v for v in _values_in_use(spec) if not _is_whole(v))
        if fractional:
            fields["integer"] = [
                _("Listings use values that are not whole numbers: %(values)s") % {"values": "、".join(fractional)}
            ]
    return fields


def _is_whole(value: str) -> bool:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return False
    return number.is_finite() and number == number.to_integral()


@transaction.atomic
def spec_save(
    *,
    actor: Actor,
    category_id: int,
    key: str,
    label: str,
    label_en: str = "",
    kind: str = AttributeKind.TEXT,
    unit: str = "",
    required: bool = False,
    allowed_values: Any = (),
    filterable: bool = False,
    integer: bool = False,
    spec_id: int | None = None,
) -> AttributeSpec:
    """Add an attribute to a leaf's template (``spec_id`` None) or change one."""
    _require_operator(actor)
    category = Category.objects.select_for_update().filter(pk=category_id).first()
    if category is None:
        raise NotFound()
    spec: AttributeSpec | None = None
    if spec_id is not None:
        spec = AttributeSpec.objects.filter(pk=spec_id, category=category).first()
        if spec is None:
            raise NotFound()
    key, label, label_en, unit, values = _clean_spec(
        category=category,
        spec=spec,
        key=key,
        label=label,
        label_en=label_en,
        kind=kind,
        unit=unit,
        allowed_values=allowed_values,
        integer=bool(integer),
    )
    data = {
        "key": key,
        "label": label,
        "label_en": label_en,
        "kind": kind,
        "unit": unit,
        "required": bool(required),
        "allowed_values": values,
        "filterable": bool(filterable),
        "integer": bool(integer),
    }
    if spec is None:
        last = AttributeSpec.objects.filter(category=category).aggregate(m=Max("position"))["m"]
        spec = AttributeSpec.objects.create(category=category, position=(last or 0) + 1, **data)
        action = "listings.spec.create"
    else:
        for name, value in data.items():
            setattr(spec, name, value)
        spec.save()
        action = "listings.spec.update"
    Listing.objects.filter(category=category).update(search_dirty=True)
    _audit(actor, action, spec, category=category.code, **data)
    return spec


def _spec_of(spec_id: int, category_id: int | None) -> AttributeSpec:
    qs = AttributeSpec.objects.select_related("category").filter(pk=spec_id)
    if category_id is not None:
        qs = qs.filter(category_id=category_id)
    spec = qs.first()
    if spec is None:
        raise NotFound()
    return spec


@transaction.atomic
def spec_remove(*, actor: Actor, spec_id: int, category_id: int | None = None) -> None:
    """Remove an attribute no listing uses; one in use is refused (make it optional instead).
    With ``category_id``, an attribute of another category is NotFound."""
    _require_operator(actor)
    spec = _spec_of(spec_id, category_id)
    Category.objects.select_for_update().filter(pk=spec.category_id).first()
    used = _spec_in_use(spec)
    if used:
        raise ValidationFailed(
            _(
                "%(count)s listing(s) have a value for “%(label)s”: it cannot be removed. "
                "Make it optional instead, or remove it once no listing uses it."
            )
            % {"count": used, "label": spec.label},
            code="spec_in_use",
        )
    _audit(actor, "listings.spec.remove", spec, category=spec.category.code, key=spec.key)
    spec.delete()


@transaction.atomic
def spec_move(*, actor: Actor, spec_id: int, direction: str, category_id: int | None = None) -> AttributeSpec:
    """Move an attribute one place up or down in its template (of ``category_id`` if given)."""
    _require_operator(actor)
    spec = _spec_of(spec_id, category_id)
    if direction not in ("up", "down"):
        raise ValidationFailed(fields={"direction": [_("Move up or down.")]})
    specs = list(
        AttributeSpec.objects.select_for_update().filter(category_id=spec.category_id).order_by("position", "pk")
    )
    index = next(i for i, s in enumerate(specs) if s.pk == spec.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(specs):
        specs[index], specs[other] = specs[other], specs[index]
        for position, s in enumerate(specs, start=1):
            if s.position != position:
                s.position = position
                s.save(update_fields=["position"])
        _audit(actor, "listings.spec.move", spec, category=spec.category.code, key=spec.key, direction=direction)
    spec.refresh_from_db()
    return spec


# -- banned words ----------------------------------------------------------------------------


@transaction.atomic
def banned_word_add(*, actor: Actor, word: str) -> BannedWord:
    _require_operator(actor)
    text = (word or "").strip()
    if not text or len(text) > 40:
        raise ValidationFailed(fields={"word": [_("Enter a word (at most 40 characters).")]})
    existing = BannedWord.objects.select_for_update().filter(word=text).first()
    if existing is not None:
        if not existing.is_active:
            existing.is_active = True
            existing.save(update_fields=["is_active"])
            _audit(actor, "listings.banned_word.activate", existing, word=text)
        return existing
    banned = BannedWord.objects.create(word=text, created_at=clock.now())
    _audit(actor, "listings.banned_word.create", banned, word=text)
    return banned


@transaction.atomic
def banned_word_deactivate(*, actor: Actor, word_id: int) -> BannedWord:
    _require_operator(actor)
    banned = BannedWord.objects.select_for_update().filter(pk=word_id).first()
    if banned is None:
        raise NotFound()
    if banned.is_active:
        banned.is_active = False
        banned.save(update_fields=["is_active"])
        _audit(actor, "listings.banned_word.deactivate", banned, word=banned.word)
    return banned
