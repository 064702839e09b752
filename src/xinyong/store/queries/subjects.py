"""Queries on subjects and their professions.

Takes normalised codes: validating and normalising a USCC or resident ID is
``xinyong.codes``' job, done by the service before it gets here. Every function
runs in the caller's transaction and never commits; "now" is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, or_, select, update

from xinyong.store.engine import upsert
from xinyong.store.tables import profession, subject


@dataclass(frozen=True)
class SubjectRow:
    """One row of ``subject``; ``id`` is None before it is stored."""

    code: str
    code_kind: str
    subject_kind: str
    type_code: str | None
    name: str
    region_code: str
    legal_rep_code: str | None = None
    legal_rep_name: str | None = None
    established_on: date | None = None
    status: str = "active"
    converted_from: str | None = None
    id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class ProfessionRow:
    """One row of ``profession``: a subject in a key group for a period."""

    subject_id: int
    profession: str
    since: date
    department: str
    jurisdiction: str
    until: date | None = None
    id: int | None = None


# Everything but the key and the creation time is replaced by an upsert.
_SUBJECT_UPDATES = (
    "code_kind",
    "subject_kind",
    "type_code",
    "name",
    "region_code",
    "legal_rep_code",
    "legal_rep_name",
    "established_on",
    "status",
    "converted_from",
    "updated_at",
)


def upsert_subject(conn: Connection, row: SubjectRow, now: datetime) -> int:
    """Insert the subject or replace its attributes; returns its id.

    ``created_at`` keeps the first registration; ``updated_at`` becomes ``now``.
    """
    values: dict[str, Any] = {
        "code": row.code,
        "code_kind": row.code_kind,
        "subject_kind": row.subject_kind,
        "type_code": row.type_code,
        "name": row.name,
        "region_code": row.region_code,
        "legal_rep_code": row.legal_rep_code,
        "legal_rep_name": row.legal_rep_name,
        "established_on": row.established_on,
        "status": row.status,
        "converted_from": row.converted_from,
        "created_at": now,
        "updated_at": now,
    }
    return int(upsert(conn, subject, values, key=["code"], update=_SUBJECT_UPDATES))


def get_subject(conn: Connection, code: str) -> SubjectRow | None:
    """The subject with this normalised code, or None."""
    found = conn.execute(select(subject).where(subject.c.code == code)).mappings().first()
    return SubjectRow(**found) if found is not None else None


def set_subject_status(conn: Connection, code: str, status: str, now: datetime) -> bool:
    """Set the status (e.g. cancelled, deceased); False when no such subject."""
    result = conn.execute(
        update(subject).where(subject.c.code == code).values(status=status, updated_at=now)
    )
    return result.rowcount == 1


def add_profession(conn: Connection, row: ProfessionRow) -> int:
    """Record that a subject belongs to a key group from ``since``; returns the row id.

    The same (subject, profession, since) reported again updates ``until`` and the
    reporting department instead of adding a second period.
    """
    values = {
        "subject_id": row.subject_id,
        "profession": row.profession,
        "since": row.since,
        "until": row.until,
        "department": row.department,
        "jurisdiction": row.jurisdiction,
    }
    return int(
        upsert(
            conn,
            profession,
            values,
            key=["subject_id", "profession", "since"],
            update=["until", "department", "jurisdiction"],
        )
    )


def end_profession(
    conn: Connection, subject_id: int, profession_code: str, since: date, until: date
) -> bool:
    """Close a period of membership; False when there is no such period."""
    result = conn.execute(
        update(profession)
        .where(
            profession.c.subject_id == subject_id,
            profession.c.profession == profession_code,
            profession.c.since == since,
        )
        .values(until=until)
    )
    return result.rowcount == 1


def professions_of(
    conn: Connection, subject_id: int, *, on: date | None = None
) -> list[ProfessionRow]:
    """The subject's professions, oldest first; only those held on ``on`` if given."""
    query = select(profession).where(profession.c.subject_id == subject_id)
    if on is not None:
        query = query.where(
            profession.c.since <= on, or_(profession.c.until.is_(None), profession.c.until >= on)
        )
    rows = conn.execute(query.order_by(profession.c.since, profession.c.profession)).mappings()
    return [ProfessionRow(**row) for row in rows]
