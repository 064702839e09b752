"""Queries on batches (uploaded department files) and their rejected rows.

A batch is created ``pending``, collects its rejected rows, and is finished
exactly once as ``applied`` or ``failed`` with its counts. Runs in the caller's
transaction and never commits: the ingest service applies a batch's records
and finishes it in one unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, insert, select, update

from xinyong.errors import NotFoundError
from xinyong.store.errors import BatchNotPendingError
from xinyong.store.tables import batch, rejected_row


@dataclass(frozen=True)
class NewBatch:
    department: str
    jurisdiction: str
    filename: str
    sha256: str
    format: str
    encoding: str
    mapping: str | None = None


@dataclass(frozen=True)
class BatchCounts:
    rows: int
    accepted: int
    rejected: int
    duplicates: int = 0
    corrections: int = 0
    revocations: int = 0


@dataclass(frozen=True)
class BatchRow:
    id: int
    department: str
    jurisdiction: str
    filename: str
    sha256: str
    format: str
    encoding: str
    rows: int
    accepted: int
    rejected: int
    duplicates: int
    corrections: int
    status: str
    created_at: datetime
    applied_at: datetime | None
    mapping: str | None = None
    revocations: int = 0


@dataclass(frozen=True)
class RejectedRow:
    """One problem with one row of a file; ``field`` None means the row as a whole.

    ``raw`` is the row as read (column → text), kept so that a clerk sees what
    was sent.
    """

    row_number: int
    field: str | None
    error_code: str
    message: str
    raw: dict[str, Any]


def create_batch(conn: Connection, new: NewBatch, now: datetime) -> int:
    """Record an uploaded file as a pending batch; returns its id."""
    values = {
        "department": new.department,
        "jurisdiction": new.jurisdiction,
        "filename": new.filename,
        "sha256": new.sha256,
        "format": new.format,
        "encoding": new.encoding,
        "mapping": new.mapping,
        "status": "pending",
        "created_at": now,
    }
    return int(conn.execute(insert(batch).values(values).returning(batch.c.id)).scalar_one())


def add_rejected_rows(conn: Connection, batch_id: int, rows: Iterable[RejectedRow]) -> int:
    """Store rejected rows of a batch in one round trip; returns how many."""
    values = [
        {
            "batch_id": batch_id,
            "row_number": row.row_number,
            "field": row.field,
            "error_code": row.error_code,
            "message": row.message,
            "raw": row.raw,
        }
        for row in rows
    ]
    if values:
        conn.execute(insert(rejected_row), values)
    return len(values)


def finish_batch(
    conn: Connection,
    batch_id: int,
    counts: BatchCounts,
    status: Literal["applied", "failed"],
    now: datetime,
) -> None:
    """Set the final counts and status of a pending batch.

    ``applied_at`` is set only when applied. Raises :class:`BatchNotPendingError`
    when the batch was already finished.
    """
    result = conn.execute(
        update(batch)
        .where(batch.c.id == batch_id, batch.c.status == "pending")
        .values(
            rows=counts.rows,
            accepted=counts.accepted,
            rejected=counts.rejected,
            duplicates=counts.duplicates,
            corrections=counts.corrections,
            revocations=counts.revocations,
            status=status,
            applied_at=now if status == "applied" else None,
        )
    )
    if result.rowcount != 1:
        current = get_batch(conn, batch_id)
        if current is None:
            raise NotFoundError(what="batch", key=batch_id)
        raise BatchNotPendingError(batch_id=batch_id, status=current.status)


def get_batch(conn: Connection, batch_id: int) -> BatchRow | None:
    found = conn.execute(select(batch).where(batch.c.id == batch_id)).mappings().first()
    return BatchRow(**found) if found is not None else None


def batches_with_sha256(
    conn: Connection, sha256: str, *, department: str | None = None
) -> list[BatchRow]:
    """Earlier uploads of the same file (of one department, if given), oldest first."""
    query = select(batch).where(batch.c.sha256 == sha256)
    if department is not None:
        query = query.where(batch.c.department == department)
    rows = conn.execute(query.order_by(batch.c.id)).mappings()
    return [BatchRow(**row) for row in rows]


def rejected_rows(
    conn: Connection, batch_id: int, *, limit: int | None = None
) -> list[RejectedRow]:
    """The batch's rejected rows in file order (the first ``limit`` if given)."""
    rows = conn.execute(
        select(
            rejected_row.c.row_number,
            rejected_row.c.field,
            rejected_row.c.error_code,
            rejected_row.c.message,
            rejected_row.c.raw,
        )
        .where(rejected_row.c.batch_id == batch_id)
        .order_by(rejected_row.c.row_number, rejected_row.c.id)
        .limit(limit)
    ).mappings()
    return [RejectedRow(**row) for row in rows]
