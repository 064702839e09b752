"""Deadlines count working days of the Chinese holiday schedule, never plain weekdays.

Dates here are checked by hand against the State Council notices; each case
names the days it counts, so a failure says which day the calendar got wrong.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache

import chinese_calendar
import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.lists.workdays import Deadline, Schedule, WorkCalendar

# Built lazily, year by year, and never changed: safe to share between tests.
CALENDAR = WorkCalendar()


@cache
def _holidays_library_year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    table = holidays.country_holidays("CN", years=(year, year + 1), expand=False)
    return frozenset(table), frozenset(table.weekend_workdays)


def holidays_library_is_working(day: date) -> bool:
    """What the `holidays` library alone says, read the way the calendar reads it."""
    off, on = _holidays_library_year(day.year)
    return day in on or (day.weekday() < 5 and day not in off)


# --- National Day 2026 (国办发明电〔2025〕7号): Oct 1–7 off, Sat Oct 10 worked ----------------


def test_both_libraries_give_national_day_2026_the_same_way() -> None:
    october = [date(2026, 10, d) for d in range(1, 13)]
    official = [chinese_calendar.is_workday(d) for d in october]
    assert official == [holidays_library_is_working(d) for d in october]
    assert [d.day for d, working in zip(october, official, strict=True) if working] == [
        8,
        9,
        10,
        12,
    ]


def test_five_working_days_after_30_september_2026_end_on_13_october() -> None:
    # Counted: Thu 8, Fri 9, Sat 10 (make-up), Mon 12, Tue 13; Sun 11 is off.
    assert CALENDAR.add_working_days(date(2026, 9, 30), 5) == Deadline(date(2026, 10, 13), False)


def test_three_working_days_after_30_september_2026_end_on_the_make_up_saturday() -> None:
    assert CALENDAR.add_working_days(date(2026, 9, 30), 3) == Deadline(date(2026, 10, 10), False)


# --- Spring Festival 2026: Feb 15–23 off; Sat Feb 14 and Sat Feb 28 worked -------------------


def test_spring_festival_2026_window_skips_nine_days_off_and_counts_both_saturdays() -> None:
    # Notice on Thu 2026-02-12. Counted: Fri 13, Sat 14 (make-up), then Sun 15 – Mon 23 off,
    # Tue 24, Wed 25, Thu 26 → the 5th working day is Thu 26 February.
    assert CALENDAR.add_working_days(date(2026, 2, 12), 5) == Deadline(date(2026, 2, 26), False)
    # Two more: Fri 27, Sat 28 (make-up).
    assert CALENDAR.add_working_days(date(2026, 2, 26), 2).day == date(2026, 2, 28)
    assert CALENDAR.is_working_day(date(2026, 2, 14))
    assert not any(CALENDAR.is_working_day(date(2026, 2, d)) for d in range(15, 24))


# --- Years without a published schedule --------------------------------------------------------


def test_a_window_crossing_into_2027_is_provisional_and_keeps_new_year_off() -> None:
    # From Wed 2026-12-30: Thu 31; Fri 2027-01-01 New Year, Sat 2 and Sun 3 off; Mon 4.
    assert CALENDAR.add_working_days(date(2026, 12, 30), 2) == Deadline(date(2027, 1, 4), True)
    assert not CALENDAR.is_working_day(date(2027, 1, 1))
    assert not CALENDAR.is_official(2027)


def test_a_window_inside_2026_is_not_provisional() -> None:
    # From Tue 2026-12-01: Dec 2, 3, 4, 7, 8.
    assert CALENDAR.add_working_days(date(2026, 12, 1), 5) == Deadline(date(2026, 12, 8), False)
    assert CALENDAR.is_official(2026)


def test_a_window_ending_on_31_december_2026_is_not_provisional() -> None:
    assert CALENDAR.add_working_days(date(2026, 12, 30), 1) == Deadline(date(2026, 12, 31), False)


def test_a_window_from_31_december_2026_counts_only_2027_days_so_is_provisional() -> None:
    # Counted: Mon 2027-01-04 (Jan 1 holiday, Jan 2–3 weekend).
    assert CALENDAR.add_working_days(date(2026, 12, 31), 1) == Deadline(date(2027, 1, 4), True)


def test_the_start_day_is_not_counted_so_its_unofficial_year_does_not_make_a_window_provisional() -> (
    None
):
    # 2003 is before chinesecalendar's range; from Wed 2003-12-31 the window counts only
    # 2004 days: Thu 2004-01-01 New Year off, Fri 2 worked.
    assert not CALENDAR.is_official(2003)
    assert CALENDAR.add_working_days(date(2003, 12, 31), 1) == Deadline(date(2004, 1, 2), False)


def test_provisional_years_still_take_the_statutory_holidays_off() -> None:
    """Never plain weekdays: every year the library knows has fewer working days than weekdays."""
    for year in range(2027, 2101):
        weekdays = sum(
            (date(year, 1, 1) + timedelta(days=i)).weekday() < 5
            for i in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)
        )
        working = CALENDAR.working_days_between(date(year - 1, 12, 31), date(year, 12, 31))
        assert working <= weekdays - 7, year


@pytest.mark.parametrize("year", [1900, 1949, 1950, 2003, 2027, 2099, 2100])
def test_any_year_from_1900_to_2100_gives_a_provisional_deadline_rather_than_an_error(
    year: int,
) -> None:
    deadline = CALENDAR.add_working_days(date(year, 6, 1), 30)
    assert deadline.provisional
    assert CALENDAR.is_working_day(deadline.day)
    assert CALENDAR.working_days_between(date(year, 6, 1), deadline.day) == 30


# --- An official schedule passed in (as a policy pack will carry it) ---------------------------

# NOT the real 2027 schedule (unpublished when this was written): invented so that each of its
# days differs from what the `holidays` library guesses for 2027.
MADE_UP_2027 = Schedule(
    year=2027,
    holidays=frozenset({date(2027, 1, 1), date(2027, 1, 4), date(2027, 3, 17)}),
    workdays=frozenset({date(2026, 12, 26), date(2027, 1, 9)}),
    basis="made up for this test, not a real notice",
)


def test_a_schedule_passed_in_makes_its_year_official_and_is_used_instead_of_the_libraries() -> (
    None
):
    calendar = WorkCalendar([MADE_UP_2027])
    assert calendar.is_official(2027)
    # From Wed 2026-12-30: Thu 31; Jan 1 off, Jan 2–3 weekend, Mon Jan 4 off (made up); Tue 5.
    assert calendar.add_working_days(date(2026, 12, 30), 2) == Deadline(date(2027, 1, 5), False)
    assert calendar.is_working_day(date(2027, 1, 9))  # made-up make-up Saturday
    assert not calendar.is_working_day(date(2027, 3, 17))  # made-up Wednesday off
    # The library's 2027 Spring Festival is not in the schedule, so Mon 8 Feb is worked.
    assert not CALENDAR.is_working_day(date(2027, 2, 8))
    assert calendar.is_working_day(date(2027, 2, 8))


def test_a_schedule_may_fix_a_make_up_day_at_the_end_of_the_year_before() -> None:
    calendar = WorkCalendar([MADE_UP_2027])
    assert not CALENDAR.is_working_day(date(2026, 12, 26))  # a Saturday
    assert calendar.is_working_day(date(2026, 12, 26))
    # From Fri 2026-12-25: Sat 26 (made-up make-up day), Mon 28.
    assert calendar.add_working_days(date(2026, 12, 25), 2) == Deadline(date(2026, 12, 28), False)


def test_a_schedule_passed_in_replaces_chinese_calendar_for_its_year() -> None:
    made_up_2026 = Schedule(2026, frozenset(), frozenset(), basis="made up: no holidays at all")
    calendar = WorkCalendar([made_up_2026])
    assert calendar.is_working_day(date(2026, 10, 1))
    assert not calendar.is_working_day(date(2026, 10, 10))  # a plain Saturday again


@pytest.mark.parametrize(
    ("holidays_", "workdays", "basis", "message"),
    [
        (
            {date(2027, 1, 1)},
            {date(2027, 1, 1)},
            "x",
            "both a holiday and a working day: 2027-01-01",
        ),
        ({date(2026, 10, 1)}, set(), "x", "outside 2027 and December 2026: 2026-10-01"),
        (set(), {date(2028, 1, 1)}, "x", "outside 2027 and December 2026: 2028-01-01"),
        (set(), set(), " ", "basis is empty"),
    ],
)
def test_a_wrong_schedule_is_refused_with_what_is_wrong(
    holidays_: set[date], workdays: set[date], basis: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Schedule(2027, frozenset(holidays_), frozenset(workdays), basis)


def test_two_schedules_for_one_year_are_refused() -> None:
    with pytest.raises(ValueError, match="two holiday schedules for 2027"):
        WorkCalendar([MADE_UP_2027, MADE_UP_2027])


# --- The libraries, checked against each other and the notices ---------------------------------


@pytest.mark.parametrize("year", range(2004, 2027))
def test_the_calendar_agrees_with_the_holidays_library_on_every_official_year(year: int) -> None:
    day, disagreements = date(year, 1, 1), []
    while day.year == year:
        if CALENDAR.is_working_day(day) != holidays_library_is_working(day):
            disagreements.append(day)
        day += timedelta(days=1)
    assert disagreements == []


def test_saturday_31_december_2005_was_a_working_day() -> None:
    # 国办发明电〔2005〕35号 (2006 New Year): "12月31日（星期六）上班". chinesecalendar 1.11
    # misses it; the calendar corrects it.
    assert chinese_calendar.is_workday(date(2005, 12, 31)) is False
    assert CALENDAR.is_working_day(date(2005, 12, 31))
    assert CALENDAR.is_official(2005)


# --- Counting rules ------------------------------------------------------------------------------


def test_count_zero_is_the_start_itself_even_on_a_holiday() -> None:
    assert CALENDAR.add_working_days(date(2026, 10, 1), 0) == Deadline(date(2026, 10, 1), False)
    assert CALENDAR.add_working_days(date(2027, 3, 1), 0) == Deadline(date(2027, 3, 1), True)


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="count must be 0 or more working days, got -1"):
        CALENDAR.add_working_days(date(2026, 3, 2), -1)


def test_a_datetime_is_refused_because_its_utc_date_may_not_be_the_date_in_china() -> None:
    with pytest.raises(TypeError, match="must be a date in China"):
        CALENDAR.add_working_days(datetime(2026, 3, 2, 20, tzinfo=UTC), 1)


def test_ordinary_weekends_are_off() -> None:
    # From Fri 2026-03-06: Mon 9 … Fri 13; Sat 7 and Sun 8 are off.
    assert CALENDAR.add_working_days(date(2026, 3, 6), 5) == Deadline(date(2026, 3, 13), False)
    assert not CALENDAR.is_working_day(date(2026, 3, 7))
    assert not CALENDAR.is_working_day(date(2026, 3, 8))
    # From Sat 2026-03-07 the first working day is Mon 9.
    assert CALENDAR.add_working_days(date(2026, 3, 7), 1).day == date(2026, 3, 9)


def test_working_days_between_counts_the_end_but_not_the_start() -> None:
    assert CALENDAR.working_days_between(date(2026, 9, 30), date(2026, 10, 13)) == 5
    assert CALENDAR.working_days_between(date(2026, 10, 13), date(2026, 10, 13)) == 0
    assert CALENDAR.working_days_between(date(2026, 10, 12), date(2026, 10, 13)) == 1
    assert CALENDAR.working_days_between(date(2026, 10, 13), date(2026, 9, 30)) == -5


def test_a_long_window_crosses_several_years() -> None:
    start, count = date(2024, 11, 15), 600
    deadline = CALENDAR.add_working_days(start, count)
    assert deadline.day.year == 2027
    assert deadline.provisional
    assert CALENDAR.working_days_between(start, deadline.day) == count


@given(
    start=st.dates(min_value=date(2005, 1, 1), max_value=date(2030, 12, 31)),
    count=st.integers(min_value=0, max_value=40),
)
def test_working_days_between_undoes_add_working_days(start: date, count: int) -> None:
    deadline = CALENDAR.add_working_days(start, count)
    assert CALENDAR.working_days_between(start, deadline.day) == count
    if count > 0:
        assert CALENDAR.is_working_day(deadline.day)
        # …and it is the first such day: one day earlier the window was still open.
        assert CALENDAR.working_days_between(start, deadline.day - timedelta(days=1)) == count - 1
    years = range(
        start.year if count == 0 else (start + timedelta(days=1)).year, deadline.day.year + 1
    )
    assert deadline.provisional == any(year >= 2027 for year in years)


def test_the_years_taken_from_chinesecalendar_are_exactly_those_it_answers_for() -> None:
    from xinyong.lists import workdays

    for year in range(2000, 2031):
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
            answers = True
        except NotImplementedError:
            answers = False
        assert (year in workdays._CHINESE_CALENDAR_YEARS) == answers, year
