"""Use cases of the audit log: append events inside a caller's unit of work; verify the log.

Appending never opens or commits a transaction of its own: a service that
writes, or reads non-public data, appends in the same unit of work, so the
event and what it records are committed together or not at all. Verifying
owns one read-only unit of work. No SQL here: queries live in
:mod:`xinyong.store.queries.audit`; hashing and verifying in :mod:`.model`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from xinyong.audit.model import (
    AuditDraft,
    AuditEntry,
    Head,
    Verification,
    link_drafts,
    verify_chain,
)
from xinyong.store.engine import open_store
from xinyong.store.queries import audit as queries
from xinyong.store.uow import Connection, UnitOfWork


def append_event(
    conn: Connection,
    *,
    actor: str,
    action: str,
    target: str,
    detail: Mapping[str, Any],
    now: datetime,
) -> AuditEntry:
    """Append one event to the log in the caller's transaction; returns the stored entry.

    ``conn`` is the caller's ``uow.connection``, in a writing unit of work (a
    read of non-public data logs too, so its unit of work cannot be read-only).
    The audit lock is held from here until that unit of work ends: append late
    in it. Raises ``ValueError`` for a detail that could not be stored and read
    back unchanged (see :func:`xinyong.audit.model.normalise_detail`).
    """
    (entry,) = append_events(conn, [AuditDraft(actor, action, target, detail)], now)
    return entry


def append_events(
    conn: Connection, drafts: Iterable[AuditDraft], now: datetime
) -> list[AuditEntry]:
    """Append many events at ``now``, in order, with one insert; returns the entries.

    For ingest and bulk reads, which log one event per record or subject. The
    same rules as :func:`append_event`; no drafts, no lock and no write.
    """
    pending = list(drafts)
    if not pending:
        return []
    seq, digest = queries.last_link(conn)
    entries = link_drafts(Head(seq, digest), pending, now)
    queries.insert_events(conn, [_row_of(entry) for entry in entries])
    return entries


def verify_log(store_url: str, *, expected_head: Head | None = None) -> Verification:
    """``xinyong audit verify``: walk the whole log and report the first broken link.

    Reads only, in one read-only unit of work, streaming in pages. With
    ``expected_head`` (a head noted from an earlier run) it also detects entries
    cut off the end or a rewritten chain; see :func:`~xinyong.audit.model.verify_chain`.
    """
    with open_store(store_url) as store, UnitOfWork(store, read_only=True) as uow:
        return verify_chain(_entries(uow.connection), expected_head=expected_head)


def entries_for_target(conn: Connection, target: str) -> list[AuditEntry]:
    """What the log holds about ``target``, oldest first (for a subject's query history)."""
    return [_entry_of(row) for row in queries.events_for_target(conn, target)]


def _entries(conn: Connection) -> Iterator[AuditEntry]:
    for row in queries.iter_events(conn):
        yield _entry_of(row)


def _row_of(entry: AuditEntry) -> queries.EventRow:
    return queries.EventRow(
        seq=entry.seq,
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        target=entry.target,
        detail=entry.detail,
        prev_hash=entry.prev_hash,
        hash=entry.hash,
    )


def _entry_of(row: queries.EventRow) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        action=row.action,
        target=row.target,
        detail=row.detail,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
