"""The Chinese working-day calendar that objection windows and other deadlines count in.

Deadlines in the rules (objections, deletions, double publicity) run in
工作日 — working days of the State Council's yearly holiday schedule, with its
make-up working days (调休上班) — never in plain Monday-to-Friday weekdays.

Each year's calendar comes from the first source that has it:

1. an official :class:`Schedule` passed in (a policy pack carries the State
   Council notice once it is published);
2. ``chinesecalendar``, for the years it covers (the official schedules, in
   1.11 2004–2026);
3. ``holidays``: the statutory holidays for any year, and the make-up working
   days it knows of. Such a year is *provisional*: the notice that fixes it is
   not out yet, and a :class:`Deadline` that counts a day in it says so.

This module owns the calendar only; it does not know what a deadline is for,
read files or decide what "today" is (callers pass Beijing-time dates, see
:mod:`xinyong.clock`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import chinese_calendar
import holidays

# chinesecalendar 1.11 files each notice's dates under the year they fall in
# and misses one that falls in the year before: 国办发明电〔2005〕35号 (2006
# New Year) says "12月31日（星期六）上班", i.e. Saturday 2005-12-31 was a
# working day. `holidays` has it; corrected here so that both agree.
_CHINESE_CALENDAR_MISSING_WORKDAYS = frozenset({date(2005, 12, 31)})


@dataclass(frozen=True)
class Schedule:
    """节假日安排 (holiday schedule): the State Council's notice for one year.

    国务院办公厅关于xxxx年部分节假日安排的通知. A notice for ``year`` may
    also fix days at the end of December of the year before (a make-up working
    day for New Year), so those are accepted too; any other date is a typo.
    """

    year: int
    holidays: frozenset[date]
    """Days off, including the weekdays given off (调休放假)."""
    workdays: frozenset[date]
    """Make-up working days (调休上班), usually weekend days."""
    basis: str
    """The document, e.g. "国办发明电〔2025〕7号"."""

    def __post_init__(self) -> None:
        # A pack loader may hand in sets or lists; store what the type says.
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        problems: list[str] = []
        if not self.basis.strip():
            problems.append("basis is empty: cite the notice, e.g. 国办发明电〔2025〕7号")
        both = sorted(self.holidays & self.workdays)
        if both:
            problems.append(f"both a holiday and a working day: {_dates(both)}")
        stray = sorted(
            d
            for d in self.holidays | self.workdays
            if d.year != self.year and (d.year, d.month) != (self.year - 1, 12)
        )
        if stray:
            problems.append(
                f"dates outside {self.year} and December {self.year - 1}: {_dates(stray)}"
            )
        if problems:
            raise ValueError(f"holiday schedule for {self.year}: " + "; ".join(problems))


@dataclass(frozen=True)
class Deadline:
    """The last day of a window counted in working days.

    ``provisional`` is true when a day counted lies in a year whose official
    schedule is not known: the date may move when the notice is published, so
    a clerk should not present it as final.
    """

    day: date
    provisional: bool


@dataclass(frozen=True)
class _Year:
    """One year's calendar, precomputed so that counting is arithmetic, not library calls."""

    first: date
    official: bool
    cumulative: list[int]
    """``cumulative[i]``: working days among the year's first ``i`` days (so ``[0]`` is 0)."""

    @property
    def total(self) -> int:
        return self.cumulative[-1]

    def through(self, day: date) -> int:
        """Working days from 1 January up to and including ``day``."""
        return self.cumulative[(day - self.first).days + 1]


class WorkCalendar:
    """工作日历 (working-day calendar): counts working days across years and sources.

    Each year is built once, on first use, and kept: a listing run computes a
    deadline for every entry, and each of those is a few list look-ups.
    """

    def __init__(self, official: Iterable[Schedule] = ()) -> None:
        self._schedules: dict[int, Schedule] = {}
        for schedule in official:
            if schedule.year in self._schedules:
                raise ValueError(
                    f"two holiday schedules for {schedule.year}: "
                    f"{self._schedules[schedule.year].basis} and {schedule.basis}"
                )
            self._schedules[schedule.year] = schedule
        self._years: dict[int, _Year] = {}

    def is_working_day(self, day: date) -> bool:
        _check_date(day, "day")
        year = self._year(day.year)
        index = (day - year.first).days
        return year.cumulative[index + 1] > year.cumulative[index]

    def is_official(self, year: int) -> bool:
        """Whether ``year`` follows a published schedule (passed in or in chinesecalendar)."""
        return year in self._schedules or self._chinese_calendar_covers(year)

    def add_working_days(self, start: date, count: int) -> Deadline:
        """The ``count``-th working day after ``start``; ``start`` itself is not counted.

        Count 0 is ``start`` itself, provisional as ``start``'s year is. A window
        of "N working days from notice" ends on ``add_working_days(notice, N)``.
        """
        _check_date(start, "start")
        if isinstance(count, bool) or not isinstance(count, int):
            raise TypeError(f"count must be an int number of working days, got {count!r}")
        if count < 0:
            # A caller's bug, not a user's input: pack validation rejects negative
            # windows before they reach here, so this is not a XinyongError.
            raise ValueError(f"count must be 0 or more working days, got {count}")
        if count == 0:
            return Deadline(start, provisional=not self.is_official(start.year))
        year = self._year(start.year)
        done = year.through(start)
        while done + count > year.total:
            count -= year.total - done
            year, done = self._year(year.first.year + 1), 0
        # The first day whose running total reaches the target.
        index = bisect_left(year.cumulative, done + count) - 1
        day = year.first + timedelta(days=index)
        first_counted = (start + timedelta(days=1)).year
        provisional = any(not self.is_official(y) for y in range(first_counted, day.year + 1))
        return Deadline(day, provisional)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (``start``, ``end``]: how many a window has used up by ``end``.

        Antisymmetric, so that "working days left" can go negative once a
        deadline has passed: ``between(a, b) == -between(b, a)``.
        """
        _check_date(start, "start")
        _check_date(end, "end")
        if end < start:
            return -self.working_days_between(end, start)
        first, last = self._year(start.year), self._year(end.year)
        if first is last:
            return last.through(end) - first.through(start)
        middle = sum(self._year(y).total for y in range(start.year + 1, end.year))
        return first.total - first.through(start) + middle + last.through(end)

    def _year(self, year: int) -> _Year:
        built = self._years.get(year)
        if built is None:
            built = self._years[year] = self._build(year)
        return built

    def _build(self, year: int) -> _Year:
        off, on = self._days(year)
        # A notice for next year may fix days at the end of this one; it is the
        # later word on them, so it wins over this year's source.
        following = self._schedules.get(year + 1)
        if following is not None:
            off = (off - following.workdays) | {d for d in following.holidays if d.year == year}
            on = (on - following.holidays) | {d for d in following.workdays if d.year == year}
        first = date(year, 1, 1)
        cumulative = [0]
        day = first
        while day.year == year:
            working = day in on or (day.weekday() < 5 and day not in off)
            cumulative.append(cumulative[-1] + working)
            day += timedelta(days=1)
        return _Year(first, self.is_official(year), cumulative)

    def _days(self, year: int) -> tuple[frozenset[date], frozenset[date]]:
        """The days off and the make-up working days of ``year``, from its first source."""
        schedule = self._schedules.get(year)
        if schedule is not None:
            return (
                frozenset(d for d in schedule.holidays if d.year == year),
                frozenset(d for d in schedule.workdays if d.year == year),
            )
        if self._chinese_calendar_covers(year):
            off = frozenset(d for d in chinese_calendar.holidays if d.year == year)
            on = frozenset(d for d in chinese_calendar.workdays if d.year == year)
            return off, on | {d for d in _CHINESE_CALENDAR_MISSING_WORKDAYS if d.year == year}
        # Next year's notice can give days off or make-up days in late December,
        # so read both years and keep this one's dates. weekend_workdays also
        # holds a few fixed dates of other years whatever is asked: filter it.
        # Before 1950 and after 2100 the library has no holidays: only weekends
        # are off, and the year is provisional like any other from here.
        table = holidays.country_holidays("CN", years=(year, year + 1), expand=False)
        off = frozenset(d for d in table if d.year == year)
        on = frozenset(d for d in table.weekend_workdays if d.year == year)
        return off, on

    def _chinese_calendar_covers(self, year: int) -> bool:
        return year in _CHINESE_CALENDAR_YEARS


# The years chinesecalendar publishes schedules for: those its own tables hold
# (2004–2026 in 1.11), read once rather than asked day by day.
_CHINESE_CALENDAR_YEARS = frozenset(d.year for d in chinese_calendar.holidays)


def _check_date(value: date, name: str) -> None:
    # A datetime is a date to Python, but a UTC instant's date is not always
    # the Beijing date that working days are counted in.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a date in China (xinyong.clock.china_date), got {value!r}")


def _dates(days: Iterable[date]) -> str:
    return ", ".join(d.isoformat() for d in days)
