"""The filter form of the regulator's event viewer (also validates the API's query)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_ONLY_LENGTH = len("2026-03-02")
MINUTE_LENGTH = len("2026-03-02T18:00")


@dataclass(frozen=True, slots=True)
class EventFilters:
    actor: str = ""  # a label fragment, or a user id when it is all digits
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
    organisation = forms.IntegerField(label=_("Organisation ID"), required=False, min_value=1)
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
        return EventFilters(
            actor=data.get("actor", "").strip(),
            organisation_id=data.get("organisation"),
            object_type=data.get("object_type", ""),
            object_id=data.get("object_id", "").strip(),
            action_prefix=data.get("action", "").strip(),
            time_from=data.get("time_from"),
            time_before=data.get("time_to_exclusive"),
        )
