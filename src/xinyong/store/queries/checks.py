"""Queries of the check service: the index's rows and changes, the check log, feedback.

The index is built from the listed entries (:func:`listed_rows`) and kept
current from ``list_transition`` rows, whose ids only grow (:func:`changes_after`).
Runs in the caller's transaction; never commits.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select

from xinyong.store.tables import check_event, check_feedback, list_entry, list_transition, subject


@dataclass(frozen=True)
class EntrySource:
    """What the index needs of an entry: its state, list, period and who it reaches."""

    entry_id: int
    state: str
    subject_code: str
    list_code: str
    expires_on: date | None
    subject_kind: str
    legal_rep_code: str | None


@dataclass(frozen=True)
class CheckRow:
    id: str
    at: datetime
    actor: str
    department: str | None
    subject_code: str
    matter: str
    outcome: str
    measures: list[dict[str, Any]]
    policy_version: str


@dataclass(frozen=True)
class FeedbackRow:
    check_id: str
    applied: bool
    reason: str
    at: datetime
    actor: str


def _sources() -> Any:
    return select(
        list_entry.c.id,
        list_entry.c.state,
        list_entry.c.subject_code,
        list_entry.c.list_code,
        list_entry.c.expires_on,
        subject.c.subject_kind,
        subject.c.legal_rep_code,
    ).join(subject, subject.c.code == list_entry.c.subject_code)


def listed_rows(
    conn: Connection, jurisdiction: str, *, reaching: str | None = None
) -> Iterator[EntrySource]:
    """Every listed entry of the jurisdiction; with ``reaching``, only those about that code
    or about a legal person it represents."""
    query = _sources().where(
        list_entry.c.jurisdiction == jurisdiction, list_entry.c.state == "listed"
    )
    if reaching is not None:
        query = query.where(
            or_(list_entry.c.subject_code == reaching, subject.c.legal_rep_code == reaching)
        )
    for row in conn.execute(query.execution_options(yield_per=10_000)):
        yield EntrySource(*row)


def last_change(conn: Connection) -> int:
    """The id of the newest list transition (0 when there is none)."""
    return int(conn.execute(select(func.coalesce(func.max(list_transition.c.id), 0))).scalar_one())


def changes_after(conn: Connection, last: int, also: Collection[int] = ()) -> list[tuple[int, int]]:
    """(transition id, entry id) of transitions after ``last``, and of the ids in ``also``."""
    where = list_transition.c.id > last
    if also:
        where = or_(where, list_transition.c.id.in_(sorted(also)))
    query = select(list_transition.c.id, list_transition.c.entry_id).where(where)
    return [(int(t), int(e)) for t, e in conn.execute(query.order_by(list_transition.c.id))]


def entry_sources(conn: Connection, entry_ids: Iterable[int]) -> list[EntrySource]:
    wanted = sorted(set(entry_ids))
    found: list[EntrySource] = []
    for start in range(0, len(wanted), 500):
        query = _sources().where(list_entry.c.id.in_(wanted[start : start + 500]))
        found += [EntrySource(*row) for row in conn.execute(query)]
    return found


def insert_checks(conn: Connection, rows: Iterable[CheckRow]) -> int:
    values = [asdict(row) for row in rows]
    if values:
        conn.execute(insert(check_event), values)
    return len(values)


def get_check(conn: Connection, check_id: str) -> CheckRow | None:
    row = conn.execute(select(check_event).where(check_event.c.id == check_id)).mappings().first()
    return None if row is None else CheckRow(**row)


def insert_feedback(conn: Connection, row: FeedbackRow) -> None:
    conn.execute(insert(check_feedback).values(asdict(row)))


def feedback_of(conn: Connection, check_id: str) -> list[FeedbackRow]:
    rows = conn.execute(
        select(check_feedback)
        .where(check_feedback.c.check_id == check_id)
        .order_by(check_feedback.c.id)
    ).mappings()
    return [FeedbackRow(**{k: v for k, v in row.items() if k != "id"}) for row in rows]


def checks_of_subject(
    conn: Connection, subject_code: str, *, limit: int, offset: int = 0
) -> tuple[list[CheckRow], int]:
    """The checks made on a subject, newest first, and how many there were."""
    where = check_event.c.subject_code == subject_code
    total = conn.execute(select(func.count()).select_from(check_event).where(where)).scalar_one()
    rows = conn.execute(
        select(check_event)
        .where(where)
        .order_by(check_event.c.at.desc(), check_event.c.id)
        .limit(limit)
        .offset(offset)
    ).mappings()
    return [CheckRow(**row) for row in rows], int(total)
