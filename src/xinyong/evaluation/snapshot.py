"""The engine's inputs as Arrow: a Parquet snapshot of the store, or one subject's rows.

A batch evaluation reads a snapshot, not the live store: the store keeps
taking records while a national run takes minutes, and a snapshot holds
still, can be hashed, handed to Spark, and kept to re-derive a result.
DuckDB could attach SQLite or PostgreSQL directly, but its scanners are
extensions it downloads at first use, and a node may have no internet; so
the store's rows are streamed out once, in chunks, through SQLAlchemy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

RECORDS = pa.schema(
    [
        ("subject_code", pa.string()),
        ("record_id", pa.string()),
        ("version", pa.int64()),
        ("catalog_item", pa.string()),
        ("severity", pa.string()),
        ("decided_on", pa.date32()),
        ("status", pa.string()),
        ("provisional", pa.bool_()),
    ]
)
SUBJECTS = pa.schema(
    [("code", pa.string()), ("subject_kind", pa.string()), ("status", pa.string())]
)
CHUNK = 200_000


@dataclass(frozen=True)
class Snapshot:
    """A directory holding ``subjects.parquet`` and ``records.parquet``, and their digest."""

    path: Path
    subjects: int
    records: int
    sha256: str

    @property
    def subjects_file(self) -> Path:
        return self.path / "subjects.parquet"

    @property
    def records_file(self) -> Path:
        return self.path / "records.parquet"


def table_of(schema: pa.Schema, rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Rows (mappings by column name) as an Arrow table of ``schema``."""
    rows = list(rows)
    return pa.table({f.name: [r[f.name] for r in rows] for f in schema}, schema=schema)


def _write(
    path: Path,
    schema: pa.Schema,
    rows: Iterable[Mapping[str, Any]],
    progress: Callable[[int], None],
) -> int:
    written = 0
    iterator: Iterator[Mapping[str, Any]] = iter(rows)
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        while chunk := list(islice(iterator, CHUNK)):
            writer.write_table(table_of(schema, chunk))
            written += len(chunk)
            progress(len(chunk))
    return written


def file_digest(*paths: Path) -> str:
    """SHA-256 over the files' bytes, in order."""
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as f:
            while block := f.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()


def write_snapshot(
    path: Path,
    subjects: Iterable[Mapping[str, Any]],
    records: Iterable[Mapping[str, Any]],
    progress: Callable[[int], None] = lambda n: None,
) -> Snapshot:
    """Stream ``subjects`` and ``records`` into Parquet under ``path`` (made if missing).

    The digest is over the files: rows come sorted from the store's queries,
    so the same store gives the same files and the same digest.
    """
    path.mkdir(parents=True, exist_ok=True)
    n_subjects = _write(path / "subjects.parquet", SUBJECTS, subjects, progress)
    n_records = _write(path / "records.parquet", RECORDS, records, progress)
    sha = file_digest(path / "subjects.parquet", path / "records.parquet")
    return Snapshot(path, n_subjects, n_records, sha)
