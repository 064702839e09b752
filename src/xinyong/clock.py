"""China's civil time, in one place.

Inside, times are aware UTC datetimes passed in as arguments; dates that
people read and the law counts (birth dates, deadlines, working days) are
Beijing-time dates. This module converts between the two; it never decides
what "now" is for a use case, except where a caller explicitly asks for it.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def china_date(now: datetime) -> date:
    """The calendar date in China at the aware instant ``now``."""
    return now.astimezone(CHINA).date()


def today_in_china() -> date:
    """Today's date in China, for callers that were not given one (CLI defaults)."""
    return china_date(datetime.now(CHINA))


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the last day of a shorter month when it has no such day.

    Disclosure periods run in calendar months from the decision date (a
    3-month period from 30 November ends on 28 or 29 February).
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def last_day(ends_on: date | None) -> date | None:
    """The last day something applies, given the first day it no longer does (None: open-ended).

    Stored periods end exclusively (``expires_on``); people read the last day
    included, as the law's texts do.
    """
    return None if ends_on is None else ends_on - timedelta(days=1)
