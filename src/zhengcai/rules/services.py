"""The only write path for regions, rule-set versions and calendar overrides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pydantic
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from zhengcai.audit.services import audit_record
from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.errors import Conflict, NotFound, ValidationFailed
from zhengcai.rules import permissions
from zhengcai.rules.defaults import default_versions
from zhengcai.rules.models import CalendarOverride, Region, RegionLevel, RuleSet
from zhengcai.rules.values import NOTES_MAX, SOURCE_MAX, VERSION_LABEL_MAX, RuleValues

# -- rule values validation ------------------------------------------------------------------

_PYDANTIC_MESSAGES: dict[str, Any] = {
    "missing": _("This value is required."),
    "int_parsing": _("Enter a whole number."),
    "int_type": _("Enter a whole number."),
    "int_from_float": _("Enter a whole number."),
    "decimal_parsing": _("Enter a number."),
    "decimal_type": _("Enter a number."),
    "bool_parsing": _("Enter yes or no."),
    "bool_type": _("Enter yes or no."),
    "literal_error": _("Choose one of the offered options."),
    "enum": _("Choose one of the offered options."),
    "extra_forbidden": _("This value is not part of a rule set."),
    "decimal_max_places": _("Use at most two decimal places."),
    "decimal_max_digits": _("The number is too large."),
    "decimal_whole_digits": _("The number is too large."),
    "model_type": _("This value is not valid."),
    "dict_type": _("This value is not valid."),
}


def _error_message(error: Mapping[str, Any]) -> Any:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Must be at least %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Must be at most %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt"))}
    if kind == "rule_consistency":
        return ctx["message"]
    if kind in _PYDANTIC_MESSAGES:
        return _PYDANTIC_MESSAGES[kind]
    # Our own validators raise PydanticCustomError with an already translated message.
    if kind in {"band_order", "ratio", "ratio_range"}:
        return error["msg"]
    return _("This value is not valid.")


def _field_key(error: Mapping[str, Any]) -> str:
    """``("sme_small_micro_deduction", "min")`` -> ``"sme_small_micro_deduction.min"``.

    Union members add their type name to the location (``Band``, ``decimal``); drop them.
    """
    if error["type"] == "rule_consistency":
        return str(error["ctx"]["field"])
    parts = [str(p) for p in error["loc"]]
    head = parts[:1]
    tail = [p for p in parts[1:] if p in {"n", "unit", "min", "max"}][:1]
    return ".".join(head + tail) or "values"


def rule_values_parse(values: Mapping[str, Any] | RuleValues) -> RuleValues:
    """Validate ``values`` into ``RuleValues``; ``ValidationFailed`` with per-field messages."""
    try:
        # A RuleValues built with model_copy(update=...) was never validated: always re-check.
        return RuleValues.model_validate(dict(values))
    except pydantic.ValidationError as exc:
        fields: dict[str, list[Any]] = {}
        for error in exc.errors():
            fields.setdefault(_field_key(error), []).append(_error_message(error))
        raise ValidationFailed(_("Some of the rule values are not valid."), fields=fields) from exc


# -- rule sets -------------------------------------------------------------------------------


def _ruleset_insert(
    *,
    actor: Actor,
    region: Region | None,
    effective_from: dt.date,
    values: RuleValues,
    version_label: str,
    source: str,
    notes: str,
) -> RuleSet:
    """Insert one version and audit it (inside the caller's transaction); refuses duplicates."""
    duplicate = RuleSet.objects.filter(region=region, effective_from=effective_from).exists()
    if not duplicate:
        try:
            with transaction.atomic():
                rule_set = RuleSet.objects.create(
                    region=region,
                    effective_from=effective_from,
                    version_label=version_label,
                    source=source,
                    notes=notes,
                    values=values.model_dump(mode="json"),
                    created_by_id=actor.user_id,
                    created_by_label=actor.label,
                    created_at=clock.now(),
                )
        except IntegrityError:
            duplicate = True  # a concurrent insert won the race
    if duplicate:
        raise Conflict(
            _("A version of this region's rules already takes effect on that date."),
            code="ruleset_duplicate",
            fields={"effective_from": [_("A version already takes effect on this date.")]},
        )
    audit_record(
        actor=actor,
        action="rules.ruleset.create",
        obj=rule_set,
        data={
            "region": region.code if region else None,
            "effective_from": effective_from.isoformat(),
            "version_label": version_label,
            "source": source,
            "values": rule_set.values,
        },
        region_code=region.code if region else "",  # the rule set's region, not the operator's
    )
    return rule_set


def ruleset_create(
    *,
    actor: Actor,
    region: Region | None,
    effective_from: dt.date,
    values: Mapping[str, Any] | RuleValues,
    version_label: str,
    notes: str = "",
    source: str = "",
) -> RuleSet:
    """Publish a new rule-set version for ``region`` (None: national) from ``effective_from``.

    Preconditions: the actor is an operator; ``effective_from`` is today or later (a past
    date would retroactively change the rules of processes already running); no version of
    that region takes effect on the same date; ``values`` pass ``RuleValues`` validation.
    Effects: one new, immutable ``RuleSet``. Audit: ``rules.ruleset.create`` with the values.
    Raises ``NotPermitted``, ``ValidationFailed`` (with field errors) or ``Conflict``.
    """
    with transaction.atomic():
        if region is not None:
            # Serialises versions of one region; the unique constraints back this up.
            region = Region.objects.select_for_update().get(pk=region.pk)
        permissions.rulesets.require(actor, permissions.MANAGE)
        errors: dict[str, list[Any]] = {}
        version_label = version_label.strip()
        if not version_label:
            errors["version_label"] = [_("Give the version a name.")]
        for field, text, limit in (
            ("version_label", version_label, VERSION_LABEL_MAX),
            ("source", source.strip(), SOURCE_MAX),
            ("notes", notes.strip(), NOTES_MAX),
        ):
            if len(text) > limit:
                errors[field] = [_("At most %(limit)d characters (this has %(n)d).") % {"limit": limit, "n": len(text)}]
        if effective_from < clock.today():
            errors["effective_from"] = [
                _("A new version cannot take effect in the past; running processes keep their rules.")
            ]
        try:
            parsed = rule_values_parse(values)
        except ValidationFailed as exc:
            errors.update(exc.fields)
        if errors:
            raise ValidationFailed(_("The rule set was not saved: please correct the marked values."), fields=errors)
        return _ruleset_insert(
            actor=actor,
            region=region,
            effective_from=effective_from,
            values=parsed,
            version_label=version_label,
            source=source.strip(),
            notes=notes.strip(),
        )


def rules_seed_defaults(*, actor: Actor) -> None:
    """Load the shipped versions (``rules.defaults``): national ones and Zhejiang's.

    Idempotent: versions that exist (same region and date) are left alone. The initial load
    may create past-dated versions, which the public ``ruleset_create`` refuses. Creates the
    Zhejiang province region (330000) if it is missing.
    Preconditions: the actor is an operator or the platform itself.
    Audit: ``rules.ruleset.create`` per version created (and ``rules.region.create``).
    """
    with transaction.atomic():
        permissions.rulesets.require(actor, permissions.MANAGE)
        for version in default_versions():
            region: Region | None = None
            if version.region_code is not None:
                region = Region.objects.filter(code=version.region_code).first()
                if region is None:
                    region = _region_insert(
                        actor=actor, code=version.region_code, name="浙江省", level=RegionLevel.PROVINCE, parent=None
                    )
            if RuleSet.objects.filter(region=region, effective_from=version.effective_from).exists():
                continue
            _ruleset_insert(
                actor=actor,
                region=region,
                effective_from=version.effective_from,
                values=version.values,
                version_label=version.version_label,
                source=version.source,
                notes=version.notes,
            )


# -- regions ---------------------------------------------------------------------------------


def _region_insert(*, actor: Actor, code: str, name: str, level: str, parent: Region | None) -> Region:
    region = Region.objects.create(code=code, name=name, level=level, parent=parent)
    audit_record(
        actor=actor,
        action="rules.region.create",
        obj=region,
        data={"code": code, "name": name, "level": level, "parent": parent.code if parent else None},
        region_code=code,
    )
    return region


def _region_errors(*, code: str, name: str, level: str, parent: Region | None) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    if not name.strip():
        errors["name"] = [_("Give the region a name.")]
    if level not in RegionLevel.values:
        errors["level"] = [_("Choose province, city or county.")]
        return errors
    if len(code) != 6 or not code.isascii() or not code.isdigit() or code[:2] == "00":
        errors["code"] = [_("An administrative division code has 6 digits.")]
        return errors
    shape_ok = {
        RegionLevel.PROVINCE: code.endswith("0000"),
        RegionLevel.CITY: code.endswith("00") and not code.endswith("0000"),
        RegionLevel.COUNTY: not code.endswith("00"),
    }[RegionLevel(level)]
    if not shape_ok:
        errors["code"] = [_("A province code ends in 0000, a city code in 00 (not 0000), a county code in neither.")]
    if level == RegionLevel.PROVINCE:
        if parent is not None:
            errors["parent"] = [_("A province has no parent region.")]
    elif parent is None:
        errors["parent"] = [_("Choose the region this one belongs to.")]
    else:
        allowed = {
            RegionLevel.CITY: {RegionLevel.PROVINCE},
            RegionLevel.COUNTY: {RegionLevel.CITY, RegionLevel.PROVINCE},
        }
        if parent.level not in allowed[RegionLevel(level)] or not code.startswith(parent.prefix):
            errors["parent"] = [_("The code does not belong under the chosen parent region.")]
    return errors


def region_create(*, actor: Actor, code: str, name: str, level: str, parent: Region | None) -> Region:
    """Add an administrative division to the region tree.

    Preconditions: the actor is an operator; ``code`` is a 6-digit division code whose shape
    fits ``level`` (province ..0000, city ..00, county other) and starts with the parent's
    prefix; provinces have no parent, cities sit under a province, counties under a city (or
    a province, for county-level units directly under it); the code is not taken.
    Audit: ``rules.region.create``. Raises ``NotPermitted``, ``ValidationFailed``, ``Conflict``.
    """
    code = code.strip()
    name = name.strip()
    with transaction.atomic():
        if parent is not None:
            parent = Region.objects.select_for_update().get(pk=parent.pk)
        permissions.regions.require(actor, permissions.MANAGE)
        errors = _region_errors(code=code, name=name, level=level, parent=parent)
        if errors:
            raise ValidationFailed(fields=errors)
        if Region.objects.filter(code=code).exists():
            raise Conflict(
                _("A region with this code already exists."),
                code="region_duplicate",
                fields={"code": [_("A region with this code already exists.")]},
            )
        return _region_insert(actor=actor, code=code, name=name, level=level, parent=parent)


# -- calendar overrides ----------------------------------------------------------------------


# The years the calendar screens, the API and overrides accept: the holiday package's years
# and a planning horizon, not whatever a date picker allows (0001-9999).
CALENDAR_YEARS = range(2000, 2101)


def calendar_year_check(year: int, *, field: str = "year") -> None:
    """``ValidationFailed`` (on ``field``) unless ``year`` is in ``CALENDAR_YEARS``: one rule and
    one message for the web and the API."""
    if year not in CALENDAR_YEARS:
        message = _("The calendar covers the years %(first)d to %(last)d.") % {
            "first": CALENDAR_YEARS.start,
            "last": CALENDAR_YEARS.stop - 1,
        }
        raise ValidationFailed(message, fields={field: [message]})


def _check_future_day(day: dt.date) -> None:
    calendar_year_check(day.year, field="day")
    if day < clock.today():
        raise ValidationFailed(
            _("Days in the past cannot be changed: deadlines already computed from them would move."),
            fields={"day": [_("Choose today or a later day.")]},
        )


def calendar_override_set(*, actor: Actor, day: dt.date, is_working_day: bool, note: str = "") -> CalendarOverride:
    """Make ``day`` a working day (True) or a rest day (False), whatever the holiday package says.

    Used when the State Council announces next year's holidays before the package has them,
    or for a local change. Preconditions: the actor is an operator; ``day`` is today or later.
    Effects: creates or replaces the override for that day. Audit: ``rules.calendar_override.set``
    with the previous setting, if any.
    """
    with transaction.atomic():
        existing = CalendarOverride.objects.select_for_update().filter(day=day).first()
        permissions.calendar.require(actor, permissions.MANAGE)
        _check_future_day(day)
        note = note.strip()
        previous = None if existing is None else existing.is_working_day
        if existing is None:
            override = CalendarOverride.objects.create(
                day=day,
                is_working_day=is_working_day,
                note=note,
                created_by_id=actor.user_id,
                created_by_label=actor.label,
                created_at=clock.now(),
            )
        else:
            override = existing
            override.is_working_day = is_working_day
            override.note = note
            override.created_by_id = actor.user_id
            override.created_by_label = actor.label
            override.created_at = clock.now()
            override.save()
        audit_record(
            actor=actor,
            action="rules.calendar_override.set",
            obj=override,
            data={"day": day.isoformat(), "is_working_day": is_working_day, "note": note, "previous": previous},
            region_code="",  # one national working calendar: platform-wide
        )
        return override


def calendar_override_delete(*, actor: Actor, day: dt.date) -> None:
    """Remove the override for ``day``, so the holiday package decides again.

    Preconditions: the actor is an operator; an override exists for ``day``; ``day`` is
    today or later. Audit: ``rules.calendar_override.delete``. Raises ``NotFound`` otherwise.
    """
    with transaction.atomic():
        existing = CalendarOverride.objects.select_for_update().filter(day=day).first()
        permissions.calendar.require(actor, permissions.MANAGE)
        if existing is None:
            raise NotFound()
        _check_future_day(day)
        audit_record(
            actor=actor,
            action="rules.calendar_override.delete",
            obj=existing,
            data={"day": day.isoformat(), "is_working_day": existing.is_working_day, "note": existing.note},
            region_code="",  # one national working calendar: platform-wide
        )
        existing.delete()
