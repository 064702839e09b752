"""Queries for the listing procedure: the records rules read, entries, transitions, notices.

An entry row is updated in place as it moves through its states; its history
is the append-only ``list_transition`` rows written with each update. The
schema refuses a listed entry without notice and a passed window, and a
second open entry of a subject on a list. Runs in the caller's transaction;
never commits; "now" is an argument.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from xinyong.store.tables import (
    list_entry,
    list_notice,
    list_transition,
    record,
    record_link,
    subject,
)


@dataclass(frozen=True)
class FactRow:
    """A current record version as list rules read it, with its subject's kind."""

    subject_code: str
    subject_kind: str
    record_id: str
    version: int
    catalog_item: str
    department: str
    decided_on: date
    severity: str | None
    payload: dict[str, Any]
    status: str
    provisional_link: bool
    document_number: str


@dataclass(frozen=True)
class EntryRow:
    """One row of ``list_entry``; ``id`` is None before it is stored."""

    jurisdiction: str
    list_code: str
    subject_code: str
    state: str
    basis: dict[str, Any]
    policy_version: str
    proposed_at: datetime
    changed_at: datetime
    notified_at: datetime | None = None
    objection_until: date | None = None
    deadline_provisional: bool = False
    objection_open: bool = False
    listed_on: date | None = None
    expires_on: date | None = None
    removed_at: datetime | None = None
    removal: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class TransitionRow:
    entry_id: int
    from_state: str | None
    to_state: str
    at: datetime
    actor: str
    reason: str


@dataclass(frozen=True)
class NoticeRow:
    entry_id: int
    issued_at: datetime
    objection_until: date
    text_zh: str
    text_en: str


_ENTRY_COLUMNS = [f.name for f in fields(EntryRow) if f.name != "id"]


def facts(
    conn: Connection, items: Collection[str], *, subjects: Collection[str] | None = None
) -> Iterator[FactRow]:
    """Current versions of the records of ``items`` (of ``subjects``, if given), by subject."""
    provisional = (
        select(record_link.c.record_id)
        .where(record_link.c.record_id == record.c.record_id, record_link.c.status == "provisional")
        .exists()
    )
    query = (
        select(
            record.c.subject_code,
            subject.c.subject_kind,
            record.c.record_id,
            record.c.version,
            record.c.catalog_item,
            record.c.department,
            record.c.decided_on,
            record.c.severity,
            record.c.payload,
            record.c.status,
            provisional.label("provisional_link"),
            record.c.document_number,
        )
        .join(subject, subject.c.code == record.c.subject_code)
        .where(record.c.is_current, record.c.catalog_item.in_(sorted(items)))
        .order_by(record.c.subject_code, record.c.record_id)
    )
    if subjects is not None:
        query = query.where(record.c.subject_code.in_(sorted(subjects)))
    for row in conn.execute(query).mappings():
        yield FactRow(**row)


@dataclass(frozen=True)
class CurrentVersion:
    """Where a record stands now: its current version and status, and its last correction."""

    version: int
    status: str
    corrected: int | None  # the latest version superseded by a correction (None: never)


def current_versions(conn: Connection, record_ids: Iterable[str]) -> dict[str, CurrentVersion]:
    """record id → its :class:`CurrentVersion`, for the given records.

    A version superseded by a correction keeps status ``corrected``; one
    superseded by a change of status alone (under objection, and back) keeps
    its own. So a basis citing version ``v`` still stands after status changes,
    and falls once any version from ``v`` on was corrected.
    """
    wanted = sorted(set(record_ids))
    found: dict[str, CurrentVersion] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        corrected: dict[str, int] = {
            rid: int(version)
            for rid, version in conn.execute(
                select(record.c.record_id, func.max(record.c.version))
                .where(record.c.record_id.in_(chunk), record.c.status == "corrected")
                .group_by(record.c.record_id)
            )
        }
        rows = conn.execute(
            select(record.c.record_id, record.c.version, record.c.status).where(
                record.c.is_current, record.c.record_id.in_(chunk)
            )
        )
        found.update(
            {
                rid: CurrentVersion(version, status, corrected.get(rid))
                for rid, version, status in rows
            }
        )
    return found


def open_entries(
    conn: Connection, jurisdiction: str, *, subjects: Collection[str] | None = None
) -> list[EntryRow]:
    """Every entry of the jurisdiction (of ``subjects``, if given) not yet removed, oldest first."""
    where = [list_entry.c.jurisdiction == jurisdiction, list_entry.c.state != "removed"]
    if subjects is not None:
        where.append(list_entry.c.subject_code.in_(sorted(subjects)))
    rows = conn.execute(select(list_entry).where(*where).order_by(list_entry.c.id)).mappings()
    return [EntryRow(**row) for row in rows]


def ended_bases(
    conn: Connection, jurisdiction: str, removals: Collection[str]
) -> dict[str, set[tuple[str, int]]]:
    """list code → record versions cited by its entries that ended for ``removals``."""
    rows = conn.execute(
        select(list_entry.c.list_code, list_entry.c.basis).where(
            list_entry.c.jurisdiction == jurisdiction,
            list_entry.c.state == "removed",
            list_entry.c.removal.in_(sorted(removals)),
        )
    )
    ended: dict[str, set[tuple[str, int]]] = {}
    for list_code, basis in rows:
        ended.setdefault(list_code, set()).update(
            (record_id, int(version)) for record_id, version in basis["records"]
        )
    return ended


def get_entry(conn: Connection, entry_id: int) -> EntryRow | None:
    row = conn.execute(select(list_entry).where(list_entry.c.id == entry_id)).mappings().first()
    return None if row is None else EntryRow(**row)


def insert_entry(conn: Connection, row: EntryRow) -> int:
    values = {name: getattr(row, name) for name in _ENTRY_COLUMNS}
    result = conn.execute(insert(list_entry).values(values).returning(list_entry.c.id))
    return int(result.scalar_one())


def update_entry(conn: Connection, row: EntryRow) -> None:
    if row.id is None:
        raise ValueError("an entry must be stored before it is updated")
    values = {name: getattr(row, name) for name in _ENTRY_COLUMNS}
    conn.execute(update(list_entry).where(list_entry.c.id == row.id).values(values))


def insert_transitions(conn: Connection, rows: Iterable[TransitionRow]) -> None:
    values = [asdict(row) for row in rows]
    if values:
        conn.execute(insert(list_transition), values)


def insert_notice(conn: Connection, row: NoticeRow) -> None:
    conn.execute(insert(list_notice).values(asdict(row)))


def transitions(conn: Connection, entry_id: int) -> list[TransitionRow]:
    """An entry's steps, in order."""
    rows = conn.execute(
        select(list_transition)
        .where(list_transition.c.entry_id == entry_id)
        .order_by(list_transition.c.id)
    ).mappings()
    return [TransitionRow(**{k: v for k, v in row.items() if k != "id"}) for row in rows]


def notice_of(conn: Connection, entry_id: int) -> NoticeRow | None:
    row = conn.execute(select(list_notice).where(list_notice.c.entry_id == entry_id)).mappings()
    first = row.first()
    return None if first is None else NoticeRow(**first)


def entries_page(
    conn: Connection,
    jurisdiction: str,
    list_code: str,
    *,
    states: Collection[str],
    limit: int,
    offset: int = 0,
) -> tuple[list[EntryRow], int]:
    """One page of a list's entries in ``states``, newest first, and their total."""
    views, total = entry_views(
        conn, jurisdiction, list_code, states=states, limit=limit, offset=offset
    )
    return [entry for entry, _name, _kind in views], total


def entry_views(
    conn: Connection,
    jurisdiction: str,
    list_code: str,
    *,
    states: Collection[str],
    limit: int,
    offset: int = 0,
) -> tuple[list[tuple[EntryRow, str, str]], int]:
    """Like :func:`entries_page`, each entry with its subject's name and kind."""
    where = [
        list_entry.c.jurisdiction == jurisdiction,
        list_entry.c.list_code == list_code,
        list_entry.c.state.in_(sorted(states)),
    ]
    total = conn.execute(select(func.count()).select_from(list_entry).where(*where)).scalar_one()
    rows = conn.execute(
        select(list_entry, subject.c.name.label("subject_name"), subject.c.subject_kind)
        .join(subject, subject.c.code == list_entry.c.subject_code)
        .where(*where)
        .order_by(list_entry.c.id.desc())
        .limit(limit)
        .offset(offset)
    ).mappings()
    views = []
    for row in rows:
        values = dict(row)
        name, kind = values.pop("subject_name"), values.pop("subject_kind")
        views.append((EntryRow(**values), str(name), str(kind)))
    return views, int(total)


def entries_of_subject(conn: Connection, code: str) -> list[EntryRow]:
    """Every entry of the subject on any list, in any state, oldest first (its own file)."""
    rows = conn.execute(
        select(list_entry).where(list_entry.c.subject_code == code).order_by(list_entry.c.id)
    ).mappings()
    return [EntryRow(**row) for row in rows]


def listed_of_subject(conn: Connection, jurisdiction: str, code: str) -> list[EntryRow]:
    """The subject's entries that are listed now (any list), oldest first."""
    rows = conn.execute(
        select(list_entry)
        .where(
            list_entry.c.jurisdiction == jurisdiction,
            list_entry.c.subject_code == code,
            list_entry.c.state == "listed",
        )
        .order_by(list_entry.c.id)
    ).mappings()
    return [EntryRow(**row) for row in rows]
