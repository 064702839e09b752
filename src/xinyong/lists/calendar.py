"""The node's working-day calendar: the libraries' years, and the official schedules a pack carries."""

from __future__ import annotations

from xinyong.lists.workdays import Schedule, WorkCalendar
from xinyong.policy.model import HolidaySchedule, Pack


def calendar_of(pack: Pack) -> WorkCalendar:
    """The calendar deadlines of this pack's lists are counted in."""
    return WorkCalendar(_schedule(s) for s in pack.holiday_schedules)


def _schedule(official: HolidaySchedule) -> Schedule:
    return Schedule(
        official.year,
        frozenset(official.holidays),
        frozenset(official.workdays),
        official.legal_basis,
    )
