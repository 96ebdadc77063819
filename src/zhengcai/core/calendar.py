"""The working-day calendar and statutory period arithmetic (pure: no database).

Working days are Monday to Friday minus the statutory holidays, plus the make-up working
weekends (调休) the State Council announces each year. The ``chinese_calendar`` package
carries those announcements for the years it covers; for any other year the calendar falls
back to Monday-Friday. Operator overrides (``rules.CalendarOverride``) always win, which is
how next year's announcement gets in before the package is updated.

Period arithmetic follows RULES.md "Day counting" (O87 Arts 85-86; Civil Code 201/203):

- the start day is not counted;
- a period in working days ends on the n-th working day after the start;
- a period in calendar days ends n days after the start and, if that is a rest day, rolls
  to the next working day.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from zoneinfo import ZoneInfo

import chinese_calendar
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

PLATFORM_TZ = ZoneInfo("Asia/Shanghai")
ONE_DAY = dt.timedelta(days=1)

_HOLIDAYS: Mapping[dt.date, str] = chinese_calendar.holidays
_MAKEUP_WORKDAYS: Mapping[dt.date, str] = chinese_calendar.workdays
# The package raises for dates outside the years it has data for; we fall back instead.
PACKAGE_YEARS: range = range(min(_HOLIDAYS).year, max(_HOLIDAYS).year + 1)

# English holiday names as the package spells them, translated for the calendar page.
HOLIDAY_NAMES: Mapping[str, object] = MappingProxyType(
    {
        "New Year's Day": _("New Year's Day"),
        "Spring Festival": _("Spring Festival"),
        "Tomb-sweeping Day": _("Tomb-sweeping Day"),
        "Labour Day": _("Labour Day"),
        "Dragon Boat Festival": _("Dragon Boat Festival"),
        "National Day": _("National Day"),
        "Mid-autumn Festival": _("Mid-autumn Festival"),
        "Anti-Fascist 70th Day": _("Anti-Fascist 70th Day"),
    }
)


class PeriodUnit(enum.StrEnum):
    WORKING_DAYS = "working_days"
    DAYS = "days"

    @property
    def label(self) -> str:
        return str(_("working days") if self is PeriodUnit.WORKING_DAYS else _("days"))


@dataclass(frozen=True, slots=True)
class Period:
    """A statutory period: ``n`` working days or ``n`` calendar days."""

    n: int
    unit: PeriodUnit = PeriodUnit.WORKING_DAYS

    def __post_init__(self) -> None:
        if isinstance(self.n, bool) or not isinstance(self.n, int) or self.n < 0:
            raise ValueError("a period is a whole number of days, zero or more")
        object.__setattr__(self, "unit", PeriodUnit(self.unit))

    @classmethod
    def working_days(cls, n: int) -> Period:
        return cls(n, PeriodUnit.WORKING_DAYS)

    @classmethod
    def days(cls, n: int) -> Period:
        return cls(n, PeriodUnit.DAYS)

    def __str__(self) -> str:
        if self.unit is PeriodUnit.WORKING_DAYS:
            return ngettext("%(n)d working day", "%(n)d working days", self.n) % {"n": self.n}
        return ngettext("%(n)d day", "%(n)d days", self.n) % {"n": self.n}


class DayKind(enum.StrEnum):
    """What a day is, for display: why it is (or is not) a working day."""

    WORKDAY = "workday"  # an ordinary Monday-Friday
    WEEKEND = "weekend"  # an ordinary Saturday or Sunday
    HOLIDAY = "holiday"  # a statutory holiday (including the weekend days inside it)
    MAKEUP_WORKDAY = "makeup_workday"  # a weekend day worked in lieu (调休)
    OVERRIDE_WORKDAY = "override_workday"  # made a working day by the operator
    OVERRIDE_REST = "override_rest"  # made a rest day by the operator

    @property
    def label(self) -> str:
        return str(_DAY_KIND_LABELS[self])

    @property
    def is_working(self) -> bool:
        return self in {DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY, DayKind.OVERRIDE_WORKDAY}


_DAY_KIND_LABELS = {
    DayKind.WORKDAY: _("Working day"),
    DayKind.WEEKEND: _("Weekend"),
    DayKind.HOLIDAY: _("Statutory holiday"),
    DayKind.MAKEUP_WORKDAY: _("Make-up working day"),
    DayKind.OVERRIDE_WORKDAY: _("Working day (override)"),
    DayKind.OVERRIDE_REST: _("Rest day (override)"),
}


@dataclass(frozen=True, slots=True)
class DayInfo:
    day: dt.date
    kind: DayKind
    holiday_name: str = ""

    @property
    def is_working(self) -> bool:
        return self.kind.is_working


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of ``day`` in Asia/Shanghai, as an aware datetime (a deadline instant)."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=PLATFORM_TZ)


class WorkingCalendar:
    """Working days from the holiday package, with operator overrides on top.

    ``overrides`` maps a date to True (a working day) or False (a rest day).
    """

    package_years: range = PACKAGE_YEARS

    def __init__(self, overrides: Mapping[dt.date, bool] | None = None) -> None:
        self._overrides: Mapping[dt.date, bool] = MappingProxyType(dict(overrides or {}))

    @property
    def overrides(self) -> Mapping[dt.date, bool]:
        return self._overrides

    def has_official_data(self, year: int) -> bool:
        """Whether the holiday package covers ``year`` (otherwise Mon-Fri plus overrides)."""
        return year in self.package_years

    # -- single days ---------------------------------------------------------------------

    def _base_is_working(self, day: dt.date) -> bool:
        if day.year in self.package_years:
            return day in _MAKEUP_WORKDAYS or (day.weekday() < 5 and day not in _HOLIDAYS)
        return day.weekday() < 5

    def is_working_day(self, day: dt.date) -> bool:
        override = self._overrides.get(day)
        if override is not None:
            return override
        return self._base_is_working(day)

    def day_info(self, day: dt.date) -> DayInfo:
        name = ""
        if day.year in self.package_years and day in _HOLIDAYS:
            raw = _HOLIDAYS[day]
            name = str(HOLIDAY_NAMES.get(raw, raw))
        override = self._overrides.get(day)
        if override is not None:
            return DayInfo(day, DayKind.OVERRIDE_WORKDAY if override else DayKind.OVERRIDE_REST, name)
        if day.year in self.package_years:
            if day in _MAKEUP_WORKDAYS:
                return DayInfo(day, DayKind.MAKEUP_WORKDAY)
            if day in _HOLIDAYS:
                return DayInfo(day, DayKind.HOLIDAY, name)
        return DayInfo(day, DayKind.WORKDAY if day.weekday() < 5 else DayKind.WEEKEND)

    def year_days(self, year: int) -> Iterator[DayInfo]:
        day = dt.date(year, 1, 1)
        while day.year == year:
            yield self.day_info(day)
            day += ONE_DAY

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        day += ONE_DAY
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def previous_working_day(self, day: dt.date) -> dt.date:
        """The last working day strictly before ``day``."""
        day -= ONE_DAY
        while not self.is_working_day(day):
            day -= ONE_DAY
        return day

    def roll_forward(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the next working day."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    # -- periods -------------------------------------------------------------------------

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start`` (the start day is not counted); n=0 is ``start``."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        for _i in range(n):
            day = self.next_working_day(day)
        return day

    def add_days(self, start: dt.date, n: int) -> dt.date:
        """``n`` calendar days after ``start``, rolled to the next working day if that is a rest day."""
        if n < 0:
            raise ValueError("n must not be negative")
        return self.roll_forward(start + dt.timedelta(days=n))

    def period_end(self, start: dt.date, period: Period) -> dt.date:
        """The last day of ``period`` counted from ``start`` (RULES.md "Day counting")."""
        if period.unit is PeriodUnit.WORKING_DAYS:
            return self.add_working_days(start, period.n)
        return self.add_days(start, period.n)

    def deadline_at(self, start: dt.date, period: Period) -> dt.datetime:
        """The instant ``period`` from ``start`` ends: end of its last day, Asia/Shanghai."""
        return end_of_day(self.period_end(start, period))

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days in (a, b]: ``a`` not counted, ``b`` counted. Negative if ``b`` < ``a``."""
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        day = a + ONE_DAY
        while day <= b:
            if self.is_working_day(day):
                count += 1
            day += ONE_DAY
        return count

    def period_satisfied(self, start: dt.date, end: dt.date, period: Period) -> bool:
        """Whether ``end`` leaves at least ``period`` after ``start``.

        E.g. documents issued on ``start`` with the bid deadline on ``end`` against the
        20-day bidding period: the earliest lawful deadline is ``period_end(start, period)``.
        """
        return end >= self.period_end(start, period)

    def latest_start_for(self, deadline: dt.date, period: Period) -> dt.date:
        """The latest day a period may start so that it has ended by ``deadline``.

        For "at least n days before the deadline" rules: a clarification that affects bids
        must be issued no later than ``latest_start_for(bid_deadline, Period.days(15))``.
        It is the largest ``s`` with ``period_end(s, period) <= deadline``.
        """
        if period.n == 0:
            return deadline
        if period.unit is PeriodUnit.WORKING_DAYS:
            # The n-th working day counting back from the deadline (inclusive) must be
            # after the start, so the start is the day before it.
            day = deadline if self.is_working_day(deadline) else self.previous_working_day(deadline)
            for _i in range(period.n - 1):
                day = self.previous_working_day(day)
            return day - ONE_DAY
        start = deadline - dt.timedelta(days=period.n)
        # A deadline on a rest day cannot be reached by rolling; step back until it is.
        while self.add_days(start, period.n) > deadline:
            start -= ONE_DAY
        return start
