"""Queries of evaluation: the engine's input rows, runs and results.

The input rows are streamed in a stable order (subject, then record), so that
a snapshot of an unchanged store has the same bytes. Runs in the caller's
transaction; never commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any

from sqlalchemy import Connection, func, insert, select

from xinyong.store.tables import evaluation, evaluation_run, record, record_link, subject

INSERT_CHUNK = 5_000


@dataclass(frozen=True)
class RunRow:
    model_code: str
    policy_version: str
    engine: str
    as_of: date
    snapshot_sha256: str
    subjects: int
    distribution: dict[str, int]
    started_at: datetime
    finished_at: datetime
    actor: str


@dataclass(frozen=True)
class ResultRow:
    subject_code: str
    model_code: str
    policy_version: str
    as_of: date
    score: float
    grade: str
    inputs_hash: str
    records: int
    engine: str
    computed_at: datetime
    run_id: int | None = None


def subject_rows(conn: Connection, code: str | None = None) -> Iterator[dict[str, Any]]:
    """``code, subject_kind, status`` of every subject (or of one), by code."""
    query = select(subject.c.code, subject.c.subject_kind, subject.c.status).order_by(
        subject.c.code
    )
    if code is not None:
        query = query.where(subject.c.code == code)
    for row in conn.execution_options(yield_per=10_000).execute(query).mappings():
        yield dict(row)


def record_rows(conn: Connection, code: str | None = None) -> Iterator[dict[str, Any]]:
    """Current record versions as the engine reads them (snapshot.RECORDS), by subject."""
    provisional = (
        select(record_link.c.record_id)
        .where(record_link.c.record_id == record.c.record_id, record_link.c.status == "provisional")
        .exists()
    )
    query = (
        select(
            record.c.subject_code,
            record.c.record_id,
            record.c.version,
            record.c.catalog_item,
            record.c.severity,
            record.c.decided_on,
            record.c.status,
            provisional.label("provisional"),
        )
        .where(record.c.is_current)
        .order_by(record.c.subject_code, record.c.record_id)
    )
    if code is not None:
        query = query.where(record.c.subject_code == code)
    for row in conn.execution_options(yield_per=10_000).execute(query).mappings():
        yield {**row, "provisional": bool(row["provisional"])}


def insert_run(conn: Connection, row: RunRow) -> int:
    result = conn.execute(insert(evaluation_run).values(**asdict(row)))
    (run_id,) = result.inserted_primary_key or (None,)
    assert run_id is not None
    return int(run_id)


def insert_results(conn: Connection, rows: Iterable[ResultRow]) -> int:
    """Insert results in chunks; the number inserted."""
    n = 0
    iterator = iter(rows)
    while chunk := [asdict(r) for r in islice(iterator, INSERT_CHUNK)]:
        conn.execute(insert(evaluation), chunk)
        n += len(chunk)
    return n


def latest_results(conn: Connection, subject_code: str) -> list[ResultRow]:
    """The latest result of each model for the subject, by model code."""
    latest = (
        select(func.max(evaluation.c.id))
        .where(evaluation.c.subject_code == subject_code)
        .group_by(evaluation.c.model_code)
    )
    query = (
        select(*[evaluation.c[f] for f in ResultRow.__dataclass_fields__])
        .where(evaluation.c.id.in_(latest))
        .order_by(evaluation.c.model_code)
    )
    return [ResultRow(**row) for row in conn.execute(query).mappings()]


def latest_grades(conn: Connection, model_code: str) -> Iterator[tuple[str, str, str, str | None]]:
    """(code, grade, region, type code) of each active subject by its latest result of the model."""
    latest = (
        select(func.max(evaluation.c.id).label("id"))
        .where(evaluation.c.model_code == model_code)
        .group_by(evaluation.c.subject_code)
        .subquery()
    )
    query = (
        select(subject.c.code, evaluation.c.grade, subject.c.region_code, subject.c.type_code)
        .join(latest, latest.c.id == evaluation.c.id)
        .join(subject, subject.c.code == evaluation.c.subject_code)
        .where(subject.c.status == "active")
        .order_by(subject.c.code)
    )
    for row in conn.execute(query):
        yield row.code, row.grade, row.region_code, row.type_code


def public_until(conn: Connection, record_ids: Iterable[str]) -> dict[str, date | None]:
    """Of these records, the current versions disclosed publicly, each with its last public day."""
    ids = sorted(set(record_ids))
    if not ids:
        return {}
    query = select(record.c.record_id, record.c.disclosure_until).where(
        record.c.is_current, record.c.disclosure_scope == "public", record.c.record_id.in_(ids)
    )
    return {row.record_id: row.disclosure_until for row in conn.execute(query)}
