"""Queries on the audit log (``audit_event``): read the newest link, append, read back.

SQL only: hashing and verifying are :mod:`xinyong.audit`'s, which hands this
module finished rows. Rows are only ever inserted; nothing here updates or
deletes one. Runs in the caller's transaction and never commits, so an event
logged by a unit of work that rolls back disappears with it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select

from xinyong.store.engine import audit_lock
from xinyong.store.tables import audit_event

# What an empty log's newest link is; equal to xinyong.audit.model.GENESIS.
_NO_HASH = "0" * 64


@dataclass(frozen=True)
class EventRow:
    """One row of ``audit_event``, exactly as stored."""

    seq: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str


def last_link(conn: Connection) -> tuple[int, str]:
    """Seq and hash of the newest entry, ``(0, "0" * 64)`` when there is none.

    Takes the audit lock first (:func:`~xinyong.store.engine.audit_lock`), held
    until the caller's transaction ends, so that the caller can append the next
    seq without another appender taking it. Call it late in a long unit of work:
    other appenders wait for the lock.
    """
    audit_lock(conn)
    newest = conn.execute(
        select(audit_event.c.seq, audit_event.c.hash).order_by(audit_event.c.seq.desc()).limit(1)
    ).first()
    if newest is None:
        return 0, _NO_HASH
    return int(newest.seq), str(newest.hash)


def insert_event(conn: Connection, row: EventRow) -> None:
    """Append one entry; its seq must be free (the primary key refuses a taken one)."""
    insert_events(conn, [row])


def insert_events(conn: Connection, rows: Sequence[EventRow]) -> int:
    """Append entries in one round trip (``executemany``); returns how many."""
    if rows:
        conn.execute(insert(audit_event), [asdict(row) for row in rows])
    return len(rows)


def iter_events(conn: Connection, *, batch_size: int = 1000) -> Iterator[EventRow]:
    """Every entry in seq order, read ``batch_size`` at a time.

    Pages by seq (``WHERE seq > last ORDER BY seq LIMIT n``) rather than holding
    a server-side cursor, so memory stays flat on both databases and each page
    is an indexed range scan of the primary key.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    after = 0
    while True:
        page = conn.execute(
            select(audit_event)
            .where(audit_event.c.seq > after)
            .order_by(audit_event.c.seq)
            .limit(batch_size)
        ).all()
        for row in page:
            yield _row(row)
        if len(page) < batch_size:
            return
        after = int(page[-1].seq)


def events_for_target(conn: Connection, target: str) -> list[EventRow]:
    """Entries about ``target`` in seq order: who read or changed it, and when."""
    rows = conn.execute(
        select(audit_event).where(audit_event.c.target == target).order_by(audit_event.c.seq)
    )
    return [_row(row) for row in rows]


def _row(row: Row[Any]) -> EventRow:
    return EventRow(
        seq=int(row.seq),
        at=row.at,
        actor=row.actor,
        action=row.action,
        target=row.target,
        detail=row.detail,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
