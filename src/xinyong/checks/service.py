"""Use cases of checks: answer a department's check, log it, take its feedback.

A :class:`Checker` holds the node's :class:`~xinyong.checks.index.CheckIndex`
of listed entries, built once at start and refreshed from the store's list
transitions (:meth:`Checker.refresh`, every ``check_refresh_seconds`` in the
API). A refresh builds a new index aside and swaps one reference, so a check
sees the index before or after a refresh, never half of one.

Transition ids come from a sequence: on PostgreSQL a transaction can commit
a lower id after a higher one was read. Ids skipped over are remembered as
gaps and asked for again on each refresh for ``GAP_SECONDS``, so a change
committed late is still seen; a rollback's id is simply forgotten then.

Checks are logged (``check_event``: who asked, for what matter, the answer and
its basis) through a buffer that :meth:`Checker.flush` writes in one insert;
the API flushes with every refresh and on shutdown, so a check's log row is
stored within one refresh interval. The log is the query history a subject
can see; no check writes the audit chain (that would serialise every check).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from xinyong.checks.errors import (
    CheckNotFoundError,
    CheckScopeError,
    FeedbackReasonError,
    TooManySubjectsError,
    UnknownMatterError,
)
from xinyong.checks.index import CheckIndex, IndexRow
from xinyong.checks.model import AppliedMeasure, Decision, MeasureTable, decide, marked
from xinyong.clock import china_date
from xinyong.codes import parse_code
from xinyong.keys.errors import RoleForbiddenError
from xinyong.keys.model import Principal, Role
from xinyong.policy.loader import LoadedPack
from xinyong.store.engine import Store
from xinyong.store.queries import checks as queries
from xinyong.store.queries import reference
from xinyong.store.queries.objections import entries_under_objection
from xinyong.store.uow import UnitOfWork

GAP_SECONDS = 600.0
"""How long a skipped transition id is waited for (longer than any lists run's transaction)."""
COMPACT_AT = 50_000
"""Overlay entries beyond which a refresh folds the overlay into a new base."""


@dataclass(frozen=True)
class CheckResult:
    """One answered check: its id (for feedback), the subject, the matter and the decision."""

    check_id: str
    subject_code: str
    matter: str
    decision: Decision
    at: datetime


def index_rows(sources: Iterable[queries.EntrySource]) -> Iterator[IndexRow]:
    """The index rows of listed entries: the subject, and a legal person's representative."""
    for source in sources:
        if source.state != "listed":
            continue
        until = None if source.expires_on is None else source.expires_on - timedelta(days=1)
        yield (source.entry_id, source.subject_code, source.list_code, until, None)
        if source.subject_kind == "legal" and source.legal_rep_code:
            yield (source.entry_id, source.legal_rep_code, source.list_code, until,
                   source.subject_code)  # fmt: skip


class Checker:
    """The node's check service: an index in memory, a measure table, a buffered log."""

    def __init__(self, store: Store, loaded: LoadedPack, *, only: str | None = None) -> None:
        """Build the index; with ``only`` (a valid code), of the entries reaching that code alone."""
        self.store = store
        self.loaded = loaded
        self.table = MeasureTable.compile(loaded.pack)
        # Checks never wait on a refresh (a compaction can take seconds) nor on a flush's
        # write: they only append to the buffer, under a lock held for a list swap.
        self._refreshing = threading.Lock()
        self._flushing = threading.Lock()
        self._buffer = threading.Lock()
        self._pending: list[queries.CheckRow] = []
        self._gaps: dict[int, float] = {}  # transition id → when first missed
        with UnitOfWork(store, read_only=True) as uow:
            conn = uow.connection
            self._last = queries.last_change(conn)
            sources = queries.listed_rows(conn, loaded.pack.meta.code, reaching=only)
            self.index = CheckIndex.build(index_rows(sources))
            self.disputed = entries_under_objection(conn, loaded.pack.meta.code)
            self._allowlist = {e.code: e.reason for e in reference.allowlist(conn)}

    def refresh(self) -> int:
        """Apply the list changes committed since the last refresh, and the objection marks.

        Returns how many entries changed: in the index, or in being marked under objection.
        """
        with self._refreshing:
            with UnitOfWork(self.store, read_only=True) as uow:
                changes = queries.changes_after(uow.connection, self._last, self._gaps)
                entry_ids = {entry for _t, entry in changes}
                sources = queries.entry_sources(uow.connection, entry_ids) if entry_ids else []
                # Objections mark entries without a transition: the marked set is read whole
                # (a partial index holds only the few entries under objection).
                disputed = entries_under_objection(uow.connection, self.loaded.pack.meta.code)
            self._track_gaps([t for t, _e in changes])
            if entry_ids:
                index = self.index.refreshed(index_rows(sources), entry_ids)
                self.index = index.compacted() if index.overlay_size > COMPACT_AT else index
            marks = len(disputed ^ self.disputed)
            self.disputed = disputed
        self.flush()
        return len(entry_ids) + marks

    def _track_gaps(self, seen: Sequence[int]) -> None:
        now = time.monotonic()
        for transition in seen:
            self._gaps.pop(transition, None)
        newest = max(seen, default=self._last)
        for missing in set(range(self._last + 1, newest + 1)) - set(seen):
            self._gaps[missing] = now
        self._last = max(self._last, newest)
        self._gaps = {t: at for t, at in self._gaps.items() if now - at < GAP_SECONDS}

    def check(self, principal: Principal, code: str, matter: str, now: datetime) -> CheckResult:
        """Which measures apply to ``code`` for ``matter`` now; logged under a new check id."""
        (result,) = self.check_many(principal, [code], matter, now)
        return result

    def check_many(
        self, principal: Principal, codes: Sequence[str], matter: str, now: datetime,
        *, limit: int = 10_000,
    ) -> list[CheckResult]:  # fmt: skip
        """One result per code, in order; any code that does not validate refuses the call."""
        _allowed(principal)
        if len(codes) > limit:
            raise TooManySubjectsError(count=len(codes), limit=limit)
        if matter not in self.table.matters:
            raise UnknownMatterError(matter=matter, known=", ".join(sorted(self.table.matters)))
        today = china_date(now)
        valid = [parse_code(code, allowlist=self._allowlist, today=today).value for code in codes]
        index, disputed = self.index, self.disputed  # one snapshot for the whole call
        results = []
        for code in valid:  # the matter is known (above), so decide cannot refuse it
            decision = marked(
                decide(self.table, index.lookup(code, today), matter, today), disputed
            )
            results.append(CheckResult(_check_id(), code, matter, decision, now))
        self._log(principal, results)
        return results

    def _log(self, principal: Principal, results: Iterable[CheckResult]) -> None:
        version = self.loaded.version
        rows = [
            queries.CheckRow(
                r.check_id,
                r.at,
                principal.actor,
                principal.department,
                r.subject_code,
                r.matter,
                r.decision.outcome,
                [_measure_json(m) for m in r.decision.measures],
                version,
            )
            for r in results
        ]
        with self._buffer:
            self._pending.extend(rows)

    def flush(self) -> int:
        """Store the buffered check log now; how many checks it wrote."""
        with self._flushing:
            with self._buffer:
                rows, self._pending = self._pending, []
            if not rows:
                return 0
            try:
                with UnitOfWork(self.store) as uow:
                    queries.insert_checks(uow.connection, rows)
                    uow.commit()
            except BaseException:
                with self._buffer:  # kept for the next flush: nothing lost
                    self._pending = rows + self._pending
                raise
            return len(rows)

    def feedback(
        self, principal: Principal, check_id: str, applied: bool, reason: str, now: datetime
    ) -> queries.FeedbackRow:
        """Record whether the checking department applied the measures, and why."""
        _allowed(principal)
        if not reason.strip():
            raise FeedbackReasonError()
        self.flush()  # the check may still be in the buffer
        with UnitOfWork(self.store) as uow:
            found = queries.get_check(uow.connection, check_id)
            if found is None:
                raise CheckNotFoundError(check=check_id)
            if principal.role is not Role.OPERATOR and found.actor != principal.actor:
                raise CheckScopeError(check=check_id)
            row = queries.FeedbackRow(check_id, applied, reason.strip(), now, principal.actor)
            queries.insert_feedback(uow.connection, row)
            uow.commit()
        return row


CHECKING_ROLES = frozenset({Role.OPERATOR, Role.CHECKER})


def _allowed(principal: Principal) -> None:
    if principal.role not in CHECKING_ROLES:
        raise RoleForbiddenError(role=principal.role.value, allowed="operator, checker")


def _check_id() -> str:
    return os.urandom(16).hex()


def _measure_json(measure: AppliedMeasure) -> dict[str, object]:
    values: dict[str, object] = asdict(measure)
    values["until"] = None if measure.until is None else measure.until.isoformat()
    return values


def check_once(
    store: Store,
    loaded: LoadedPack,
    principal: Principal,
    code: str,
    matter: str,
    now: datetime,
) -> CheckResult:
    """One check without a resident index (the CLI): only the entries reaching that code are read."""
    with UnitOfWork(store, read_only=True) as uow:
        allowlist = {e.code: e.reason for e in reference.allowlist(uow.connection)}
    value = parse_code(code, allowlist=allowlist, today=china_date(now)).value
    checker = Checker(store, loaded, only=value)
    result = checker.check(principal, value, matter, now)
    checker.flush()
    return result


def subject_checks(
    store: Store, code: str, *, limit: int, offset: int = 0
) -> tuple[str, list[queries.CheckRow], int]:
    """The subject's code, the checks made on it, newest first (its query history), how many."""
    with UnitOfWork(store, read_only=True) as uow:
        allowlist = {e.code: e.reason for e in reference.allowlist(uow.connection)}
        value = parse_code(code, allowlist=allowlist).value
        rows, total = queries.checks_of_subject(uow.connection, value, limit=limit, offset=offset)
    return value, rows, total
