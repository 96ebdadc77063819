"""Forms for the rule-set and calendar screens; the services do the real validation."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengcai.core.calendar import PeriodUnit
from zhengcai.core.errors import DomainError
from zhengcai.rules.services import CALENDAR_YEARS
from zhengcai.rules.values import (
    GROUP_LABELS,
    LISTING_PRICE_RULE_LABELS,
    NOTES_MAX,
    SOURCE_MAX,
    VERSION_LABEL_MAX,
    Group,
    RuleMeta,
    RuleValues,
    Unit,
)

# <input type="date"> only accepts ISO dates, whatever the locale's DATE_INPUT_FORMATS say
# (zh-hans would render 2026/12/01, which the browser discards).
ISO_DATE = "%Y-%m-%d"

_PERIOD_UNITS = [(PeriodUnit.WORKING_DAYS.value, _("working days")), (PeriodUnit.DAYS.value, _("days"))]
_PARTS: dict[Unit, tuple[str, ...]] = {Unit.PERIOD: ("n", "unit"), Unit.PERCENT_BAND: ("min", "max")}


def _value_fields(name: str, meta: RuleMeta, required: bool) -> dict[str, forms.Field]:
    label = meta.label
    if meta.unit is Unit.PERIOD:
        return {
            f"{name}__n": forms.IntegerField(label=label, min_value=0, max_value=3660),
            f"{name}__unit": forms.ChoiceField(label=_("unit"), choices=_PERIOD_UNITS),
        }
    if meta.unit is Unit.PERCENT_BAND:
        return {
            f"{name}__min": forms.DecimalField(
                label=label, required=required, min_value=0, max_value=100, max_digits=5, decimal_places=2
            ),
            f"{name}__max": forms.DecimalField(
                label=_("to"), required=required, min_value=0, max_value=100, max_digits=5, decimal_places=2
            ),
        }
    field: forms.Field
    if meta.unit is Unit.PERCENT:
        field = forms.DecimalField(required=required, min_value=0, max_value=100, max_digits=5, decimal_places=2)
    elif meta.unit is Unit.CNY:
        field = forms.DecimalField(required=required, min_value=0, max_digits=14, decimal_places=2)
    elif meta.unit is Unit.RATIO:
        field = forms.CharField(required=required, max_length=20)
    elif meta.unit is Unit.FLAG:
        field = forms.BooleanField(required=False)
    elif meta.unit is Unit.CHOICE:
        field = forms.ChoiceField(required=required, choices=list(LISTING_PRICE_RULE_LABELS.items()))
    else:
        field = forms.IntegerField(required=required, min_value=0, max_value=1000)
    field.label = label
    return {name: field}


@dataclass
class ValueRow:
    name: str
    meta: RuleMeta
    fields: list[forms.BoundField]

    @property
    def errors(self) -> list[str]:
        return [str(e) for f in self.fields for e in f.errors]


class RuleSetForm(forms.Form):
    """A new rule-set version: where, from when, what it is called, and every value."""

    region = forms.ChoiceField(label=_("Region"), required=False)
    effective_from = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)
    )
    version_label = forms.CharField(label=_("Version"), max_length=VERSION_LABEL_MAX)
    source = forms.CharField(label=_("Legal basis"), max_length=SOURCE_MAX, required=False)
    notes = forms.CharField(
        label=_("Notes"), max_length=NOTES_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, region_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ChoiceField)
        region_field.choices = [("", _("National default")), *region_choices]
        for name, info in RuleValues.model_fields.items():
            self.fields.update(_value_fields(name, RuleValues.meta(name), info.is_required()))
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field, forms.BooleanField) else "form-control"
            if isinstance(field, forms.ChoiceField):
                css = "form-select"
            field.widget.attrs.setdefault("class", css)

    def version_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("region", "effective_from", "version_label", "source", "notes")]

    @staticmethod
    def initial_from(values: RuleValues) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for name in RuleValues.model_fields:
            value = getattr(values, name)
            unit = RuleValues.meta(name).unit
            if unit in _PARTS:
                for part in _PARTS[unit]:
                    initial[f"{name}__{part}"] = None if value is None else getattr(value, part)
            else:
                initial[name] = str(value) if unit is Unit.RATIO else value
        return initial

    def values_data(self) -> dict[str, Any]:
        """The cleaned values in the shape ``RuleValues`` validates (the service re-checks)."""
        data: dict[str, Any] = {}
        for name in RuleValues.model_fields:
            unit = RuleValues.meta(name).unit
            if unit in _PARTS:
                parts = {p: self.cleaned_data.get(f"{name}__{p}") for p in _PARTS[unit]}
                data[name] = None if all(v is None for v in parts.values()) else parts
            else:
                value = self.cleaned_data.get(name)
                data[name] = str(value) if isinstance(value, Decimal) else value
                if unit is not Unit.FLAG and value in ("", None):
                    data[name] = None
        return data

    def add_domain_error(self, error: DomainError) -> None:
        """Put the service's field errors on the matching inputs; the rest on the form."""
        if not error.fields:
            self.add_error(None, str(error.message))
            return
        for key, messages in error.fields.items():
            name, _dot, part = key.partition(".")
            candidates = [f"{name}__{part}"] if part else [name, f"{name}__n", f"{name}__min"]
            target = next((c for c in candidates if c in self.fields), None)
            for message in messages:
                self.add_error(target, str(message))

    def groups(self) -> Iterator[tuple[str, list[ValueRow]]]:
        rows: dict[Group, list[ValueRow]] = {g: [] for g in Group}
        for name in RuleValues.model_fields:
            meta = RuleValues.meta(name)
            names = [f"{name}__{p}" for p in _PARTS[meta.unit]] if meta.unit in _PARTS else [name]
            rows[meta.group].append(ValueRow(name, meta, [self[n] for n in names]))
        for group, items in rows.items():
            yield str(GROUP_LABELS[group]), items


class CalendarOverrideForm(forms.Form):
    day = forms.DateField(
        label=_("Day"),
        widget=forms.DateInput(
            attrs={
                "type": "date",
                "class": "form-control",
                "min": f"{CALENDAR_YEARS.start:04d}-01-01",
                "max": f"{CALENDAR_YEARS.stop - 1:04d}-12-31",
            },
            format=ISO_DATE,
        ),
    )
    is_working_day = forms.TypedChoiceField(
        label=_("Make it"),
        choices=[("1", _("a working day")), ("0", _("a rest day"))],
        coerce=lambda v: v == "1",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    note = forms.CharField(
        label=_("Note"), max_length=200, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )

    def add_domain_error(self, error: DomainError) -> None:
        if not error.fields:
            self.add_error(None, str(error.message))
        for key, messages in error.fields.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, str(message))


class CalendarOverrideDeleteForm(forms.Form):
    day = forms.DateField()


def parse_year(raw: str | None, default: int) -> int:
    """The ``?year=`` of the calendar page; anything outside ``CALENDAR_YEARS`` shows ``default``."""
    try:
        year = int(raw or default)
    except ValueError:
        return default
    return year if year in CALENDAR_YEARS else default
