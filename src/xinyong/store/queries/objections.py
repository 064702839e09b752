"""Queries of objections: store one with its attachments, read queues, update a decision.

Never commits: the rights service holds the unit of work, so an objection,
the status it puts on its item and its audit entry land together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from xinyong.store.tables import list_entry, notification, objection, objection_attachment


@dataclass(frozen=True)
class ObjectionRow:
    jurisdiction: str
    subject_code: str
    target: str
    department: str
    reasons: str
    filed_by: str
    filed_at: datetime
    due_on: date
    latest_on: date
    due_provisional: bool = False
    record_id: str | None = None
    record_version: int | None = None
    entry_id: int | None = None
    repair_id: int | None = None
    extension_reason: str | None = None
    state: str = "open"
    decision_reason: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    corrected_version: int | None = None
    escalated_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class AttachmentRow:
    objection_id: int
    filename: str
    media_type: str
    size: int
    sha256: str
    id: int | None = None


_COLUMNS = tuple(f.name for f in fields(ObjectionRow) if f.name != "id")


def insert_objection(conn: Connection, row: ObjectionRow) -> int:
    values = {name: getattr(row, name) for name in _COLUMNS}
    return int(
        conn.execute(insert(objection).values(values).returning(objection.c.id)).scalar_one()
    )


def update_objection(conn: Connection, row: ObjectionRow) -> None:
    if row.id is None:
        raise ValueError("an objection must be stored before it is updated")
    values = {name: getattr(row, name) for name in _COLUMNS}
    conn.execute(update(objection).where(objection.c.id == row.id).values(values))


def insert_attachment(
    conn: Connection, objection_id: int, filename: str, media_type: str, content: bytes, sha256: str
) -> int:
    values = {"objection_id": objection_id, "filename": filename, "media_type": media_type,
              "size": len(content), "sha256": sha256, "content": content}  # fmt: skip
    inserted = conn.execute(
        insert(objection_attachment).values(values).returning(objection_attachment.c.id)
    )
    return int(inserted.scalar_one())


def get_objection(
    conn: Connection, objection_id: int, *, for_update: bool = False
) -> ObjectionRow | None:
    query = select(objection).where(objection.c.id == objection_id)
    row = conn.execute(query.with_for_update() if for_update else query).mappings().first()
    return None if row is None else ObjectionRow(**row)


def open_objection_for(
    conn: Connection,
    *,
    record_id: str | None = None,
    entry_id: int | None = None,
    repair_id: int | None = None,
) -> ObjectionRow | None:
    """The open objection to the record, the entry or the repair's refusal, if there is one."""
    where = [objection.c.state == "open"]
    if record_id is not None:
        where.append(objection.c.record_id == record_id)
    elif entry_id is not None:
        where.append(objection.c.entry_id == entry_id)
    else:
        where.append(objection.c.repair_id == repair_id)
    row = conn.execute(select(objection).where(*where)).mappings().first()
    return None if row is None else ObjectionRow(**row)


def objections(
    conn: Connection,
    *,
    subject_code: str | None = None,
    department: str | None = None,
    states: Sequence[str] | None = None,
    overdue_on: date | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[ObjectionRow], int]:
    """A page of objections, oldest deadline first, and how many match."""
    where: list[Any] = []
    if subject_code is not None:
        where.append(objection.c.subject_code == subject_code)
    if department is not None:
        where.append(objection.c.department == department)
    if states:
        where.append(objection.c.state.in_(list(states)))
    if overdue_on is not None:
        where += [objection.c.state == "open", objection.c.due_on < overdue_on]
    total = conn.execute(select(func.count()).select_from(objection).where(*where)).scalar_one()
    rows = conn.execute(
        select(objection).where(*where).order_by(objection.c.due_on, objection.c.id)
        .limit(limit).offset(offset)
    ).mappings()  # fmt: skip
    return [ObjectionRow(**row) for row in rows], int(total)


def attachments_of(
    conn: Connection, objection_ids: Iterable[int]
) -> dict[int, list[AttachmentRow]]:
    """Each objection's attachments (without their content), in the order filed."""
    wanted = sorted(set(objection_ids))
    found: dict[int, list[AttachmentRow]] = {i: [] for i in wanted}
    if not wanted:
        return found
    columns = [c for c in objection_attachment.c if c.name != "content"]
    rows = conn.execute(
        select(*columns).where(objection_attachment.c.objection_id.in_(wanted))
        .order_by(objection_attachment.c.id)
    ).mappings()  # fmt: skip
    for row in rows:
        found[row["objection_id"]].append(AttachmentRow(**row))
    return found


def attachment_content(conn: Connection, attachment_id: int) -> tuple[AttachmentRow, bytes] | None:
    row = conn.execute(
        select(objection_attachment).where(objection_attachment.c.id == attachment_id)
    ).mappings().first()  # fmt: skip
    if row is None:
        return None
    values = dict(row)
    content = bytes(values.pop("content"))
    return AttachmentRow(**values), content


def entries_under_objection(conn: Connection, jurisdiction: str) -> frozenset[int]:
    """Ids of the jurisdiction's open entries marked under objection (the check service reads these)."""
    rows = conn.execute(
        select(list_entry.c.id).where(
            list_entry.c.jurisdiction == jurisdiction,
            list_entry.c.objection_open,
            list_entry.c.state != "removed",
        )
    )
    return frozenset(int(i) for (i,) in rows)


@dataclass(frozen=True)
class NotificationRow:
    recipient: str
    subject_code: str
    kind: str
    target: str
    detail: dict[str, Any]
    created_at: datetime
    attempts: int = 0
    last_attempt_at: datetime | None = None
    acknowledged_at: datetime | None = None
    id: int | None = None


def insert_notification(conn: Connection, row: NotificationRow) -> int:
    values = {k: v for k, v in asdict(row).items() if k != "id"}
    inserted = conn.execute(insert(notification).values(values).returning(notification.c.id))
    return int(inserted.scalar_one())


def notifications_of(conn: Connection, subject_code: str) -> list[NotificationRow]:
    rows = conn.execute(
        select(notification).where(notification.c.subject_code == subject_code)
        .order_by(notification.c.id)
    ).mappings()  # fmt: skip
    return [NotificationRow(**row) for row in rows]
