"""Rules API, mounted at /api/v1/rules/: rule-set versions, resolution, the calendar."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Status

from zhengcai.core import clock
from zhengcai.rules import permissions, selectors, services
from zhengcai.rules.models import RuleSet
from zhengcai.rules.schemas import (
    CalendarYearOut,
    DayOut,
    OverrideIn,
    OverrideOut,
    RuleSetIn,
    RuleSetOut,
    RuleSetSummaryOut,
)

router = Router(tags=["rules"])


def _ruleset_out(rule_set: RuleSet) -> RuleSetOut:
    return RuleSetOut(
        id=rule_set.pk,
        region=rule_set.region.code if rule_set.region else None,
        region_name=rule_set.region.name if rule_set.region else "",
        effective_from=rule_set.effective_from,
        version_label=rule_set.version_label,
        source=rule_set.source,
        notes=rule_set.notes,
        created_by=rule_set.created_by_label,
        created_at=rule_set.created_at,
        values=rule_set.values,
    )


@router.get("/rulesets", response=list[RuleSetSummaryOut], summary="List rule-set versions")
def rulesets_list(request: HttpRequest) -> list[RuleSetSummaryOut]:
    """Every version the caller may read (operators and regulators), national first."""
    actor = request.actor  # type: ignore[attr-defined]
    permissions.rulesets.require(actor, permissions.VIEW)
    in_force = selectors.rulesets_in_force(actor=actor)
    return [
        RuleSetSummaryOut(
            id=rs.pk,
            region=rs.region.code if rs.region else None,
            effective_from=rs.effective_from,
            version_label=rs.version_label,
            in_force=rs.pk in in_force,
        )
        for rs in selectors.rulesets_visible(actor)
    ]


@router.post("/rulesets", response={201: RuleSetOut}, summary="Publish a new rule-set version")
def rulesets_create(request: HttpRequest, payload: RuleSetIn) -> Status:
    actor = request.actor  # type: ignore[attr-defined]
    permissions.rulesets.require(actor, permissions.MANAGE)
    rule_set = services.ruleset_create(
        actor=actor,
        region=selectors.region_by_code(payload.region) if payload.region else None,
        effective_from=payload.effective_from,
        values=payload.values,
        version_label=payload.version_label,
        notes=payload.notes,
        source=payload.source,
    )
    return Status(201, _ruleset_out(rule_set))


@router.get("/rulesets/{int:ruleset_id}", response=RuleSetOut, summary="One rule-set version with all its values")
def rulesets_get(request: HttpRequest, ruleset_id: int) -> RuleSetOut:
    return _ruleset_out(selectors.ruleset_get(actor=request.actor, pk=ruleset_id))  # type: ignore[attr-defined]


@router.get("/resolve", response=RuleSetOut, summary="The version in force for a region on a date")
def resolve(request: HttpRequest, region: str = "", on: dt.date | None = None) -> RuleSetOut:
    """``?region=330802&on=2026-03-01``: the most specific version among the region and its
    ancestors, else the national default. Without ``on``: today. Without ``region``: national."""
    actor = request.actor  # type: ignore[attr-defined]
    permissions.rulesets.require(actor, permissions.VIEW)
    target = selectors.region_by_code(region) if region else None
    return _ruleset_out(selectors.ruleset_for(region=target, on=on or clock.today()))


@router.get("/calendar/{int:year}", response=CalendarYearOut, summary="Every day of a year, working or not")
def calendar_year(request: HttpRequest, year: int) -> CalendarYearOut:
    permissions.calendar.require(request.actor, permissions.VIEW)  # type: ignore[attr-defined]
    services.calendar_year_check(year)
    cal = selectors.working_calendar()
    days = [
        DayOut(day=info.day, working=info.is_working, kind=info.kind.value, holiday=info.holiday_name)
        for info in cal.year_days(year)
    ]
    return CalendarYearOut(
        year=year, official_data=cal.has_official_data(year), working_days=sum(d.working for d in days), days=days
    )


@router.post("/calendar/overrides", response={200: OverrideOut}, summary="Set a calendar override (operators)")
def override_set(request: HttpRequest, payload: OverrideIn) -> OverrideOut:
    override = services.calendar_override_set(
        actor=request.actor,  # type: ignore[attr-defined]
        day=payload.day,
        is_working_day=payload.is_working_day,
        note=payload.note,
    )
    return OverrideOut(
        day=override.day,
        is_working_day=override.is_working_day,
        note=override.note,
        created_by=override.created_by_label,
    )


@router.delete("/calendar/overrides/{day}", response={204: None}, summary="Remove a calendar override (operators)")
def override_delete(request: HttpRequest, day: dt.date) -> Status:
    services.calendar_override_delete(actor=request.actor, day=day)  # type: ignore[attr-defined]
    return Status(204, None)
