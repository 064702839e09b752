"""Bulk queries of collection: many subjects and records per round trip.

An ingest applies tens of thousands of rows per batch; one statement per row
would spend its time in round trips. These functions take and return many
at once, in chunks that fit any database's parameter limit. They run in the
caller's transaction (the batch's), so a batch still applies whole or not at
all; they never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from xinyong.store.tables import record, subject

CHUNK = 500
"""Keys per IN list: well under SQLite's 32,766 bound parameters and PostgreSQL's 65,535."""


def _chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def subject_facts(conn: Connection, codes: Iterable[str]) -> dict[str, tuple[str, date | None]]:
    """code → (subject kind, established on) for the codes that are registered."""
    wanted = sorted(set(codes))
    found: dict[str, tuple[str, date | None]] = {}
    for part in _chunks(wanted):
        rows = conn.execute(
            select(subject.c.code, subject.c.subject_kind, subject.c.established_on).where(
                subject.c.code.in_(part)
            )
        )
        for code, kind, established in rows:
            found[code] = (kind, established)
    return found


def upsert_subjects(conn: Connection, rows: Sequence[dict[str, Any]], now: datetime) -> None:
    """Insert or update many subjects (registration records); ``created_at`` keeps the first."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(subject)
    updates = {
        name: stmt.excluded[name]
        for name in ("subject_kind", "code_kind", "type_code", "name", "region_code",
                     "legal_rep_code", "legal_rep_name", "established_on", "status", "updated_at")
    }  # fmt: skip
    statement = stmt.on_conflict_do_update(index_elements=["code"], set_=updates)
    values = [{**row, "created_at": now, "updated_at": now} for row in rows]
    conn.execute(statement, values)


def current_by_document(
    conn: Connection, jurisdiction: str, department: str, numbers: Iterable[str]
) -> dict[str, tuple[str, str, str]]:
    """document number → (record id, content hash, status) of the department's current records."""
    wanted = sorted(set(numbers))
    found: dict[str, tuple[str, str, str]] = {}
    for part in _chunks(wanted):
        rows = conn.execute(
            select(
                record.c.document_number, record.c.record_id, record.c.content_hash, record.c.status
            ).where(
                record.c.jurisdiction == jurisdiction,
                record.c.department == department,
                record.c.document_number.in_(part),
                record.c.is_current,
            )
        )
        for number, record_id, digest, status in rows:
            found[number] = (record_id, digest, status)
    return found


def insert_records(conn: Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Insert many version-1 records in one statement per chunk; returns how many."""
    if rows:
        conn.execute(insert(record), list(rows))
    return len(rows)


def records_of_batch(conn: Connection, batch_id: int) -> int:
    """How many record versions a batch wrote (for tests and reports)."""
    query = select(func.count()).select_from(record).where(record.c.batch_id == batch_id)
    return int(conn.execute(query).scalar_one())
