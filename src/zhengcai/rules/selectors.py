"""Reads for rules: which rule set applies, the calendar with its overrides, regions."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengcai.core import clock
from zhengcai.core.actor import Actor
from zhengcai.core.calendar import PLATFORM_TZ, WorkingCalendar
from zhengcai.core.errors import Conflict, NotFound
from zhengcai.rules import permissions
from zhengcai.rules.models import CalendarOverride, Region, RuleSet


class RuleSetMissing(Conflict):
    code = "ruleset_missing"
    default_message = _("No rule set is in force for this region on this date.")


# -- rule sets -------------------------------------------------------------------------------


def ruleset_for(*, region: Region | None, on: dt.date) -> RuleSet:
    """The version in force for ``region`` on ``on``.

    The most specific region among ``region`` and its ancestors that has a version
    effective on that date wins; otherwise the national default. Raises ``RuleSetMissing``
    if no version at all is in force.
    """
    chain = region.ancestors() if region is not None else []
    candidates = list(
        RuleSet.objects.filter(effective_from__lte=on)
        .filter(models.Q(region__in=[r.pk for r in chain]) | models.Q(region__isnull=True))
        .select_related("region")
        .order_by("-effective_from")
    )
    for node in [*[r.pk for r in chain], None]:
        for rule_set in candidates:  # newest first
            if rule_set.region_id == node:
                return rule_set
    raise RuleSetMissing()


def ruleset_stamp(*, region: Region | None, at: dt.date | dt.datetime) -> RuleSet:
    """The version a process starting at ``at`` must store in its ``rule_set`` (RuleStamped).

    A datetime is read as its date in Asia/Shanghai.
    """
    if isinstance(at, dt.datetime):
        at = timezone.localtime(at, PLATFORM_TZ).date()
    return ruleset_for(region=region, on=at)


def rulesets_visible(actor: Actor) -> models.QuerySet[RuleSet]:
    """Every version the actor may read (operators and regulators: all), national first."""
    qs = RuleSet.objects.select_related("region").order_by(
        models.F("region__code").asc(nulls_first=True), "-effective_from"
    )
    return permissions.rulesets.visible(actor, qs)


def ruleset_get(*, actor: Actor, pk: int) -> RuleSet:
    return permissions.rulesets.get_visible(actor, rulesets_visible(actor), pk=pk)


def rulesets_in_force(*, actor: Actor, on: dt.date | None = None) -> set[int]:
    """Ids of the versions in force on ``on`` (default today), one per region that has any."""
    on = on or clock.today()
    in_force: dict[int | None, RuleSet] = {}
    for rule_set in rulesets_visible(actor).filter(effective_from__lte=on).order_by("effective_from"):
        in_force[rule_set.region_id] = rule_set
    return {rs.pk for rs in in_force.values()}


# -- regions ---------------------------------------------------------------------------------


def regions_all() -> models.QuerySet[Region]:
    return Region.objects.select_related("parent").order_by("code")


def region_by_code(code: str) -> Region:
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None:
        raise NotFound()
    return region


# -- calendar --------------------------------------------------------------------------------


def working_calendar() -> WorkingCalendar:
    """The working-day calendar: the holiday package with the operator's overrides on top."""
    return WorkingCalendar(dict(CalendarOverride.objects.values_list("day", "is_working_day")))


def calendar_overrides(*, actor: Actor, year: int | None = None) -> models.QuerySet[CalendarOverride]:
    qs = CalendarOverride.objects.order_by("day")
    if year is not None:
        qs = qs.filter(day__year=year)
    return permissions.calendar.visible(actor, qs)
