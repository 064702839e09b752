"""Queries of the portal's statistics: counts of public records, list sizes, publication delays.

Aggregates only: no row about anyone leaves these queries. Publication is the
moment the first version of a record was stored (``valid_from`` of version 1),
taken as a date in China's time.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, Date, String, cast, func, literal_column, select

from xinyong.store.queries.records import visible
from xinyong.store.tables import list_entry, record


def records_by_item_and_month(
    conn: Connection,
    *,
    scopes: Collection[str],
    statuses: Collection[str],
    disclosed_on: date,
    since: date,
) -> list[tuple[str, str, int]]:
    """(catalog item, YYYY-MM, count) of the records the public may see, decided since ``since``."""
    month = func.substr(cast(record.c.decided_on, String), 1, 7).label("month")
    query = (
        select(record.c.catalog_item, month, func.count())
        .where(*visible(scopes, statuses, disclosed_on), record.c.decided_on >= since)
        .group_by(record.c.catalog_item, month)
    )
    return [(str(item), str(m), int(n)) for item, m, n in conn.execute(query)]


def listed_by_list(conn: Connection, jurisdiction: str) -> dict[str, int]:
    query = (
        select(list_entry.c.list_code, func.count())
        .where(list_entry.c.jurisdiction == jurisdiction, list_entry.c.state == "listed")
        .group_by(list_entry.c.list_code)
    )
    return {str(code): int(n) for code, n in conn.execute(query)}


def publication_days(
    conn: Connection, items: Collection[str], *, since: date
) -> list[tuple[str, date, date, int]]:
    """(department, decided on, published on, count) of first versions decided since ``since``."""
    day: ColumnElement[Any]
    if conn.dialect.name == "sqlite":
        day = func.date(record.c.valid_from, "+8 hours")
    else:  # timestamptz at China's time, as a date
        day = cast(func.timezone("Asia/Shanghai", record.c.valid_from), Date)
    published = day.label("published")
    query = (
        select(record.c.department, record.c.decided_on, published, func.count())
        .where(
            record.c.version == 1,
            record.c.catalog_item.in_(sorted(items)),
            record.c.decided_on >= since,
        )
        .group_by(record.c.department, record.c.decided_on, literal_column("published"))
    )
    out = []
    for department, decided, on, n in conn.execute(query):
        on_day = on if isinstance(on, date) else date.fromisoformat(str(on))
        decided_day = decided if isinstance(decided, date) else date.fromisoformat(str(decided))
        out.append((str(department), decided_day, on_day, int(n)))
    return out
