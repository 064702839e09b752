"""Queries of consents and of a subject's query history (checks and audited reads)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from xinyong.store.tables import audit_event, check_event, consent


@dataclass(frozen=True)
class ConsentRow:
    subject_code: str
    agency: str
    agency_name: str
    purpose: str
    granted_by: str
    granted_at: datetime
    valid_until: date
    revoked_at: datetime | None = None
    revoked_by: str | None = None
    id: int | None = None


_COLUMNS = tuple(f.name for f in fields(ConsentRow) if f.name != "id")


def insert_consent(conn: Connection, row: ConsentRow) -> int:
    values = {name: getattr(row, name) for name in _COLUMNS}
    return int(conn.execute(insert(consent).values(values).returning(consent.c.id)).scalar_one())


def update_consent(conn: Connection, row: ConsentRow) -> None:
    values = {name: getattr(row, name) for name in _COLUMNS}
    conn.execute(update(consent).where(consent.c.id == row.id).values(values))


def get_consent(conn: Connection, consent_id: int) -> ConsentRow | None:
    row = conn.execute(select(consent).where(consent.c.id == consent_id)).mappings().first()
    return None if row is None else ConsentRow(**row)


def consents_of(conn: Connection, subject_code: str) -> list[ConsentRow]:
    rows = conn.execute(
        select(consent).where(consent.c.subject_code == subject_code).order_by(consent.c.id)
    ).mappings()
    return [ConsentRow(**row) for row in rows]


def consents_for(
    conn: Connection, subject_code: str, agency: str, purpose: str
) -> list[ConsentRow]:
    """The consents of the subject to this agency for this purpose, newest first."""
    rows = conn.execute(
        select(consent).where(consent.c.subject_code == subject_code, consent.c.agency == agency,
                              consent.c.purpose == purpose)
        .order_by(consent.c.id.desc())
    ).mappings()  # fmt: skip
    return [ConsentRow(**row) for row in rows]


def subject_reads(
    conn: Connection, subject_code: str, actions: Collection[str]
) -> list[tuple[datetime, str, str, dict[str, Any]]]:
    """(at, actor, action, detail) of the audited reads about the subject, oldest first."""
    rows = conn.execute(
        select(audit_event.c.at, audit_event.c.actor, audit_event.c.action, audit_event.c.detail)
        .where(audit_event.c.target == f"subject:{subject_code}",
               audit_event.c.action.in_(sorted(actions)))
        .order_by(audit_event.c.seq)
    )  # fmt: skip
    return [(at, actor, action, dict(detail)) for at, actor, action, detail in rows]


def subject_checks(
    conn: Connection, subject_code: str
) -> list[tuple[datetime, str, str | None, str, str, str]]:
    """(at, actor, department, matter, outcome, check id) of the checks on the subject, oldest first."""
    rows = conn.execute(
        select(check_event.c.at, check_event.c.actor, check_event.c.department,
               check_event.c.matter, check_event.c.outcome, check_event.c.id)
        .where(check_event.c.subject_code == subject_code)
        .order_by(check_event.c.at, check_event.c.id)
    )  # fmt: skip
    return [tuple(row) for row in rows]
