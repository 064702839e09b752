"""Applying one batch: checked rows become records, subjects and rejected rows, in one unit of work.

Owns what happens to each row once the pack's checks are done: the
registry's verdict (is the subject known?), duplicates within the file and
against the store, corrections and revocations (new versions, history kept),
registration rows creating subjects, and the rejected rows with their
quarantine copies. The whole batch, and its audit entry, is one transaction
(see :mod:`xinyong.ingest.service`); chunks of rows share bulk queries.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from typing import Any, NamedTuple

from xinyong.audit.service import append_event
from xinyong.clock import china_date
from xinyong.ingest.errors import DuplicateInFileError, RevokeUnknownError
from xinyong.ingest.model import Action, BatchReport, Outcome, Registration, RowProblem, ValidRecord
from xinyong.ingest.parallel import checked_chunks
from xinyong.ingest.rows import Row
from xinyong.ingest.validate import KnownSubject, Validator
from xinyong.policy.loader import LoadedPack
from xinyong.store.engine import Store
from xinyong.store.queries import batches, ingest, records, reference
from xinyong.store.queries.encoded import Encoded, Encoder
from xinyong.store.uow import UnitOfWork

Progress = Callable[[int], None]
CHUNK_ROWS = 2000
"""Rows validated and written per round of bulk queries."""


class Refused(NamedTuple):
    """A row the pack's checks refused, or that could not be read as a record.

    ``subject`` is still looked up in the registry (every problem of a row is
    reported); ``original`` is its quarantine copy.
    """

    number: int
    problems: tuple[RowProblem, ...]
    subject: str | None
    decided: date | None
    original: dict[str, Any]


class Prepared(NamedTuple):
    """A row that passed the pack's checks, with what applying it needs and nothing more.

    Made where the row was checked (a worker process, maybe), and a plain
    tuple that crosses the pipe as one (:func:`to_wire`): unpickling a chunk
    of these costs a tenth of what the record's dataclasses cost.
    ``record`` and ``registers`` are already in the store's bulk form;
    ``item`` is the row as read, from which the applying process re-derives
    the full record (a correction) or the quarantine copy (a rejection) in the
    rare cases that need them.
    """

    number: int
    item: Any  # read with item_of
    subject: str | None  # to look up in the registry (None: the row registers its subject)
    decided: date
    document_number: str
    content_hash: str
    revoke: bool
    record: Encoded | None  # as inserted if it is new (None for a revocation)
    registers: tuple[str, str, date | None, Encoded] | None  # code, kind, established, row


Checked = Prepared | Refused


def to_wire(rows: list[Checked]) -> list[tuple[Any, ...]]:
    """Checked rows as plain tuples, which pickle several times faster than named ones.

    A prepared row's ``item`` travels pickled on its own (one bytes object, not
    a score of cells): it is rarely needed, and then unpickled (:func:`item_of`).
    """
    return [
        (True, row[0], pickle.dumps(row[1], pickle.HIGHEST_PROTOCOL), *row[2:])
        if isinstance(row, Prepared)
        else (False, *row)
        for row in rows
    ]


def from_wire(rows: list[tuple[Any, ...]]) -> list[Checked]:
    return [Prepared._make(row[1:]) if row[0] else Refused._make(row[1:]) for row in rows]


def item_of(row: Prepared) -> Any:
    """The row as read (pickled if it came from a worker: see :func:`to_wire`)."""
    return pickle.loads(row.item) if isinstance(row.item, bytes) else row.item


class Applier:
    """The state of one batch being applied: caches, in-file duplicates, the report.

    :meth:`check` is the part that needs only the pack (it may run in a
    worker process); :meth:`chunk` applies checked rows in the batch's unit of work.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        pack: LoadedPack,
        new: batches.NewBatch,
        batch_id: int,
        now: datetime,
        reader: tuple[Callable[[Any], Row], Callable[[Any], dict[str, Any]]],
    ) -> None:
        self.conn = uow.connection
        self.new = new
        self.batch_id = batch_id
        self.now = now
        self.to_row, self.describe = reader
        allowlist = reference.allowlist_reasons(self.conn)
        self.validator = Validator(pack.pack, new.department, new.jurisdiction,
                                   china_date(now), allowlist)  # fmt: skip
        self.encoder = Encoder(self.conn.dialect)
        # A department's first batch (an initial load) has nothing stored to be a
        # duplicate of: its rows are only compared with each other (``seen``).
        self.stored = ingest.has_current_records(self.conn, new.jurisdiction, new.department)
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

    def check(self, item: Any) -> Checked:
        """Map one row as read and run the pack's checks (picklable: may run in a worker)."""
        row = self.to_row(item)
        if row.raw is None or row.problems:
            return Refused(row.number, row.problems, None, None, self.describe(row.source))
        checked = self.validator.check(row.raw)
        valid = checked.record
        if valid is None or checked.decided is None:
            original = self.describe(row.source)
            return Refused(row.number, checked.problems, checked.subject, checked.decided, original)
        revoke = valid.action is Action.REVOKE
        registers = None
        if valid.registration is not None:
            subject_row = {**_subject_values(valid), "created_at": self.now, "updated_at": self.now}
            encoded = self.encoder.subject(subject_row)
            registers = (valid.subject_code, valid.subject_kind, valid.established_on, encoded)
        return Prepared(
            number=row.number,
            item=item,
            subject=checked.subject,
            decided=checked.decided,
            document_number=valid.document_number,
            content_hash=valid.content_hash,
            revoke=revoke,
            record=None if revoke else self.encoder.record(self._values(valid, row.number)),
            registers=registers,
        )

    def chunk(self, rows: list[Checked]) -> None:
        """Apply checked rows: the registry's verdict, then the outcome of each, in bulk."""
        codes = {r.subject for r in rows if r.subject is not None}
        missing = codes - self.subjects.keys()
        for code, (kind, established) in ingest.subject_facts(self.conn, missing).items():
            self.subjects[code] = KnownSubject(kind, established)
        existing: Mapping[str, tuple[str, str, str]] = {}
        if self.stored:
            numbers = [r.document_number for r in rows if isinstance(r, Prepared)]
            existing = ingest.current_by_document(
                self.conn, self.new.jurisdiction, self.new.department, numbers
            )
        inserts: list[Encoded] = []
        registrations: dict[str, Encoded] = {}
        rejected: list[batches.RejectedRow] = []
        changes: list[tuple[Prepared, str]] = []
        for row in rows:
            problems = list(row.problems) if isinstance(row, Refused) else []
            if row.subject is not None:
                problems += self.validator.registry_problems(
                    row.subject, row.decided, self.subjects.get
                )
            if isinstance(row, Prepared) and not problems:
                problems, outcome = self._decide(row, existing)
                if outcome is Outcome.ACCEPTED:
                    assert row.record is not None  # only revocations come without one
                    inserts.append(row.record)
                elif outcome in (Outcome.CORRECTION, Outcome.REVOCATION):
                    changes.append((row, existing[row.document_number][0]))
                if outcome in (Outcome.ACCEPTED, Outcome.CORRECTION) and row.registers:
                    code, kind, established, subject_row = row.registers
                    registrations[code] = subject_row
                    self.subjects[code] = KnownSubject(kind, established)
                if not problems:
                    self.report.count(outcome)
                    continue
            self.report.count(Outcome.REJECTED, [problems[0].code])
            original = self._original(row)
            rejected.extend(
                batches.RejectedRow(row.number, _field(p.field), p.code, p.message, original)
                for p in problems
            )
        ingest.upsert_encoded_subjects(self.conn, list(registrations.values()))
        ingest.insert_encoded_records(self.conn, inserts)
        for prepared, record_id in changes:
            self._change(prepared, record_id)
        batches.add_rejected_rows(self.conn, self.batch_id, rejected)

    def _original(self, row: Checked) -> dict[str, Any]:
        if isinstance(row, Refused):
            return row.original
        return self.describe(self.to_row(item_of(row)).source)

    def _decide(
        self, row: Prepared, existing: Mapping[str, tuple[str, str, str]]
    ) -> tuple[list[RowProblem], Outcome]:
        key = row.document_number
        first = self.seen.get(key)
        if first is not None:
            if first[0] == row.content_hash and not row.revoke:
                return [], Outcome.DUPLICATE
            duplicate = DuplicateInFileError(number=key, first=first[1])
            return [RowProblem("document_number", duplicate.code, duplicate.render())], (
                Outcome.REJECTED
            )
        self.seen[key] = (row.content_hash, row.number)
        stored = existing.get(key)
        if row.revoke:
            if stored is None:
                error = RevokeUnknownError(number=key)
                return [RowProblem("document_number", error.code, error.render())], Outcome.REJECTED
            return [], Outcome.DUPLICATE if stored[2] == "revoked" else Outcome.REVOCATION
        if stored is None:
            return [], Outcome.ACCEPTED
        return [], Outcome.DUPLICATE if stored[1] == row.content_hash else Outcome.CORRECTION

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

    def _change(self, row: Prepared, record_id: str) -> None:
        reason = f"batch {self.batch_id} row {row.number}"
        if row.revoke:
            records.revoke(self.conn, record_id, f"revoked by {reason}", self.now)
            return
        # The full record, derived again from the row as read: same pack, same day, same verdict.
        raw = self.to_row(item_of(row)).raw
        assert raw is not None
        valid = self.validator.check(raw).record
        assert valid is not None
        values = self._values(valid, row.number)
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


class Source(NamedTuple):
    """Where a batch's rows come from and how to read them."""

    items: Callable[[], Iterator[Any]]  # the rows as read (cheap: each worker iterates them all)
    to_row: Callable[[Any], Row]  # one of them mapped to a record
    describe: Callable[[Any], dict[str, Any]]  # a row's source as its quarantine copy
    workers: int  # processes to check in (0: this one)


def apply_batch(
    store: Store,
    pack: LoadedPack,
    new: batches.NewBatch,
    source: Source,
    now: datetime,
    progress: Progress | None,
    actor: str,
) -> BatchReport:
    with UnitOfWork(store) as uow:
        batch_id = batches.create_batch(uow.connection, new, now)
        applier = Applier(uow, pack, new, batch_id, now, (source.to_row, source.describe))
        chunks = checked_chunks(
            source.items,
            applier.check,
            size=CHUNK_ROWS,
            workers=source.workers,
            wire=(to_wire, from_wire),
        )
        for chunk in chunks:
            applier.chunk(chunk)
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
