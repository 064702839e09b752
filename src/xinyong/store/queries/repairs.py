"""Queries of credit repair: applications, and the parties that received a record.

Never commits: the rights service holds the unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from xinyong.store.tables import api_key, audit_event, notification, repair


@dataclass(frozen=True)
class RepairRow:
    jurisdiction: str
    subject_code: str
    record_id: str
    record_version: int
    department: str
    performed: str
    commitment: str
    filed_by: str
    filed_at: datetime
    due_on: date
    due_provisional: bool = False
    state: str = "open"
    decision_reason: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    id: int | None = None


_COLUMNS = tuple(f.name for f in fields(RepairRow) if f.name != "id")


def insert_repair(conn: Connection, row: RepairRow) -> int:
    values = {name: getattr(row, name) for name in _COLUMNS}
    return int(conn.execute(insert(repair).values(values).returning(repair.c.id)).scalar_one())


def update_repair(conn: Connection, row: RepairRow) -> None:
    if row.id is None:
        raise ValueError("an application must be stored before it is updated")
    values = {name: getattr(row, name) for name in _COLUMNS}
    conn.execute(update(repair).where(repair.c.id == row.id).values(values))


def get_repair(conn: Connection, repair_id: int, *, for_update: bool = False) -> RepairRow | None:
    query = select(repair).where(repair.c.id == repair_id)
    row = conn.execute(query.with_for_update() if for_update else query).mappings().first()
    return None if row is None else RepairRow(**row)


def open_repair_for(conn: Connection, record_id: str) -> RepairRow | None:
    found = conn.execute(
        select(repair).where(repair.c.record_id == record_id, repair.c.state == "open")
    ).mappings().first()  # fmt: skip
    return None if found is None else RepairRow(**found)


def repairs(
    conn: Connection,
    *,
    subject_code: str | None = None,
    department: str | None = None,
    states: Sequence[str] | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[RepairRow], int]:
    """A page of applications, oldest deadline first, and how many match."""
    where: list[Any] = []
    if subject_code is not None:
        where.append(repair.c.subject_code == subject_code)
    if department is not None:
        where.append(repair.c.department == department)
    if states:
        where.append(repair.c.state.in_(list(states)))
    total = conn.execute(select(func.count()).select_from(repair).where(*where)).scalar_one()
    rows = conn.execute(
        select(repair).where(*where).order_by(repair.c.due_on, repair.c.id)
        .limit(limit).offset(offset)
    ).mappings()  # fmt: skip
    return [RepairRow(**row) for row in rows], int(total)


def agencies_that_received(conn: Connection, subject_code: str, record_id: str) -> list[str]:
    """Actors of agency keys to whom an audited read delivered the record, first read first.

    Every delivery of a non-public record, or of any record about a person,
    is an audited read listing the records it returned (``xinyong.disclosure``).
    """
    rows = conn.execute(
        select(audit_event.c.actor, audit_event.c.detail)
        .where(audit_event.c.target == f"subject:{subject_code}")
        .order_by(audit_event.c.seq)
    )
    found: list[str] = []
    for actor, detail in rows:
        if not isinstance(detail, dict) or detail.get("role") != "agency":
            continue
        returned = {r.get("record_id") for r in detail.get("records", []) if isinstance(r, dict)}
        if record_id in returned and actor not in found:
            found.append(actor)
    return found


def active_agency_actors(conn: Connection) -> list[str]:
    """How the audit log names each agency key not revoked (``key:<prefix>``)."""
    rows = conn.execute(
        select(api_key.c.prefix).where(api_key.c.role == "agency", api_key.c.revoked_at.is_(None))
        .order_by(api_key.c.id)
    )  # fmt: skip
    return [f"key:{prefix}" for (prefix,) in rows]


def pending_notifications(conn: Connection, recipient: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(notification).where(notification.c.recipient == recipient,
                                   notification.c.acknowledged_at.is_(None))
        .order_by(notification.c.id)
    ).mappings()  # fmt: skip
    return [dict(row) for row in rows]


def get_notification(conn: Connection, notification_id: int) -> dict[str, Any] | None:
    row = conn.execute(
        select(notification).where(notification.c.id == notification_id)
    ).mappings().first()  # fmt: skip
    return None if row is None else dict(row)


def acknowledge(conn: Connection, notification_id: int, now: datetime) -> None:
    conn.execute(update(notification).where(notification.c.id == notification_id)
                 .values(acknowledged_at=now))  # fmt: skip


def unacknowledged_before(conn: Connection, kind: str, before: datetime) -> list[dict[str, Any]]:
    """Notifications of ``kind`` not acknowledged, last sent (or created) before ``before``."""
    last = func.coalesce(notification.c.last_attempt_at, notification.c.created_at)
    rows = conn.execute(
        select(notification).where(notification.c.kind == kind,
                                   notification.c.acknowledged_at.is_(None), last < before)
        .order_by(notification.c.id)
    ).mappings()  # fmt: skip
    return [dict(row) for row in rows]


def mark_attempt(conn: Connection, notification_id: int, now: datetime) -> None:
    conn.execute(update(notification).where(notification.c.id == notification_id)
                 .values(attempts=notification.c.attempts + 1, last_attempt_at=now))  # fmt: skip
