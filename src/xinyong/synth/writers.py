"""Streaming writers for department files: CSV (UTF-8, UTF-8 with BOM, GB18030) and XLSX.

Owns bytes on disk: encodings (a BOM only at the start of a file), XLSX parts
below Excel's row limit with optional title rows, reproducible XLSX metadata,
row numbering and the SHA-256 of every finished file. Rows arrive already
spoiled by the noise module; the only value rendered here is the main date
cell (a ``date``), in the layout's date format. It must not decide contents
nor hold rows in memory.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from xinyong.synth.layouts import Layout


@dataclass(frozen=True)
class FileResult:
    """One finished file: where it is, what it holds, and its fingerprint."""

    path: str  # relative to the output directory, with forward slashes
    layout: Layout
    part: int
    rows: int  # data rows, without title and header
    sha256: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class DateCells:
    """Renders a row's main date cell in one format, remembering each rendering (rows share days)."""

    def __init__(self, fmt: str, index: int) -> None:
        self._fmt = fmt
        self._index = index
        self._cache: dict[date, str] = {}

    def render(self, row: list[Any]) -> list[Any]:
        when = row[self._index]
        if isinstance(when, date):
            text = self._cache.get(when)
            if text is None:
                text = self._cache[when] = when.strftime(self._fmt)
            row[self._index] = text
        return row


def csv_encoding(layout: Layout, *, first: bool) -> str:
    """The codec for a CSV piece: a byte-order mark only at the very start of a file."""
    return layout.encoding if first or layout.encoding != "utf-8-sig" else "utf-8"


def csv_header(layout: Layout) -> bytes:
    """The header line, encoded as the file will be (with its BOM if it has one)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(layout.headers)
    return buffer.getvalue().encode(csv_encoding(layout, first=True))


class XlsxSink:
    """XLSX parts of at most ``part_rows`` data rows each, in constant memory.

    Every part repeats the optional title row and the header. ``created`` is
    written as the document's creation time so that the bytes depend on the
    arguments only.
    """

    def __init__(self, root: Path, layout: Layout, part_rows: int, created: datetime, city: str):
        self._root = root
        self.layout = layout
        self._part_rows = part_rows
        self._created = created
        self._title = layout.title.format(city=city) if layout.title else None
        self._dates = DateCells(layout.date_format, layout.index(layout.date_column))
        self._results: list[FileResult] = []
        self._part = 0
        self._open_part()

    def _open_part(self) -> None:
        self._part += 1
        self._rel = f"{self.layout.stem}-part{self._part}.xlsx"
        path = self._root / self._rel
        path.parent.mkdir(parents=True, exist_ok=True)
        self._book = xlsxwriter.Workbook(
            str(path),
            {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
        )
        self._book.set_properties({"created": self._created})
        self._sheet = self._book.add_worksheet("数据")
        if self._title:
            self._sheet.write_string(0, 0, self._title)
        self._sheet.write_row(self.layout.header_row - 1, 0, self.layout.headers)
        self._rows = 0

    def _close_part(self) -> None:
        self._book.close()
        digest = sha256_of(self._root / self._rel)
        self._results.append(FileResult(self._rel, self.layout, self._part, self._rows, digest))

    def write_group(self, rows: Sequence[list[Any]]) -> list[tuple[str, int]]:
        """Write rows into one part (a duplicate stays beside its original)."""
        if self._rows and self._rows + len(rows) > self._part_rows:
            self._close_part()
            self._open_part()
        out = []
        for row in rows:
            self._rows += 1
            self._sheet.write_row(
                self._rows + self.layout.header_row - 1, 0, self._dates.render(row)
            )
            out.append((self._rel, self._rows))
        return out

    def close(self) -> list[FileResult]:
        self._close_part()
        return self._results
