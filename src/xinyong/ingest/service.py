"""Use cases of collection: ingest a department file, or records sent to the API.

One upload is one batch, applied in one unit of work: the batch row, its
records (new versions, corrections, revocations), the subjects its
registration rows create, its rejected rows and its audit entry are committed
together or not at all — a crash mid-batch leaves the store as it was, and
running the same upload again completes it. The same file (same SHA-256, same
department) applied twice changes nothing the second time.

Per record: valid and new → stored; the same record again (department +
document number, same content) → a duplicate; a changed record → a
correction (a new version, history kept); a revocation row → the record is
revoked; anything invalid → rejected, into the store's rejected rows and the
quarantine file, never dropped. No SQL here: :mod:`xinyong.store.queries`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from xinyong.audit.service import append_event
from xinyong.clock import china_date
from xinyong.config import Settings
from xinyong.errors import UserInputError
from xinyong.ingest.errors import (
    BatchNotFoundError,
    BatchScopeError,
    DuplicateInFileError,
    ItemsForbiddenError,
    MalformedLineError,
    PayloadUnknownFieldError,
    RevokeUnknownError,
    TextCharacterError,
    TooManyRecordsError,
    UnknownDepartmentError,
)
from xinyong.ingest.mapper import CompiledMapping, choose_mapping, recognises
from xinyong.ingest.model import (
    Action,
    BatchReport,
    Outcome,
    RawRecord,
    Registration,
    RowProblem,
    ValidRecord,
)
from xinyong.ingest.parallel import checked_chunks
from xinyong.ingest.quarantine import write_quarantine
from xinyong.ingest.readers import read_table
from xinyong.ingest.validate import Checked, KnownSubject, Validator
from xinyong.policy.loader import LoadedPack
from xinyong.policy.mapping import Mapping as DepartmentMapping
from xinyong.policy.service import node_pack
from xinyong.store.engine import Store, open_store
from xinyong.store.queries import batches, ingest, records, reference
from xinyong.store.uow import UnitOfWork

Progress = Callable[[int], None]
CHUNK_ROWS = 2000
"""Rows validated and written per round of bulk queries."""
_REGISTRATION_FIELDS = frozenset(f.name for f in dataclasses.fields(Registration))
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
"""Characters no store can hold: NUL (PostgreSQL text) and lone surrogates (not UTF-8)."""


@dataclass(frozen=True)
class Upload:
    """A file a department sends: its name, bytes, and how to read it."""

    filename: str
    data: bytes
    department: str
    mapping: str | None = None
    encoding: str = "auto"


@dataclass(frozen=True, slots=True)
class _Row:
    number: int
    raw: RawRecord | None
    problems: tuple[RowProblem, ...]
    # What the row's quarantine copy is made from (its cells, or its JSON object),
    # turned into one by the batch's ``describe`` for rejected rows only: most
    # rows are accepted and never need it.
    source: Any


@dataclass(frozen=True)
class _Checked:
    """A row after the checks that need only the pack (run here or in a worker)."""

    number: int
    checked: Checked | None
    problems: tuple[RowProblem, ...]
    source: Any


def ingest_file(
    store: Store,
    pack: LoadedPack,
    upload: Upload,
    now: datetime,
    *,
    quarantine_dir: Path | None = None,
    progress: Progress | None = None,
    actor: str = "cli",
    workers: int | None = None,
) -> BatchReport:
    """Read, validate and apply one department file as one batch (see the module docstring).

    File-level problems (empty, binary, undecodable, unknown layout …) raise a
    :class:`~xinyong.ingest.errors.FileError` before anything is written.
    ``progress`` is called with the number of rows done so far. ``workers``
    processes check rows beside the apply (:mod:`xinyong.ingest.parallel`);
    None chooses by the file's size and the CPUs, 0 checks in this process.
    """
    department = _department(store, pack, upload.department)
    digest = hashlib.sha256(upload.data).hexdigest()
    done = _already_applied(store, digest, department, upload.filename)
    if done is not None:
        return done
    mappings = pack.pack.mappings
    table = read_table(
        upload.filename,
        upload.data,
        lambda header: any(recognises(m, header) for m in mappings),
        encoding=_declared_encoding(mappings, department, upload),
    )
    if table.format == "jsonl":
        workers = 0
        assert table.objects is not None
        objects = table.objects
        rows: Callable[[], Iterator[_Row]] = lambda: _json_rows(objects)  # noqa: E731
        describe: Callable[[Any], dict[str, Any]] = dict
        mapping_code = None
    else:
        mapping = choose_mapping(
            mappings, table.header, department, file=upload.filename, name=upload.mapping
        )
        compiled = CompiledMapping(mapping, table.header, file=upload.filename)
        cells_of = table.rows
        rows = lambda: (  # noqa: E731
            _Row(number, compiled.record(cells), (), cells) for number, cells in cells_of
        )
        describe = compiled.raw
        mapping_code = mapping.code
        if workers is None:
            workers = _workers(table.format, len(upload.data))
    new = batches.NewBatch(
        department=department,
        jurisdiction=pack.pack.meta.code,
        filename=upload.filename,
        sha256=digest,
        format=table.format,
        encoding=table.encoding or "binary",
        mapping=mapping_code,
    )
    report = _apply(store, pack, new, (rows, describe, workers), now, progress, actor)
    return _finish(store, report, quarantine_dir)


def ingest_records(
    store: Store,
    pack: LoadedPack,
    department: str,
    items: Sequence[Mapping[str, Any]],
    now: datetime,
    *,
    limit: int,
    quarantine_dir: Path | None = None,
    actor: str = "api",
) -> BatchReport:
    """Records sent as JSON (``POST /api/v1/records``): one batch, same rules as a file."""
    if len(items) > limit:
        raise TooManyRecordsError(count=len(items), limit=limit)
    department = _department(store, pack, department)
    canonical = json.dumps(list(items), sort_keys=True, ensure_ascii=False, default=str)
    new = batches.NewBatch(
        department=department,
        jurisdiction=pack.pack.meta.code,
        filename="api",
        sha256=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        format="json",
        encoding="utf-8",
    )
    rows = (lambda: _json_rows(enumerate(items, start=1)), dict, 0)
    return _finish(store, _apply(store, pack, new, rows, now, None, actor), quarantine_dir)


PARALLEL_BYTES = 1 << 20
"""Files this large are checked in worker processes (smaller ones are done before they start)."""
MAX_WORKERS = 2
"""Beyond two, the applying process (inserts, one transaction) is the bottleneck."""


def _workers(fmt: str, size: int) -> int:
    """Worker processes to check a file with; 0: check in this process.

    XLSX gets one: each worker reads the whole file, and reading a sheet costs
    about as much as checking it (reading CSV is cheap next to checking).
    """
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if size < PARALLEL_BYTES or (cpus or 1) < 2:
        return 0
    return 1 if fmt == "xlsx" else min(cpus or 1, MAX_WORKERS)


def _declared_encoding(
    mappings: Sequence[DepartmentMapping], department: str, upload: Upload
) -> str:
    """The encoding to decode with: the upload's, else the one the department's mappings declare.

    Only the department's own mappings count (the national layouts are used by
    departments of every kind), and only when they agree; otherwise "auto".
    """
    if upload.encoding != "auto":
        return upload.encoding
    declared = {
        m.encoding
        for m in mappings
        if department in m.departments and upload.mapping in (None, m.code)
    } - {"auto"}
    return declared.pop() if len(declared) == 1 else "auto"


def _department(store: Store, pack: LoadedPack, department: str) -> str:
    known = {d.code for d in pack.pack.departments}
    with UnitOfWork(store, read_only=True) as uow:
        stored = {d.code for d in reference.departments_of(uow.connection, pack.pack.meta.code)}
    if department not in known or department not in stored:
        raise UnknownDepartmentError(
            department=department, known=", ".join(sorted(known & stored)) or "none (run init)"
        )
    return department


def _already_applied(
    store: Store, digest: str, department: str, filename: str
) -> BatchReport | None:
    with UnitOfWork(store, read_only=True) as uow:
        earlier = batches.batches_with_sha256(uow.connection, digest, department=department)
    applied = [b for b in earlier if b.status == "applied"]
    if not applied:
        return None
    first = applied[0]
    return BatchReport(
        batch_id=first.id,
        filename=filename,
        department=department,
        sha256=digest,
        format=first.format,
        encoding=first.encoding,
        mapping=first.mapping,
        already_applied=True,
    )


def _json_rows(objects: Iterable[tuple[int, Any]]) -> Iterator[_Row]:
    for number, value in objects:
        if not isinstance(value, Mapping):
            error = MalformedLineError(detail=str(value))
            problem = RowProblem(None, error.code, error.render())
            yield _Row(number, None, (problem,), {"line": _storable(_text(value))})
            continue
        original = {_storable(k): _storable(_text(v)) for k, v in value.items()}
        # JSON escapes (\u0000, \ud800) carry what the readers refuse in raw bytes;
        # stored, they crash PostgreSQL or the UTF-8 encoder mid-batch: refuse the row.
        bad = _unstorable(value)
        if bad is not None:
            text_error = TextCharacterError(field=bad[0], character=bad[1])
            problem = RowProblem(bad[0], text_error.code, text_error.render())
            yield _Row(number, None, (problem,), original)
            continue
        raw, problems = _json_record(value)
        yield _Row(number, raw, problems, original)


def _json_record(value: Mapping[str, Any]) -> tuple[RawRecord, tuple[RowProblem, ...]]:
    payload = value.get("payload")
    item = str(value.get("catalog_item") or "")
    given = value.get("registration")
    if not isinstance(given, Mapping):
        given = {}
    registration = _registration(given) if given else None
    problems: list[RowProblem] = []
    # Only the registration's own fields are read (Registration(**given) raised
    # TypeError on any other key); the rest is refused, like a payload field outside the item.
    for key in sorted(str(k) for k in given if k not in _REGISTRATION_FIELDS):
        error = PayloadUnknownFieldError(field=f"registration.{key}", item=item)
        problems.append(RowProblem(f"registration.{key}", error.code, error.render()))
    raw = RawRecord(
        subject_code=str(value.get("subject_code") or ""),
        subject_name=str(value.get("subject_name") or ""),
        catalog_item=item,
        document_number=str(value.get("document_number") or ""),
        decided_on=value.get("decided_on"),
        occurred_on=value.get("occurred_on"),
        payload=dict(payload) if isinstance(payload, Mapping) else {},
        severity=value.get("severity"),
        polarity=value.get("polarity"),
        action=str(value.get("action") or Action.REPORT.value),
        registration=registration,
    )
    return raw, tuple(problems)


def _registration(value: Mapping[str, Any]) -> Registration:
    """A registration from JSON, typed as the CSV mapper types one (text, or a date cell)."""

    def text(key: str) -> str | None:
        found = value.get(key)
        return None if found is None or found == "" else _text(found)

    established = value.get("established_on")
    if not isinstance(established, str | int | float) or isinstance(established, bool):
        established = None if established is None else _text(established)
    return Registration(
        legal_rep_name=text("legal_rep_name"),
        legal_rep_code=text("legal_rep_code"),
        established_on=established,
        status=text("status") or "active",
    )


def _unstorable(value: Any) -> tuple[str, str] | None:
    """(key path, U+XXXX) of the first unstorable character in a JSON value, or None.

    Iterative: json.loads accepts nesting close to the recursion limit.
    """
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            found = _UNSTORABLE.search(item)
            if found is not None:
                return path or "value", f"U+{ord(found[0]):04X}"
        elif isinstance(item, Mapping):
            for key, child in reversed(list(item.items())):
                named = _storable(f"{path}.{key}" if path else str(key))
                stack.append((named, child))
                stack.append((named, str(key)))  # a key is text too
        elif isinstance(item, list | tuple):
            stack.extend((f"{path}[{i}]", child) for i, child in reversed(list(enumerate(item))))
    return None


def _storable(text: str) -> str:
    return _UNSTORABLE.sub("\ufffd", str(text))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


class _Applier:
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

    def check(self, row: _Row) -> _Checked:
        """The pack's checks of one row (picklable: may run in a worker process)."""
        checked = None
        if row.raw is not None and not row.problems:
            checked = self.validator.check(row.raw)
        return _Checked(row.number, checked, row.problems, row.source)

    def chunk(self, rows: list[_Checked], describe: Callable[[Any], dict[str, Any]]) -> None:
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


_Source = tuple[Callable[[], Iterator[_Row]], Callable[[Any], dict[str, Any]], int]
"""(rows, describe a row's source for the quarantine, worker processes to check with)."""


def _apply(
    store: Store,
    pack: LoadedPack,
    new: batches.NewBatch,
    source: _Source,
    now: datetime,
    progress: Progress | None,
    actor: str,
) -> BatchReport:
    rows, describe, workers = source
    with UnitOfWork(store) as uow:
        batch_id = batches.create_batch(uow.connection, new, now)
        applier = _Applier(uow, pack, new, batch_id, now)
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


def _finish(store: Store, report: BatchReport, quarantine_dir: Path | None) -> BatchReport:
    if quarantine_dir is not None and report.rejected:
        path = quarantine_dir / f"batch-{report.batch_id}-rejected.csv"
        with UnitOfWork(store, read_only=True) as uow:
            write_quarantine(path, batches.rejected_rows(uow.connection, report.batch_id))
        report.quarantine = str(path)
    return report


def ingest_path(
    settings: Settings,
    path: Path,
    department: str,
    now: datetime,
    *,
    mapping: str | None = None,
    encoding: str = "auto",
    progress: Progress | None = None,
) -> BatchReport:
    """``xinyong ingest``: one file from disk into the node's store, quarantine beside the data."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UserInputError(detail=f"cannot read {path}: {err.strerror or err}") from None
    pack = node_pack(settings)
    upload = Upload(path.name, data, department, mapping, encoding)
    with open_store(settings.store_url) as store:
        return ingest_file(
            store,
            pack,
            upload,
            now,
            quarantine_dir=settings.data_dir / "quarantine",
            progress=progress,
        )


def authorise_items(pack: LoadedPack, department: str, items: Sequence[Mapping[str, Any]]) -> None:
    """Refuse the whole call when it names catalog items the department may not report.

    Row validation would reject such rows one by one; an API caller writing
    another department's item is an authorisation failure, answered 403 for
    the call (issue 3: "a department writing another department's item").
    Unknown items are left to validation, which names them per row.
    """
    catalog = {item.code: item for item in pack.pack.catalog}
    named = {str(r.get("catalog_item")) for r in items if isinstance(r, Mapping)}
    forbidden = sorted(
        c for c in named if c in catalog and department not in catalog[c].departments
    )
    if forbidden:
        raise ItemsForbiddenError(department=department, items=", ".join(forbidden))


@dataclass(frozen=True)
class BatchDetail:
    """A batch as its department reads it back: counts and rejected rows."""

    batch: batches.BatchRow
    rejected: list[batches.RejectedRow]


def batch_detail(
    store: Store, batch_id: int, *, department: str | None = None, limit: int = 1000
) -> BatchDetail:
    """The batch and up to ``limit`` of its rejected rows; ``department`` scopes who may read."""
    with UnitOfWork(store, read_only=True) as uow:
        found = batches.get_batch(uow.connection, batch_id)
        if found is None:
            raise BatchNotFoundError(batch=batch_id)
        if department is not None and found.department != department:
            raise BatchScopeError(batch=batch_id)
        rejected = batches.rejected_rows(uow.connection, batch_id, limit=limit)
    return BatchDetail(found, rejected)
