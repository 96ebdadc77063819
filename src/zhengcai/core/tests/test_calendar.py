"""Working days over the real 2025 and 2026 State Council announcements, and properties."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhengcai.core.calendar import (
    PACKAGE_YEARS,
    PLATFORM_TZ,
    DayKind,
    Period,
    PeriodUnit,
    WorkingCalendar,
    end_of_day,
)

D = dt.date
CAL = WorkingCalendar()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 1, 26), True),  # Sunday, make-up working day before Spring Festival
        (D(2025, 2, 8), True),  # Saturday, make-up working day
        (D(2025, 1, 28), False),  # Spring Festival eve
        (D(2025, 2, 4), False),  # last day of Spring Festival
        (D(2025, 4, 27), True),  # Sunday, make-up for Labour Day
        (D(2025, 9, 28), True),  # Sunday, make-up for National Day
        (D(2025, 10, 11), True),  # Saturday, make-up for National Day
        (D(2026, 1, 4), True),  # Sunday, make-up after New Year
        (D(2026, 2, 14), True),  # Saturday, make-up before Spring Festival
        (D(2026, 2, 28), True),  # Saturday, make-up after Spring Festival
        (D(2026, 2, 17), False),  # 2026 Spring Festival
        (D(2026, 2, 23), False),  # last day of the 2026 Spring Festival break (a Monday)
        (D(2026, 2, 24), True),
        (D(2026, 3, 2), True),  # an ordinary Monday
        (D(2026, 3, 7), False),  # an ordinary Saturday
    ],
)
def test_real_days_match_the_package(day: dt.date, working: bool) -> None:
    assert chinese_calendar.is_workday(day) is working
    assert CAL.is_working_day(day) is working


def test_national_day_2025_is_eight_rest_days() -> None:
    for n in range(1, 9):
        assert not CAL.is_working_day(D(2025, 10, n))
    assert CAL.is_working_day(D(2025, 10, 9))


def test_day_kinds_and_holiday_names() -> None:
    assert CAL.day_info(D(2025, 10, 1)).kind is DayKind.HOLIDAY
    assert CAL.day_info(D(2025, 10, 1)).holiday_name
    assert CAL.day_info(D(2025, 1, 26)).kind is DayKind.MAKEUP_WORKDAY
    assert CAL.day_info(D(2026, 3, 7)).kind is DayKind.WEEKEND
    assert CAL.day_info(D(2026, 3, 2)).kind is DayKind.WORKDAY
    days = list(CAL.year_days(2026))
    assert len(days) == 365
    assert sum(d.is_working for d in days) == sum(CAL.is_working_day(d.day) for d in days)


def test_working_days_across_national_day_2025() -> None:
    # Tuesday 30 September + 1 working day: 1-8 October are rest days.
    assert CAL.add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    # Friday 26 September + 2 working days: Sunday 28 September is a make-up working day.
    assert CAL.add_working_days(D(2025, 9, 26), 1) == D(2025, 9, 28)
    assert CAL.add_working_days(D(2025, 9, 26), 2) == D(2025, 9, 29)
    # The start day is not counted, even when it is a working day.
    assert CAL.add_working_days(D(2026, 3, 2), 5) == D(2026, 3, 9)
    assert CAL.working_days_between(D(2025, 9, 30), D(2025, 10, 9)) == 1
    assert CAL.working_days_between(D(2025, 10, 9), D(2025, 9, 30)) == -1


def test_working_days_across_spring_festival_2026() -> None:
    # Friday 13 Feb; Saturday 14 Feb is worked; 15-23 Feb are the break.
    assert CAL.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert CAL.add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert CAL.next_working_day(D(2026, 2, 14)) == D(2026, 2, 24)
    assert CAL.previous_working_day(D(2026, 2, 24)) == D(2026, 2, 14)
    # A tender notice of 5 working days published on Thursday 12 February 2026:
    # 13th, 14th (make-up Saturday), 24th, 25th, 26th.
    assert CAL.period_end(D(2026, 2, 12), Period.working_days(5)) == D(2026, 2, 26)


def test_calendar_days_roll_over_rest_days() -> None:
    # 20-day bidding period from 11 September 2025 ends on 1 October: rolls to 9 October.
    assert CAL.add_days(D(2025, 9, 11), 20) == D(2025, 10, 9)
    # Ends on an ordinary Saturday: rolls to Monday.
    assert CAL.period_end(D(2026, 2, 28), Period.days(7)) == D(2026, 3, 9)
    # Ends on a make-up working Saturday: no roll.
    assert CAL.period_end(D(2026, 2, 7), Period.days(7)) == D(2026, 2, 14)
    assert CAL.period_end(D(2026, 3, 2), Period.days(30)) == D(2026, 4, 1)


def test_period_satisfied_and_latest_start() -> None:
    twenty = Period.days(20)
    assert CAL.period_satisfied(D(2026, 3, 2), D(2026, 3, 23), twenty)  # exactly 20 days, a Monday
    assert CAL.period_satisfied(D(2026, 3, 2), D(2026, 3, 24), twenty)
    assert not CAL.period_satisfied(D(2026, 3, 2), D(2026, 3, 20), twenty)
    # Clarification at least 15 days before a bid deadline of Friday 20 March 2026.
    assert CAL.latest_start_for(D(2026, 3, 20), Period.days(15)) == D(2026, 3, 5)
    # At least 3 working days before Friday 9 October 2025 (after National Day).
    latest = CAL.latest_start_for(D(2025, 10, 9), Period.working_days(3))
    assert latest == D(2025, 9, 28)  # a Sunday: the 28th itself is not counted
    assert CAL.add_working_days(latest, 3) == D(2025, 10, 9)
    assert CAL.add_working_days(latest + dt.timedelta(days=1), 3) > D(2025, 10, 9)
    # A deadline on a rest day can only be met by a period ending on an earlier working day.
    latest = CAL.latest_start_for(D(2025, 10, 5), Period.days(10))
    assert CAL.add_days(latest, 10) <= D(2025, 10, 5)
    assert CAL.add_days(latest + dt.timedelta(days=1), 10) > D(2025, 10, 5)


def test_deadline_instant_is_end_of_day_in_shanghai() -> None:
    at = CAL.deadline_at(D(2026, 3, 2), Period.working_days(5))
    assert at.tzinfo is not None
    assert at.astimezone(PLATFORM_TZ).date() == D(2026, 3, 9)
    assert at.astimezone(dt.UTC) == dt.datetime(2026, 3, 9, 15, 59, 59, 999999, tzinfo=dt.UTC)
    assert end_of_day(D(2026, 3, 9)) == at


def test_overrides_win() -> None:
    cal = WorkingCalendar({D(2026, 3, 7): True, D(2026, 3, 9): False})
    assert cal.is_working_day(D(2026, 3, 7))
    assert not cal.is_working_day(D(2026, 3, 9))
    assert cal.day_info(D(2026, 3, 7)).kind is DayKind.OVERRIDE_WORKDAY
    assert cal.day_info(D(2026, 3, 9)).kind is DayKind.OVERRIDE_REST
    assert cal.add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 7)
    assert cal.add_working_days(D(2026, 3, 7), 1) == D(2026, 3, 10)
    # Overriding a holiday back into a working day.
    cal = WorkingCalendar({D(2025, 10, 1): True})
    assert cal.add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 1)


def test_years_outside_the_package_fall_back_to_weekdays() -> None:
    assert 2025 in PACKAGE_YEARS
    assert 2026 in PACKAGE_YEARS
    assert CAL.has_official_data(2026)
    year = PACKAGE_YEARS.stop  # the first year without data
    assert not CAL.has_official_data(year)
    jan1 = D(year, 1, 1)
    expected = jan1.weekday() < 5
    assert CAL.is_working_day(jan1) is expected  # no New Year holiday known yet
    cal = WorkingCalendar({jan1: False})
    assert not cal.is_working_day(jan1)


def test_period_value() -> None:
    assert Period.working_days(5) == Period(5, PeriodUnit.WORKING_DAYS)
    assert Period(3, "days").unit is PeriodUnit.DAYS  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="whole number"):
        Period(-1)
    with pytest.raises(ValueError, match="whole number"):
        Period(True)  # type: ignore[arg-type]  # noqa: FBT003
    with pytest.raises(ValueError, match="negative"):
        CAL.add_working_days(D(2026, 3, 2), -1)
    assert str(Period.working_days(5))
    assert CAL.latest_start_for(D(2026, 3, 2), Period.days(0)) == D(2026, 3, 2)


dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 6, 30))
overrides = st.dictionaries(st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 12, 31)), st.booleans(), max_size=15)
small_n = st.integers(min_value=0, max_value=40)


@settings(max_examples=200, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=40), ov=overrides)
def test_adding_working_days_lands_on_a_working_day(start: dt.date, n: int, ov: dict[dt.date, bool]) -> None:
    cal = WorkingCalendar(ov)
    end = cal.add_working_days(start, n)
    assert cal.is_working_day(end)
    assert cal.working_days_between(start, end) == n


@settings(max_examples=200, deadline=None)
@given(start=dates, n=small_n, ov=overrides)
def test_adding_working_days_is_strictly_monotonic(start: dt.date, n: int, ov: dict[dt.date, bool]) -> None:
    cal = WorkingCalendar(ov)
    assert cal.add_working_days(start, n + 1) > cal.add_working_days(start, n)


@settings(max_examples=200, deadline=None)
@given(start=dates, n=small_n, ov=overrides)
def test_calendar_day_deadlines_never_land_on_rest_days(start: dt.date, n: int, ov: dict[dt.date, bool]) -> None:
    cal = WorkingCalendar(ov)
    end = cal.add_days(start, n)
    assert cal.is_working_day(end)
    assert end >= start + dt.timedelta(days=n)
    # Nothing between the nominal end and the rolled end is a working day.
    day = start + dt.timedelta(days=n)
    while day < end:
        assert not cal.is_working_day(day)
        day += dt.timedelta(days=1)


@settings(max_examples=200, deadline=None)
@given(ov=overrides)
def test_overrides_are_honoured(ov: dict[dt.date, bool]) -> None:
    cal = WorkingCalendar(ov)
    for day, working in ov.items():
        assert cal.is_working_day(day) is working


@settings(max_examples=150, deadline=None)
@given(deadline=dates, n=st.integers(min_value=1, max_value=30), unit=st.sampled_from(list(PeriodUnit)), ov=overrides)
def test_latest_start_is_the_latest(deadline: dt.date, n: int, unit: PeriodUnit, ov: dict[dt.date, bool]) -> None:
    cal = WorkingCalendar(ov)
    period = Period(n, unit)
    latest = cal.latest_start_for(deadline, period)
    assert cal.period_end(latest, period) <= deadline
    assert cal.period_end(latest + dt.timedelta(days=1), period) > deadline
    assert cal.period_satisfied(latest, deadline, period)
