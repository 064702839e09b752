"""Use cases of lists: run the procedure, remove an entry by decision, show entries.

:func:`run_lists` is the whole procedure in one unit of work, in an order that
makes a second run in a row change nothing:

1. entries whose basis records were revoked, corrected or repaired end;
2. listed entries whose period ran out expire;
3. notified entries whose objection window passed are listed (not while an
   objection is open, nor while the window's end is only provisional);
4. subjects that qualify and have no open entry are proposed and notified.

Each transition is stored with the entry and appended to the audit log in the
same transaction. Domain rules live in :mod:`.model` and :mod:`.rules`; SQL in
:mod:`xinyong.store.queries.lists`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from xinyong.audit.model import AuditDraft
from xinyong.audit.service import append_events
from xinyong.clock import china_date
from xinyong.lists import model
from xinyong.lists.calendar import calendar_of
from xinyong.lists.errors import EntryNotFoundError, EntryStepRefusedError, RemovalReasonError
from xinyong.lists.model import Entry, Removal, State, Transition
from xinyong.lists.notice import notice_texts
from xinyong.lists.rows import entry_of, row_of
from xinyong.lists.rules import Basis, RecordFact, qualifies
from xinyong.lists.workdays import WorkCalendar
from xinyong.policy.loader import LoadedPack
from xinyong.policy.model import CreditList
from xinyong.store.engine import Store
from xinyong.store.queries import lists as queries
from xinyong.store.uow import Connection, UnitOfWork

ACTOR = "system:lists"
# Record statuses that end an entry resting on the record, and as what.
_ENDING = {
    "revoked": Removal.BASIS_REVOKED,
    "corrected": Removal.BASIS_REVOKED,
    "repaired": Removal.REPAIRED,
}


@dataclass
class RunSummary:
    """What one run did, per list: counts by step, and why entries were held."""

    day: date
    proposed: Counter[str] = field(default_factory=Counter)
    listed: Counter[str] = field(default_factory=Counter)
    removed: Counter[tuple[str, str]] = field(default_factory=Counter)  # (list, removal)
    held: Counter[tuple[str, str]] = field(default_factory=Counter)  # (list, reason)

    @property
    def changes(self) -> int:
        return sum(self.proposed.values()) + sum(self.listed.values()) + sum(self.removed.values())


@dataclass
class _Writer:
    """Stores entries and their transitions, and collects their audit events."""

    conn: Connection
    jurisdiction: str
    now: datetime
    actor: str
    audit: list[AuditDraft] = field(default_factory=list)

    def save(self, entry: Entry, step: Transition) -> Entry:
        """Store the entry after ``step`` (inserting it when new) and the step itself."""
        row = row_of(entry, self.jurisdiction, self.now)
        if entry.id is None:
            entry = replace(entry, id=queries.insert_entry(self.conn, row))
        else:
            queries.update_entry(self.conn, row)
        assert entry.id is not None
        transition = queries.TransitionRow(
            entry.id, step.from_state, step.to_state, step.at, step.actor, step.reason
        )
        queries.insert_transitions(self.conn, [transition])
        detail = {
            "list": entry.list_code,
            "subject": entry.subject_code,
            "from": step.from_state,
            "to": step.to_state,
            "reason": step.reason,
            "basis": [list(r) for r in entry.basis.records],
            "policy_version": entry.policy_version,
        }
        target = f"list_entry:{entry.id}"
        self.audit.append(AuditDraft(self.actor, f"list.{step.to_state}", target, detail))
        return entry

    def update(self, entry: Entry, why: str) -> Entry:
        """Store a change that is not a step of the procedure (a recounted deadline)."""
        queries.update_entry(self.conn, row_of(entry, self.jurisdiction, self.now))
        detail = {"list": entry.list_code, "subject": entry.subject_code, "reason": why,
                  "objection_until": str(entry.objection_until),
                  "provisional": entry.deadline_provisional}  # fmt: skip
        self.audit.append(AuditDraft(self.actor, "list.updated", f"list_entry:{entry.id}", detail))
        return entry

    def flush(self) -> None:
        append_events(self.conn, self.audit, self.now)
        self.audit = []


@dataclass
class _Run:
    """One run: the pack, its calendar, the writer and what was done."""

    loaded: LoadedPack
    calendar: WorkCalendar
    writer: _Writer
    summary: RunSummary

    @property
    def now(self) -> datetime:
        return self.writer.now

    @property
    def actor(self) -> str:
        return self.writer.actor

    def lists(self) -> dict[str, CreditList]:
        return {entry.code: entry for entry in self.loaded.pack.lists}

    def save(self, entry: Entry, step: Transition) -> Entry:
        return self.writer.save(entry, step)


def run_lists(
    store: Store,
    loaded: LoadedPack,
    now: datetime,
    *,
    actor: str = ACTOR,
    progress: Callable[[str], None] | None = None,
) -> RunSummary:
    """Run the listing procedure once, at ``now``, for the node's jurisdiction."""
    with UnitOfWork(store) as uow:
        summary = derive_lists(uow.connection, loaded, now, actor=actor, progress=progress)
        uow.commit()
    return summary


def derive_lists(
    conn: Connection,
    loaded: LoadedPack,
    now: datetime,
    *,
    actor: str = ACTOR,
    progress: Callable[[str], None] | None = None,
    subjects: Collection[str] | None = None,
) -> RunSummary:
    """The procedure inside the caller's transaction, for every subject or only ``subjects``.

    A rights decision (an objection upheld or not, a repair) re-derives the
    one file it changed in its own transaction, so the decision and what it
    does to the lists land together.
    """
    writer = _Writer(conn, loaded.pack.meta.code, now, actor)
    run = _Run(loaded, calendar_of(loaded.pack), writer, RunSummary(china_date(now)))
    rows = queries.open_entries(conn, writer.jurisdiction, subjects=subjects)
    entries = _end_broken_bases(run, [entry_of(row) for row in rows])
    entries = _expire(run, entries)
    entries = _list_due(run, entries)
    _propose(run, {(e.list_code, e.subject_code) for e in entries}, progress, subjects)
    writer.flush()
    return run.summary


def _end_broken_bases(run: _Run, entries: list[Entry]) -> list[Entry]:
    cited = {record_id for e in entries for record_id, _v in e.basis.records}
    current = queries.current_versions(run.writer.conn, cited)
    kept: list[Entry] = []
    for entry in entries:
        why = _broken(entry.basis, current)
        if why is None:
            kept.append(entry)
            continue
        removal, detail = why
        run.save(*model.remove(entry, removal, run.now, run.actor, detail))
        run.summary.removed[(entry.list_code, removal)] += 1
    return kept


def _broken(basis: Basis, current: dict[str, queries.CurrentVersion]) -> tuple[Removal, str] | None:
    """Why a basis no longer stands: a cited record was corrected since, or left standing.

    A change of status alone (under objection, and back after the objection
    was decided) makes a new version but leaves the basis standing.
    """
    for record_id, version in basis.records:
        now = current.get(record_id)
        if now is None:
            return Removal.BASIS_REVOKED, f"record {record_id} is gone"
        if now.corrected is not None and now.corrected >= version:
            return (
                Removal.BASIS_REVOKED,
                f"record {record_id} was corrected (version {now.version})",
            )
        if now.status in ("active", "under_objection", "expired"):
            continue
        return _ENDING.get(now.status, Removal.BASIS_REVOKED), f"record {record_id} is {now.status}"
    return None


def _expire(run: _Run, entries: list[Entry]) -> list[Entry]:
    today = china_date(run.now)
    kept: list[Entry] = []
    for entry in entries:
        if model.expired(entry, today):
            assert entry.expires_on is not None
            detail = f"the listing period ended on {entry.expires_on.isoformat()}"
            run.save(*model.remove(entry, Removal.EXPIRED, run.now, run.actor, detail))
            run.summary.removed[(entry.list_code, Removal.EXPIRED)] += 1
        else:
            kept.append(entry)
    return kept


def _list_due(run: _Run, entries: list[Entry]) -> list[Entry]:
    today = china_date(run.now)
    lists = run.lists()
    out: list[Entry] = []
    for entry in entries:
        rule = lists.get(entry.list_code)
        if entry.state is not State.NOTIFIED or rule is None:
            out.append(entry)
            continue
        recounted = model.recount(entry, rule.objection_working_days, run.calendar)
        if recounted != entry:
            entry = run.writer.update(recounted, "the objection deadline was recounted")
        hold = model.listing_hold(entry, run.calendar, today)
        if hold is None:
            entry = run.save(
                *model.list_entry(entry, rule.period_months, run.calendar, run.now, run.actor)
            )
            run.summary.listed[entry.list_code] += 1
        elif not hold.waiting:
            run.summary.held[(entry.list_code, hold.reason)] += 1
        out.append(entry)
    return out


def _propose(
    run: _Run,
    open_keys: set[tuple[str, str]],
    progress: Callable[[str], None] | None,
    subjects: Collection[str] | None,
) -> None:
    today = china_date(run.now)
    spent = queries.ended_bases(
        run.writer.conn, run.writer.jurisdiction, (Removal.EXPIRED, Removal.DECISION)
    )
    for credit_list in run.lists().values():
        if not credit_list.in_force(today):
            continue
        if progress is not None:
            progress(credit_list.code)
        for subject_code, kind, facts in _by_subject(
            queries.facts(run.writer.conn, credit_list.rule.items, subjects=subjects)
        ):
            if (credit_list.code, subject_code) in open_keys:
                continue
            basis = qualifies(credit_list, kind, facts, today, spent.get(credit_list.code, ()))
            if basis is None:
                continue
            entry = run.save(
                *model.propose(basis, subject_code, run.loaded.version, run.now, run.actor)
            )
            entry, step = model.notify(
                entry, credit_list.objection_working_days, run.calendar, run.now, run.actor
            )
            entry = run.save(entry, step)
            assert entry.id is not None
            assert entry.objection_until is not None
            zh, en = notice_texts(credit_list, entry)
            queries.insert_notice(
                run.writer.conn, queries.NoticeRow(entry.id, run.now, entry.objection_until, zh, en)
            )
            run.summary.proposed[credit_list.code] += 1


def _by_subject(rows: Iterable[queries.FactRow]) -> Iterable[tuple[str, str, list[RecordFact]]]:
    """Fact rows (ordered by subject) grouped into one list per subject."""
    grouped: dict[str, list[RecordFact]] = defaultdict(list)
    kinds: dict[str, str] = {}
    current: str | None = None
    for row in rows:
        if current is not None and row.subject_code != current:
            yield current, kinds.pop(current), grouped.pop(current)
        current = row.subject_code
        kinds[current] = row.subject_kind
        grouped[current].append(
            RecordFact(
                row.record_id,
                row.version,
                row.catalog_item,
                row.department,
                row.decided_on,
                row.severity,
                row.payload,
                row.status,
                row.provisional_link,
                row.document_number,
            )
        )
    if current is not None:
        yield current, kinds.pop(current), grouped.pop(current)


def remove_by_decision(
    store: Store, entry_id: int, reason: str, now: datetime, *, actor: str
) -> Entry:
    """End an open entry by an operator's decision (an objection upheld, a court order …)."""
    with UnitOfWork(store) as uow:
        removed = remove_in(uow.connection, entry_id, reason, now, actor=actor)
        uow.commit()
    return removed


def remove_in(conn: Connection, entry_id: int, reason: str, now: datetime, *, actor: str) -> Entry:
    """:func:`remove_by_decision` inside the caller's transaction (a rights decision's)."""
    if not reason.strip():
        raise RemovalReasonError()
    row = queries.get_entry(conn, entry_id)
    if row is None:
        raise EntryNotFoundError(entry=entry_id)
    entry = entry_of(row)
    try:
        removed, step = model.remove(entry, Removal.DECISION, now, actor, reason.strip())
    except model.ProcedureError as err:
        raise EntryStepRefusedError(entry=entry_id, reason=str(err)) from None
    writer = _Writer(conn, row.jurisdiction, now, actor)
    removed = writer.save(removed, step)
    writer.flush()
    return removed


def mark_objection(
    conn: Connection, entry_ids: Iterable[int], open_: bool, now: datetime, *, actor: str, why: str
) -> list[Entry]:
    """Mark open entries as under objection (``open_``) or no longer; each change audited.

    While marked, a notified entry is not listed (:func:`model.listing_hold`)
    and checks say the entry is under objection. Removed entries are skipped.
    """
    changed: list[Entry] = []
    writers: dict[str, _Writer] = {}
    for entry_id in sorted(set(entry_ids)):
        row = queries.get_entry(conn, entry_id)
        if row is None or row.state == State.REMOVED or row.objection_open == open_:
            continue
        writer = writers.setdefault(row.jurisdiction, _Writer(conn, row.jurisdiction, now, actor))
        changed.append(writer.update(model.set_objection(entry_of(row), open_), why))
    for writer in writers.values():
        writer.flush()
    return changed
