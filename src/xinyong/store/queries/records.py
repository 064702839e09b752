"""Queries on records, which keep every version they ever had.

A logical record (``record_id``) has versions 1, 2, …; exactly one is current.
Correcting a record or changing its status never updates a version's content:
it supersedes the current version (``is_current`` false, ``superseded_at``
set) and inserts the next one, so what was true at any moment can be read
back for objections, audits and peer nodes.

The database enforces the invariants (one current version per record, one
current record per document number of a department); this module turns their
violations into :class:`~xinyong.store.errors.DuplicateRecordError` and
:class:`~xinyong.store.errors.UnknownSubjectError`. Runs in the caller's
transaction; never commits; "now" is an argument.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from xinyong.store.errors import DuplicateRecordError, RecordNotFoundError, UnknownSubjectError
from xinyong.store.tables import record, subject


@dataclass(frozen=True)
class NewRecord:
    """What a department reports; ``content_hash`` is the caller's digest of it."""

    subject_code: str
    catalog_item: str
    department: str
    jurisdiction: str
    document_number: str
    decided_on: date
    polarity: str
    payload: dict[str, Any]
    disclosure_scope: str
    content_hash: str
    occurred_on: date | None = None
    severity: str | None = None
    disclosure_until: date | None = None
    status: str = "active"
    batch_id: int | None = None
    row_number: int | None = None


@dataclass(frozen=True, kw_only=True)
class RecordVersion(NewRecord):
    """One stored version of a record."""

    record_id: str
    version: int
    is_current: bool
    valid_from: datetime
    superseded_at: datetime | None
    change_reason: str | None


RECORD_FIELDS = frozenset(f.name for f in fields(NewRecord))
# Fields whose change changes what the record says, hence its content hash.
CONTENT_FIELDS = RECORD_FIELDS - {
    "content_hash",
    "disclosure_scope",
    "disclosure_until",
    "status",
    "batch_id",
    "row_number",
}


def new_record_id() -> str:
    """A fresh stable id for a logical record (random, so nodes never collide).

    128 random bits as 32 hex digits, like ``uuid4().hex`` without its version
    bits and at a fifth of the cost (an ingest draws one per record).
    """
    return os.urandom(16).hex()


def insert_record(
    conn: Connection, new: NewRecord, now: datetime, *, record_id: str | None = None
) -> RecordVersion:
    """Store version 1 of a new record, current from ``now``.

    Raises :class:`DuplicateRecordError` when the department already has a current
    record with this document number, :class:`UnknownSubjectError` when the
    subject is not registered.
    """
    return _insert_version(conn, record_id or new_record_id(), 1, asdict(new), now, None)


def get_current(conn: Connection, record_id: str) -> RecordVersion | None:
    return _one(conn, record.c.record_id == record_id, record.c.is_current)


def get_version(conn: Connection, record_id: str, version: int) -> RecordVersion | None:
    return _one(conn, record.c.record_id == record_id, record.c.version == version)


def history(conn: Connection, record_id: str) -> list[RecordVersion]:
    """Every version of the record, oldest first; empty when there is no such record."""
    rows = conn.execute(
        select(record).where(record.c.record_id == record_id).order_by(record.c.version)
    ).mappings()
    return [RecordVersion(**row) for row in rows]


def find_current_by_document(
    conn: Connection, jurisdiction: str, department: str, document_number: str
) -> RecordVersion | None:
    """The current record a department filed under this document number, if any."""
    return _one(
        conn,
        record.c.jurisdiction == jurisdiction,
        record.c.department == department,
        record.c.document_number == document_number,
        record.c.is_current,
    )


def current_for_subject(conn: Connection, subject_code: str) -> list[RecordVersion]:
    """The current version of each of the subject's records, newest decision first."""
    rows = conn.execute(
        select(record)
        .where(record.c.subject_code == subject_code, record.c.is_current)
        .order_by(record.c.decided_on.desc(), record.c.record_id)
    ).mappings()
    return [RecordVersion(**row) for row in rows]


def count_current_by_item(
    conn: Connection,
    subject_code: str,
    *,
    scopes: Collection[str] | None = None,
    statuses: Collection[str] | None = None,
    disclosed_on: date | None = None,
) -> dict[tuple[str, str], int]:
    """(catalog item, status) → number of the subject's current records.

    ``scopes``, ``statuses`` and ``disclosed_on`` narrow the records as in
    :func:`current_page`.
    """
    rows = conn.execute(
        select(record.c.catalog_item, record.c.status, func.count())
        .where(*_current_of(subject_code, scopes, statuses, disclosed_on))
        .group_by(record.c.catalog_item, record.c.status)
    )
    return {(item, status): int(count) for item, status, count in rows}


def current_page(
    conn: Connection,
    subject_code: str,
    *,
    scopes: Collection[str] | None = None,
    statuses: Collection[str] | None = None,
    disclosed_on: date | None = None,
    limit: int,
    offset: int = 0,
) -> tuple[list[RecordVersion], int]:
    """One page of the subject's current records, newest decision first, and their total.

    Only records in ``scopes`` (disclosure scopes) and ``statuses`` when given;
    with ``disclosed_on``, only records whose disclosure period has not ended
    before that day (``disclosure_until`` empty or on or after it).
    """
    where = _current_of(subject_code, scopes, statuses, disclosed_on)
    total = conn.execute(select(func.count()).select_from(record).where(*where)).scalar_one()
    rows = conn.execute(
        select(record)
        .where(*where)
        .order_by(record.c.decided_on.desc(), record.c.record_id)
        .limit(limit)
        .offset(offset)
    ).mappings()
    return [RecordVersion(**row) for row in rows], int(total)


def _current_of(
    subject_code: str,
    scopes: Collection[str] | None,
    statuses: Collection[str] | None,
    disclosed_on: date | None,
) -> list[Any]:
    return [record.c.subject_code == subject_code, *visible(scopes, statuses, disclosed_on)]


def visible(
    scopes: Collection[str] | None,
    statuses: Collection[str] | None,
    disclosed_on: date | None,
) -> list[Any]:
    """Conditions for current records in ``scopes`` and ``statuses``, still disclosed on a day.

    Any subject's pages and the cross-subject feeds use these same conditions.
    """
    where: list[Any] = [record.c.is_current]
    if scopes is not None:
        where.append(record.c.disclosure_scope.in_(sorted(scopes)))
    if statuses is not None:
        where.append(record.c.status.in_(sorted(statuses)))
    if disclosed_on is not None:
        where.append(
            or_(record.c.disclosure_until.is_(None), record.c.disclosure_until >= disclosed_on)
        )
    return where


def correct(
    conn: Connection,
    record_id: str,
    changes: Mapping[str, Any],
    reason: str,
    now: datetime,
) -> RecordVersion:
    """Supersede the current version with a corrected one and return it.

    The old version keeps its values and gets status ``corrected``; the new one
    carries ``changes`` over the old values (its status stays the old status
    unless ``changes`` sets it). A change to what the record says must come
    with its new ``content_hash``.
    """
    unknown = set(changes) - RECORD_FIELDS
    if unknown:
        raise ValueError(f"not record fields: {sorted(unknown)}")
    if not changes:
        raise ValueError("a correction needs at least one change")
    if set(changes) & CONTENT_FIELDS and "content_hash" not in changes:
        raise ValueError("changing the content of a record needs its new content_hash")
    return _supersede(conn, record_id, changes, reason, now, old_status="corrected")


def change_status(
    conn: Connection, record_id: str, status: str, reason: str, now: datetime
) -> RecordVersion:
    """Supersede the current version with one that differs only in ``status``.

    Used by the rights workflows (under objection, repaired) and expiry; the old
    version keeps its own status, so the history reads as a sequence of states.
    """
    return _supersede(conn, record_id, {"status": status}, reason, now, old_status=None)


def revoke(conn: Connection, record_id: str, reason: str, now: datetime) -> RecordVersion:
    """Mark the record revoked (its decision was withdrawn) as a new version."""
    return change_status(conn, record_id, "revoked", reason, now)


def _supersede(
    conn: Connection,
    record_id: str,
    changes: Mapping[str, Any],
    reason: str,
    now: datetime,
    *,
    old_status: str | None,
) -> RecordVersion:
    # FOR UPDATE makes a concurrent correction of the same record wait on
    # PostgreSQL (SQLite's writer lock already serialises); the primary key
    # (record_id, version) is the backstop either way.
    current = (
        conn.execute(
            select(record)
            .where(record.c.record_id == record_id, record.c.is_current)
            .with_for_update()
        )
        .mappings()
        .first()
    )
    if current is None:
        raise RecordNotFoundError(record_id)
    if current["valid_from"] > now:
        raise ValueError(f"{now.isoformat()} is before version {current['version']} began")
    superseded: dict[str, Any] = {"is_current": False, "superseded_at": now}
    if old_status is not None:
        superseded["status"] = old_status
    # The old version must stop being current before the new one exists: the
    # partial unique indexes would otherwise see two current versions.
    conn.execute(
        update(record)
        .where(record.c.record_id == record_id, record.c.version == current["version"])
        .values(superseded)
    )
    values = {name: current[name] for name in RECORD_FIELDS} | dict(changes)
    return _insert_version(conn, record_id, current["version"] + 1, values, now, reason)


def _insert_version(
    conn: Connection,
    record_id: str,
    version: int,
    values: Mapping[str, Any],
    now: datetime,
    reason: str | None,
) -> RecordVersion:
    row = {
        **values,
        "record_id": record_id,
        "version": version,
        "is_current": True,
        "valid_from": now,
        "superseded_at": None,
        "change_reason": reason,
    }
    try:
        # A savepoint keeps the caller's transaction usable after a violation
        # (PostgreSQL aborts the whole transaction otherwise).
        with conn.begin_nested():
            stored = conn.execute(insert(record).values(row).returning(*record.c)).mappings().one()
    except IntegrityError as err:
        _explain(conn, row, err)
        raise
    return RecordVersion(**stored)


def _explain(conn: Connection, row: Mapping[str, Any], err: IntegrityError) -> None:
    """Raise the domain error behind a violated constraint, if it is one we name."""
    clash = find_current_by_document(
        conn, row["jurisdiction"], row["department"], row["document_number"]
    )
    if clash is not None and clash.record_id != row["record_id"]:
        raise DuplicateRecordError(
            department=row["department"],
            jurisdiction=row["jurisdiction"],
            document_number=row["document_number"],
            record_id=clash.record_id,
        ) from err
    known = conn.execute(select(subject.c.id).where(subject.c.code == row["subject_code"]))
    if known.first() is None:
        raise UnknownSubjectError(code=row["subject_code"]) from err


def _one(conn: Connection, *where: Any) -> RecordVersion | None:
    found = conn.execute(select(record).where(*where)).mappings().first()
    return RecordVersion(**found) if found is not None else None
