"""Applying one batch: checked rows become records, subjects and rejected rows, in one unit of work.

Owns what happens to each row once the pack's checks are done: the
registry's verdict (is the subject known?), duplicates within the file and
against the store, corrections and revocations (new versions, history kept),
registration rows creating subjects, and the rejected rows with their
quarantine copies. The whole batch, and its audit entry, is one transaction
(see :mod:`xinyong.ingest.service`); chunks of rows share bulk queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any

from xinyong.audit.service import append_event
from xinyong.clock import china_date
from xinyong.ingest.errors import DuplicateInFileError, RevokeUnknownError
from xinyong.ingest.model import Action, BatchReport, Outcome, Registration, RowProblem, ValidRecord
from xinyong.ingest.parallel import checked_chunks
from xinyong.ingest.rows import CheckedRow, Row
from xinyong.ingest.validate import KnownSubject, Validator
from xinyong.policy.loader import LoadedPack
from xinyong.store.engine import Store
from xinyong.store.queries import batches, ingest, records, reference
from xinyong.store.uow import UnitOfWork

Progress = Callable[[int], None]
CHUNK_ROWS = 2000
"""Rows validated and written per round of bulk queries."""


class Applier:
    """The state of one batch being applied: caches, in-file duplicates, the report."""

    def __init__(self, uow: UnitOfWork, pack: LoadedPack, new: batches.NewBatch,
                 batch_id: int, now: datetime) -> None:  # fmt: skip
        self.conn = uow.connection
        self.new = new
        self.batch_id = batch_id
        self.now = now
        allowlist = reference.allowlist_reasons(self.conn)
        self.validator = Validator(pack.pack, new.department, new.jurisdiction,
                                   china_date(now), allowlist)  # fmt: skip
        self.subjects: dict[str, KnownSubject] = {}
        self.seen: dict[str, tuple[str, int]] = {}  # document number → (hash, first row)
        self.report = BatchReport(
            batch_id=batch_id,
            filename=new.filename,
            department=new.department,
            sha256=new.sha256,
            format=new.format,
            encoding=new.encoding,
            mapping=new.mapping,
        )

    def check(self, row: Row) -> CheckedRow:
        """The pack's checks of one row (picklable: may run in a worker process)."""
        checked = None
        if row.raw is not None and not row.problems:
            checked = self.validator.check(row.raw)
        return CheckedRow(row.number, checked, row.problems, row.source)

    def chunk(self, rows: list[CheckedRow], describe: Callable[[Any], dict[str, Any]]) -> None:
        # Only rows that passed the pack's checks reach the registry or the store.
        checked = [r.checked for r in rows if r.checked is not None]
        codes = {c.subject for c in checked if c.subject is not None}
        missing = codes - self.subjects.keys()
        for code, (kind, established) in ingest.subject_facts(self.conn, missing).items():
            self.subjects[code] = KnownSubject(kind, established)
        numbers = [c.record.document_number for c in checked if c.record is not None]
        existing = ingest.current_by_document(
            self.conn, self.new.jurisdiction, self.new.department, numbers
        )
        inserts: list[dict[str, Any]] = []
        registrations: dict[str, dict[str, Any]] = {}
        rejected: list[batches.RejectedRow] = []
        changes: list[tuple[ValidRecord, int, str]] = []
        for row in rows:
            if row.checked is not None:
                valid, problems = self.validator.finish(row.checked, self.subjects.get)
            else:
                valid, problems = None, list(row.problems)
            if valid is not None:
                problems, outcome = self._decide(valid, row.number, existing, problems)
                if outcome is Outcome.ACCEPTED:
                    inserts.append(self._values(valid, row.number))
                elif outcome in (Outcome.CORRECTION, Outcome.REVOCATION):
                    changes.append((valid, row.number, existing[valid.document_number][0]))
                if outcome in (Outcome.ACCEPTED, Outcome.CORRECTION) and valid.registration:
                    registrations[valid.subject_code] = _subject_values(valid)
                    self.subjects[valid.subject_code] = KnownSubject(
                        valid.subject_kind, valid.established_on
                    )
                if not problems:
                    self.report.count(outcome)
                    continue
            self.report.count(Outcome.REJECTED, [problems[0].code])
            original = describe(row.source)
            rejected.extend(
                batches.RejectedRow(row.number, _field(p.field), p.code, p.message, original)
                for p in problems
            )
        ingest.upsert_subjects(self.conn, list(registrations.values()), self.now)
        ingest.insert_records(self.conn, inserts)
        for valid, number, record_id in changes:
            self._change(valid, number, record_id)
        batches.add_rejected_rows(self.conn, self.batch_id, rejected)

    def _decide(
        self,
        valid: ValidRecord,
        number: int,
        existing: Mapping[str, tuple[str, str, str]],
        problems: list[RowProblem],
    ) -> tuple[list[RowProblem], Outcome]:
        key = valid.document_number
        first = self.seen.get(key)
        if first is not None:
            if first[0] == valid.content_hash and valid.action is Action.REPORT:
                return problems, Outcome.DUPLICATE
            duplicate = DuplicateInFileError(number=key, first=first[1])
            return [RowProblem("document_number", duplicate.code, duplicate.render())], (
                Outcome.REJECTED
            )
        self.seen[key] = (valid.content_hash, number)
        stored = existing.get(key)
        if valid.action is Action.REVOKE:
            if stored is None:
                error = RevokeUnknownError(number=key)
                return [RowProblem("document_number", error.code, error.render())], Outcome.REJECTED
            return problems, Outcome.DUPLICATE if stored[2] == "revoked" else Outcome.REVOCATION
        if stored is None:
            return problems, Outcome.ACCEPTED
        return problems, Outcome.DUPLICATE if stored[
            1
        ] == valid.content_hash else Outcome.CORRECTION

    def _values(self, valid: ValidRecord, number: int) -> dict[str, Any]:
        return {
            "record_id": records.new_record_id(),
            "version": 1,
            "subject_code": valid.subject_code,
            "catalog_item": valid.catalog_item,
            "department": self.new.department,
            "jurisdiction": self.new.jurisdiction,
            "document_number": valid.document_number,
            "decided_on": valid.decided_on,
            "occurred_on": valid.occurred_on,
            "severity": valid.severity,
            "polarity": valid.polarity,
            "payload": valid.payload,
            "disclosure_scope": valid.disclosure_scope,
            "disclosure_until": valid.disclosure_until,
            "status": "active",
            "batch_id": self.batch_id,
            "row_number": number,
            "content_hash": valid.content_hash,
            "is_current": True,
            "valid_from": self.now,
            "superseded_at": None,
            "change_reason": None,
        }

    def _change(self, valid: ValidRecord, number: int, record_id: str) -> None:
        reason = f"batch {self.batch_id} row {number}"
        if valid.action is Action.REVOKE:
            records.revoke(self.conn, record_id, f"revoked by {reason}", self.now)
            return
        values = self._values(valid, number)
        changes = {k: values[k] for k in records.RECORD_FIELDS if k != "status"}
        records.correct(self.conn, record_id, changes, f"corrected by {reason}", self.now)


FIELD_MAX = 200  # rejected_row.field


def _field(name: str | None) -> str | None:
    """A field name that fits its column (a hostile payload key can be any length)."""
    return name if name is None or len(name) <= FIELD_MAX else name[: FIELD_MAX - 1] + "…"


def _subject_values(valid: ValidRecord) -> dict[str, Any]:
    registration = valid.registration or Registration()
    natural = valid.subject_kind == "natural"
    return {
        "code": valid.subject_code,
        "code_kind": "resident_id" if natural else "uscc",
        "subject_kind": valid.subject_kind,
        "type_code": valid.type_code,  # worked out with the checks (in a worker, maybe)
        "name": valid.subject_name,
        "region_code": valid.region_code,
        "legal_rep_code": None if natural else registration.legal_rep_code,
        "legal_rep_name": None if natural else registration.legal_rep_name,
        "established_on": valid.established_on,
        "status": registration.status,
        "converted_from": None,
    }


Source = tuple[Callable[[], Iterator[Row]], Callable[[Any], dict[str, Any]], int]
"""(rows, describe a row's source for the quarantine, worker processes to check with)."""


def apply_batch(
    store: Store,
    pack: LoadedPack,
    new: batches.NewBatch,
    source: Source,
    now: datetime,
    progress: Progress | None,
    actor: str,
) -> BatchReport:
    rows, describe, workers = source
    with UnitOfWork(store) as uow:
        batch_id = batches.create_batch(uow.connection, new, now)
        applier = Applier(uow, pack, new, batch_id, now)
        for chunk in checked_chunks(rows, applier.check, size=CHUNK_ROWS, workers=workers):
            applier.chunk(chunk, describe)
            if progress is not None:
                progress(applier.report.rows)
        report = applier.report
        batches.finish_batch(
            uow.connection,
            batch_id,
            batches.BatchCounts(
                rows=report.rows,
                accepted=report.accepted,
                rejected=report.rejected,
                duplicates=report.duplicates,
                corrections=report.corrections,
                revocations=report.revocations,
            ),
            "applied",
            now,
        )
        # Last in the unit of work: the audit lock is held until commit (see xinyong.audit).
        append_event(
            uow.connection,
            actor=actor,
            action="batch.apply",
            target=f"batch:{batch_id}",
            detail={
                "department": new.department,
                "file": new.filename,
                "sha256": new.sha256,
                "mapping": new.mapping,
                "rows": report.rows,
                "accepted": report.accepted,
                "duplicates": report.duplicates,
                "corrections": report.corrections,
                "revocations": report.revocations,
                "rejected": report.rejected,
            },
            now=now,
        )
        uow.commit()
    if progress is not None:
        progress(report.rows)
    return report
