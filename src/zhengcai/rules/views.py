"""Rule-set and calendar screens. Thin: forms parse, services decide, selectors read."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from zhengcai.core import clock
from zhengcai.core.calendar import DayInfo, DayKind, WorkingCalendar
from zhengcai.core.errors import Conflict, NotFound, ValidationFailed
from zhengcai.rules import permissions, selectors, services
from zhengcai.rules.defaults import national_2022
from zhengcai.rules.display import format_value, stored_text
from zhengcai.rules.forms import CalendarOverrideDeleteForm, CalendarOverrideForm, RuleSetForm, parse_year
from zhengcai.rules.values import GROUP_LABELS, Group, RuleValues

# Bootstrap classes per kind of day (no inline styles: the CSP forbids them).
DAY_CLASSES = {
    DayKind.WORKDAY: "",
    DayKind.WEEKEND: "text-body-tertiary bg-body-tertiary",
    DayKind.HOLIDAY: "bg-danger-subtle text-danger-emphasis fw-semibold",
    DayKind.MAKEUP_WORKDAY: "bg-warning-subtle text-warning-emphasis fw-semibold",
    DayKind.OVERRIDE_WORKDAY: "bg-info-subtle text-info-emphasis fw-semibold border border-info",
    DayKind.OVERRIDE_REST: "bg-secondary-subtle fw-semibold border border-secondary",
}


def rulesets(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    permissions.rulesets.require(actor, permissions.VIEW)
    today = clock.today()
    in_force = selectors.rulesets_in_force(actor=actor, on=today)
    groups: dict[str, dict[str, Any]] = {}
    for rule_set in selectors.rulesets_visible(actor):
        key = rule_set.region.code if rule_set.region else ""
        group = groups.setdefault(key, {"region": rule_set.region, "versions": []})
        group["versions"].append(
            {
                "rule_set": rule_set,
                "source": stored_text(rule_set.source),
                "in_force": rule_set.pk in in_force,
                "future": rule_set.effective_from > today,
            }
        )
    return render(
        request,
        "rules/rulesets.html",
        {
            "groups": list(groups.values()),
            "today": today,
            "can_manage": permissions.rulesets.can(actor, permissions.MANAGE),
        },
    )


def ruleset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    rule_set = selectors.ruleset_get(actor=actor, pk=pk)
    values = rule_set.rule_values
    rows: dict[Group, list[dict[str, Any]]] = {g: [] for g in Group}
    for name in RuleValues.model_fields:
        meta = RuleValues.meta(name)
        rows[meta.group].append(
            {
                "name": name,
                "label": meta.label,
                "value": format_value(getattr(values, name), meta.unit),
                "source": meta.source,
                "unverified": meta.unverified,
            }
        )
    return render(
        request,
        "rules/ruleset_detail.html",
        {
            "rule_set": rule_set,
            "source": stored_text(rule_set.source),
            "notes": stored_text(rule_set.notes),
            "groups": [(GROUP_LABELS[g], items) for g, items in rows.items()],
            "in_force": rule_set.pk in selectors.rulesets_in_force(actor=actor),
            "can_manage": permissions.rulesets.can(actor, permissions.MANAGE),
        },
    )


def _region_choices() -> list[tuple[str, str]]:
    return [(r.code, f"{r.code} {r.name}") for r in selectors.regions_all()]


@require_http_methods(["GET", "POST"])
def ruleset_new(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    permissions.rulesets.require(actor, permissions.MANAGE)
    choices = _region_choices()
    if request.method == "POST":
        form = RuleSetForm(request.POST, region_choices=choices)
        if form.is_valid():
            code = form.cleaned_data["region"]
            try:
                rule_set = services.ruleset_create(
                    actor=actor,
                    region=selectors.region_by_code(code) if code else None,
                    effective_from=form.cleaned_data["effective_from"],
                    values=form.values_data(),
                    version_label=form.cleaned_data["version_label"],
                    notes=form.cleaned_data["notes"],
                    source=form.cleaned_data["source"],
                )
            except (ValidationFailed, Conflict) as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("The new rule-set version was saved."))
                return redirect("rules:ruleset_detail", pk=rule_set.pk)
        if form.errors:
            messages.error(request, _("The rule set was not saved: please correct the marked values."))
        return render(request, "rules/ruleset_form.html", {"form": form, "based_on": None}, status=400)

    code = request.GET.get("region", "")
    region = None
    if code:
        try:
            region = selectors.region_by_code(code)
        except NotFound:
            code = ""
    today = clock.today()
    try:
        based_on = selectors.ruleset_for(region=region, on=today)
        values = based_on.rule_values
    except selectors.RuleSetMissing:
        based_on, values = None, national_2022()
    initial = {"region": code, "effective_from": today + dt.timedelta(days=1), **RuleSetForm.initial_from(values)}
    if based_on is not None:
        initial["source"] = stored_text(based_on.source)
    form = RuleSetForm(initial=initial, region_choices=choices)
    return render(request, "rules/ruleset_form.html", {"form": form, "based_on": based_on, "region": region})


def _month_grids(cal: WorkingCalendar, year: int) -> list[dict[str, Any]]:
    days = {info.day: info for info in cal.year_days(year)}
    months = []
    for month in range(1, 13):
        weeks: list[list[dict[str, Any] | None]] = []
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row: list[dict[str, Any] | None] = []
            for day in week:
                if day.month != month:
                    row.append(None)
                    continue
                info: DayInfo = days[day]
                row.append({"info": info, "css": DAY_CLASSES[info.kind], "title": _cell_title(info)})
            weeks.append(row)
        months.append({"month": dt.date(year, month, 1), "weeks": weeks})
    return months


def _cell_title(info: DayInfo) -> str:
    return f"{info.kind.label} · {info.holiday_name}" if info.holiday_name else info.kind.label


def calendar(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    permissions.calendar.require(actor, permissions.VIEW)
    today = clock.today()
    year = parse_year(request.GET.get("year"), today.year)
    cal = selectors.working_calendar()
    can_manage = permissions.calendar.can(actor, permissions.MANAGE)
    return render(
        request,
        "rules/calendar.html",
        _calendar_context(
            cal=cal,
            year=year,
            today=today,
            can_manage=can_manage,
            actor=actor,
            form=CalendarOverrideForm(initial={"is_working_day": "1"}),
        ),
    )


def _calendar_context(
    *, cal: WorkingCalendar, year: int, today: dt.date, can_manage: bool, actor: Any, form: CalendarOverrideForm
) -> dict[str, Any]:
    return {
        "year": year,
        "previous_year": year - 1 if year - 1 in services.CALENDAR_YEARS else None,
        "next_year": year + 1 if year + 1 in services.CALENDAR_YEARS else None,
        "months": _month_grids(cal, year),
        "official": cal.has_official_data(year),
        "overrides": selectors.calendar_overrides(actor=actor, year=year),
        "can_manage": can_manage,
        "form": form,
        "today": today,
        "legend": [(kind.label, DAY_CLASSES[kind]) for kind in DayKind],
        "weekdays": [
            pgettext("weekday initial", "Mon"),
            pgettext("weekday initial", "Tue"),
            pgettext("weekday initial", "Wed"),
            pgettext("weekday initial", "Thu"),
            pgettext("weekday initial", "Fri"),
            pgettext("weekday initial", "Sat"),
            pgettext("weekday initial", "Sun"),
        ],
    }


@require_POST
def calendar_override_set(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    permissions.calendar.require(actor, permissions.MANAGE)
    form = CalendarOverrideForm(request.POST)
    if form.is_valid():
        day = form.cleaned_data["day"]
        try:
            services.calendar_override_set(
                actor=actor, day=day, is_working_day=form.cleaned_data["is_working_day"], note=form.cleaned_data["note"]
            )
        except ValidationFailed as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The calendar was updated."))
            return redirect(f"{reverse('rules:calendar')}?year={day.year}")
    today = clock.today()
    # A refused day may lie outside the calendar's years (9999-12-31): show this year then.
    year = parse_year(str(form.cleaned_data["day"].year), today.year) if "day" in form.cleaned_data else today.year
    context = _calendar_context(
        cal=selectors.working_calendar(), year=year, today=today, can_manage=True, actor=actor, form=form
    )
    return render(request, "rules/calendar.html", context, status=400)


@require_POST
def calendar_override_delete(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    permissions.calendar.require(actor, permissions.MANAGE)
    form = CalendarOverrideDeleteForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed(fields={"day": [_("Enter a valid date.")]})
    day = form.cleaned_data["day"]
    services.calendar_override_delete(actor=actor, day=day)
    messages.success(request, _("The override was removed."))
    return redirect(f"{reverse('rules:calendar')}?year={day.year}")
