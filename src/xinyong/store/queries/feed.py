"""Queries of the "double publicity" feed and open data: public decisions across subjects.

The visibility conditions are those of a subject's own pages
(:func:`xinyong.store.queries.records.visible`), so the feed can show no
record a subject page would not. Counts stop at :data:`COUNT_CAP`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, func, literal_column, select

from xinyong.store.queries.records import visible
from xinyong.store.tables import record, subject

COUNT_CAP = 10_000


@dataclass(frozen=True)
class Decision:
    record_id: str
    version: int
    catalog_item: str
    department: str
    jurisdiction: str
    document_number: str
    decided_on: date
    severity: str | None
    status: str
    payload: dict[str, Any]
    subject_code: str
    subject_name: str
    subject_kind: str


_COLUMNS = (
    record.c.record_id, record.c.version, record.c.catalog_item, record.c.department,
    record.c.jurisdiction, record.c.document_number, record.c.decided_on, record.c.severity,
    record.c.status, record.c.payload, record.c.subject_code,
    subject.c.name.label("subject_name"), subject.c.subject_kind,
)  # fmt: skip


def _where(
    items: Collection[str],
    scopes: Collection[str],
    statuses: Collection[str],
    disclosed_on: date,
    department: str | None,
    since: date | None,
    until: date | None,
) -> list[Any]:
    where = [*visible(scopes, statuses, disclosed_on), record.c.catalog_item.in_(sorted(items))]
    if department is not None:
        where.append(record.c.department == department)
    if since is not None:
        where.append(record.c.decided_on >= since)
    if until is not None:
        where.append(record.c.decided_on <= until)
    return where


def decisions_page(
    conn: Connection,
    items: Collection[str],
    *,
    scopes: Collection[str],
    statuses: Collection[str],
    disclosed_on: date,
    department: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int,
    offset: int = 0,
) -> tuple[list[Decision], int]:
    """Newest decisions first, one page, and how many there are (up to the cap)."""
    where = _where(items, scopes, statuses, disclosed_on, department, since, until)
    counted: Select[tuple[int]] = select(literal_column("1")).select_from(record).where(*where)
    total = conn.execute(
        select(func.count()).select_from(counted.limit(COUNT_CAP + 1).subquery())
    ).scalar_one()
    rows = conn.execute(
        select(*_COLUMNS)
        .join(subject, subject.c.code == record.c.subject_code)
        .where(*where)
        .order_by(record.c.decided_on.desc(), record.c.record_id)
        .limit(limit)
        .offset(offset)
    ).mappings()
    return [Decision(**row) for row in rows], int(total)


def all_decisions(
    conn: Connection,
    items: Collection[str],
    *,
    scopes: Collection[str],
    statuses: Collection[str],
    disclosed_on: date,
) -> Iterator[Decision]:
    """Every such decision, streamed in a stable order (for the bulk export)."""
    where = _where(items, scopes, statuses, disclosed_on, None, None, None)
    query = (
        select(*_COLUMNS)
        .join(subject, subject.c.code == record.c.subject_code)
        .where(*where)
        .order_by(record.c.decided_on, record.c.record_id)
    )
    for row in conn.execution_options(yield_per=5_000).execute(query).mappings():
        yield Decision(**row)
