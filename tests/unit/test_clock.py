"""Dates people read are Beijing-time dates, whatever the UTC instant."""

from __future__ import annotations

from datetime import UTC, date, datetime

from xinyong.clock import china_date


def test_late_evening_utc_is_already_the_next_day_in_china() -> None:
    assert china_date(datetime(2026, 12, 31, 16, 0, tzinfo=UTC)) == date(2027, 1, 1)
    assert china_date(datetime(2026, 12, 31, 15, 59, tzinfo=UTC)) == date(2026, 12, 31)
