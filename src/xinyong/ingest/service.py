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
quarantine file, never dropped. This module reads the upload and chooses how;
:mod:`xinyong.ingest.apply` applies the rows, :mod:`xinyong.ingest.parallel`
checks large files in worker processes. No SQL here: :mod:`xinyong.store.queries`.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from xinyong.config import Settings
from xinyong.errors import UserInputError
from xinyong.ingest.apply import Progress, Source, apply_batch
from xinyong.ingest.errors import (
    BatchNotFoundError,
    BatchScopeError,
    FileTooLargeError,
    ItemsForbiddenError,
    TooManyRecordsError,
    UnknownDepartmentError,
)
from xinyong.ingest.mapper import CompiledMapping, choose_mapping, recognises
from xinyong.ingest.model import BatchReport, Cell
from xinyong.ingest.quarantine import write_quarantine
from xinyong.ingest.readers import read_table
from xinyong.ingest.rows import Row, json_row
from xinyong.policy.loader import LoadedPack
from xinyong.policy.mapping import Mapping as DepartmentMapping
from xinyong.policy.service import node_pack
from xinyong.store.engine import Store, open_store
from xinyong.store.queries import batches, reference
from xinyong.store.uow import UnitOfWork


@dataclass(frozen=True)
class Upload:
    """A file a department sends: its name, bytes, and how to read it."""

    filename: str
    data: bytes
    department: str
    mapping: str | None = None
    encoding: str = "auto"


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
        assert table.objects is not None
        objects = table.objects
        source = Source(lambda: objects, json_row, dict, 0)
        mapping_code = None
    else:
        mapping = choose_mapping(
            mappings, table.header, department, file=upload.filename, name=upload.mapping
        )
        compiled = CompiledMapping(mapping, table.header, file=upload.filename)
        if workers is None:
            workers = _workers(table.format, len(upload.data))
        # Each forked worker iterates its own copy of the one iterator of rows.
        cells = table.rows
        source = Source(lambda: cells, partial(_mapped_row, compiled), compiled.raw, workers)
        mapping_code = mapping.code
    new = batches.NewBatch(
        department=department,
        jurisdiction=pack.pack.meta.code,
        filename=upload.filename,
        sha256=digest,
        format=table.format,
        encoding=table.encoding or "binary",
        mapping=mapping_code,
    )
    report = apply_batch(store, pack, new, source, now, progress, actor)
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
    source = Source(lambda: enumerate(items, start=1), json_row, dict, 0)
    return _finish(store, apply_batch(store, pack, new, source, now, None, actor), quarantine_dir)


def _mapped_row(compiled: CompiledMapping, item: tuple[int, Sequence[Cell]]) -> Row:
    number, cells = item
    return Row(number, compiled.record(cells), (), cells)


PARALLEL_BYTES = {"csv": 1 << 20, "xlsx": 1 << 17}
"""Files this large are checked in worker processes (smaller ones are done before they start).

A workbook is compressed: 128 KB of XLSX hold about as many rows as 1 MB of CSV."""
MAX_WORKERS = 2
"""Beyond two, the applying process (inserts, one transaction) is the bottleneck."""


def _workers(fmt: str, size: int) -> int:
    """Worker processes to check a file with; 0: check in this process.

    Each worker reads the whole file and checks its share of the rows. Reading
    is cheap next to checking (calamine reads a workbook at a few µs a row);
    only a workbook that openpyxl must read (one with formulas) costs about as
    much to read as to check, and such workbooks are few.
    """
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if size < PARALLEL_BYTES.get(fmt, PARALLEL_BYTES["csv"]) or (cpus or 1) < 2:
        return 0
    return min(cpus or 1, MAX_WORKERS)


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
        size = path.stat().st_size
        if size > settings.ingest_max_file_bytes:
            raise FileTooLargeError(
                file=path.name, size=size >> 20, limit=settings.ingest_max_file_bytes >> 20
            )
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
