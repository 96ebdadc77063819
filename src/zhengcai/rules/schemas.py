"""Input and output schemas of the rules API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from zhengcai.rules.values import NOTES_MAX, SOURCE_MAX, VERSION_LABEL_MAX


class RuleSetOut(Schema):
    id: int
    region: str | None = Field(description="6-digit division code; null for the national default.")
    region_name: str
    effective_from: dt.date
    version_label: str
    source: str
    notes: str
    created_by: str
    created_at: dt.datetime
    values: dict[str, Any] = Field(description="Every rule value (see RuleValues in the OpenAPI components).")


class RuleSetSummaryOut(Schema):
    id: int
    region: str | None
    effective_from: dt.date
    version_label: str
    in_force: bool


class RuleSetIn(Schema):
    region: str | None = Field(None, max_length=6, description="6-digit division code; omit for the national default.")
    effective_from: dt.date
    # The same limits as the RuleSet columns (and the web form).
    version_label: str = Field(max_length=VERSION_LABEL_MAX)
    source: str = Field("", max_length=SOURCE_MAX)
    notes: str = Field("", max_length=NOTES_MAX)
    values: dict[str, Any]


class DayOut(Schema):
    day: dt.date
    working: bool
    kind: str = Field(description="workday, weekend, holiday, makeup_workday, override_workday or override_rest")
    holiday: str = ""


class CalendarYearOut(Schema):
    year: int
    official_data: bool = Field(description="Whether the holiday package covers the year (else Mon-Fri + overrides).")
    working_days: int
    days: list[DayOut]


class OverrideIn(Schema):
    day: dt.date
    is_working_day: bool
    note: str = Field("", max_length=200)


class OverrideOut(Schema):
    day: dt.date
    is_working_day: bool
    note: str
    created_by: str
