"""The filter form of the regulator's event viewer (also validates the API's query)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_ONLY_LENGTH = len("2026-03-02")
MINUTE_LENGTH = len("2026-03-02T18:00")
# Filter times outside these years match nothing anyway, and far-off ones overflow the
# datetime arithmetic and the database drivers ("9999-12-31" plus a day, year 1 in UTC).
MIN_YEAR = 1900
MAX_YEAR = 2999
# Ids are 64-bit integers in the database; larger numbers would overflow its driver.
MAX_ID = 2**63 - 1


@dataclass(frozen=True, slots=True)
class EventFilters:
    actor: str = ""  # a label fragment
    actor_id: int | None = None  # also matched when ``actor`` is a plain (ASCII) user id
    organisation_id: int | None = None
    object_type: str = ""
    object_id: str = ""
    action_prefix: str = ""
    time_from: dt.datetime | None = None  # inclusive
    time_before: dt.datetime | None = None  # exclusive

    def is_empty(self) -> bool:
        return self == EventFilters()


def _text(placeholder: Any = "") -> forms.TextInput:
    return forms.TextInput(attrs={"placeholder": placeholder} if placeholder else {})


def _when() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventFilterForm(forms.Form):
    actor = forms.CharField(
        label=_("Actor"), required=False, max_length=300, widget=_text(_("Name fragment or user ID"))
    )
    organisation = forms.IntegerField(label=_("Organisation ID"), required=False, min_value=1, max_value=MAX_ID)
    object_type = forms.CharField(
        label=_("Object type"), required=False, max_length=100, widget=_text(_("e.g. accounts.organisation"))
    )
    object_id = forms.CharField(label=_("Object ID"), required=False, max_length=64)
    action = forms.CharField(
        label=_("Action starts with"), required=False, max_length=100, widget=_text(_("e.g. accounts."))
    )
    time_from = forms.DateTimeField(
        label=_("From"),
        required=False,
        widget=_when(),
        error_messages={"invalid": _("Enter a valid date and time, e.g. 2026-03-02 09:00.")},
    )
    time_to = forms.DateTimeField(
        label=_("To"),
        required=False,
        widget=_when(),
        error_messages={"invalid": _("Enter a valid date and time, e.g. 2026-03-02 18:00.")},
        help_text=_("A date alone includes the whole day."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-sm"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"

    def _clean_when(self, name: str) -> dt.datetime | None:
        value: dt.datetime | None = self.cleaned_data.get(name)
        if value is None:
            return None
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise forms.ValidationError(
                _("Enter a date between the years %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR},
                code="out_of_range",
            )
        return value

    def clean_time_from(self) -> dt.datetime | None:
        return self._clean_when("time_from")

    def clean_time_to(self) -> dt.datetime | None:
        return self._clean_when("time_to")

    def clean_object_type(self) -> str:
        return str(self.cleaned_data["object_type"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("time_from"), cleaned.get("time_to")
        if end is not None:
            # "To" includes the whole unit given: "2 March" the whole day, "18:00" that minute.
            raw = str(self.data.get(self.add_prefix("time_to"), "")).strip()
            if len(raw) <= DATE_ONLY_LENGTH:
                step = dt.timedelta(days=1)
            elif len(raw) <= MINUTE_LENGTH:
                step = dt.timedelta(minutes=1)
            else:
                step = dt.timedelta(microseconds=1)
            cleaned["time_to_exclusive"] = end + step
        if start is not None and end is not None and start > end:
            self.add_error("time_to", _("The end of the period must not be before its start."))
        return cleaned

    def filters(self) -> EventFilters:
        """The validated filters; call only after ``is_valid()``."""
        data = self.cleaned_data
        actor = data.get("actor", "").strip()
        # isdecimal() alone admits "²" and other digits int() refuses or reads differently.
        is_id = actor.isascii() and actor.isdecimal() and int(actor) <= MAX_ID
        return EventFilters(
            actor=actor,
            actor_id=int(actor) if is_id else None,
            organisation_id=data.get("organisation"),
            object_type=data.get("object_type", ""),
            object_id=data.get("object_id", "").strip(),
            action_prefix=data.get("action", "").strip(),
            time_from=data.get("time_from"),
            time_before=data.get("time_to_exclusive"),
        )
