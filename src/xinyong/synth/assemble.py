"""Assembles chunks, in order, into the final department files, truth file and noise ledger.

Owns the final files: CSV headers then the chunks' pieces appended byte for
byte, XLSX parts written from the chunks' pickled rows, ``truth/subjects.csv``
and ``noise-rows.csv`` with row numbers made file-wide, and the noise counts
per kind and per file. Row numbers are given twice: ``data_row`` is the
1-based index of the data row below the header (title and header rows not
counted) and ``physical_row`` the 1-based CSV line or XLSX sheet row as Excel
shows it. This module must not decide what rows say nor spoil them.
"""

from __future__ import annotations

import csv
import pickle
import shutil
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from xinyong.synth.chunk import ChunkResult
from xinyong.synth.layouts import LAYOUT_BY_KEY, LAYOUTS, Layout
from xinyong.synth.noise import KIND_CLASS, NoiseEvent
from xinyong.synth.spec import CitySpec
from xinyong.synth.writers import FileResult, XlsxSink, csv_header, sha256_of

NOISE_ROWS_HEADER = ("file", "data_row", "physical_row", "class", "kind", "column")
CONSEQUENCES_HEADER = ("file", "data_row", "physical_row", "kind")
TRUTH_HEADER = ("code", "kind", "type", "type_name", "name", "sex", "region",
                "legal_representative_code", "date", "professions", "reported_with_placeholder")  # fmt: skip


class Assembler:
    """The final files of one generation; ``add`` chunks in order, then ``close``."""

    def __init__(self, root: Path, spec: CitySpec, city: str) -> None:
        self._root = root
        created = datetime(spec.as_of.year, spec.as_of.month, spec.as_of.day)
        self._xlsx = {
            layout.key: XlsxSink(root, layout, spec.xlsx_part_rows, created, city)
            for layout in LAYOUTS
            if layout.fmt == "xlsx"
        }
        self._csv: dict[str, IO[bytes]] = {}
        self._csv_rows: Counter[str] = Counter()
        for layout in LAYOUTS:
            if layout.fmt == "csv":
                self._csv[layout.key] = _create(root / _csv_path(layout))
                self._csv[layout.key].write(csv_header(layout))
        self._ledger_fh = _create(root / "noise-rows.csv", text=True)
        self._ledger = csv.writer(self._ledger_fh)
        self._ledger.writerow(NOISE_ROWS_HEADER)
        self._consequences_fh = _create(root / "consequences.csv", text=True)
        self._consequences = csv.writer(self._consequences_fh)
        self._consequences.writerow(CONSEQUENCES_HEADER)
        self.consequences: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self._truth = _create(root / "truth" / "subjects.csv")
        self._truth.write(_csv_line(TRUTH_HEADER))
        self.totals: Counter[str] = Counter()
        self.by_file: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self.rows = 0
        self.persons = 0
        self.results: list[FileResult] = []

    def add(self, chunk: ChunkResult) -> None:
        """Append one chunk (chunks must come in order) and delete its scratch directory."""
        work = chunk.workdir
        for key, fh in self._csv.items():
            with (work / f"{key}.csv").open("rb") as piece:
                shutil.copyfileobj(piece, fh, 1 << 20)
        with (work / "noise.csv").open(encoding="utf-8", newline="") as ledger:
            for key, local_row, kind, column in csv.reader(ledger):
                layout = LAYOUT_BY_KEY[key]
                data_row = self._csv_rows[key] + int(local_row)
                self._log(_csv_path(layout), layout, data_row, NoiseEvent(kind, column))
        with (work / "consequences.csv").open(encoding="utf-8", newline="") as consequences:
            for key, local_row, kind in csv.reader(consequences):
                layout = LAYOUT_BY_KEY[key]
                self._consequence(
                    _csv_path(layout), layout, self._csv_rows[key] + int(local_row), kind
                )
        for key, rows in chunk.rows.items():
            self._csv_rows[key] += rows
            self.rows += rows
        for key, sink in self._xlsx.items():
            self._add_xlsx(work / f"{key}.pkl", sink)
        with (work / "truth.csv").open("rb") as piece:
            shutil.copyfileobj(piece, self._truth, 1 << 20)
        self.persons += chunk.persons
        shutil.rmtree(work)

    def _add_xlsx(self, path: Path, sink: XlsxSink) -> None:
        with path.open("rb") as fh:
            unpickler = pickle.Unpickler(fh)
            while True:
                try:
                    row, events, duplicate, orphan = unpickler.load()
                except EOFError:
                    break
                places = sink.write_group([row, row] if duplicate else [row])
                self.rows += len(places)
                for n, (file, data_row) in enumerate(places):
                    if orphan:
                        self._consequence(file, sink.layout, data_row, "unknown-subject")
                    last = n == len(places) - 1
                    for event in events:
                        if last or event.kind != "duplicate-row":
                            self._log(file, sink.layout, data_row, event)

    def _log(self, file: str, layout: Layout, data_row: int, event: NoiseEvent) -> None:
        physical_row = data_row + layout.header_row
        kind = event.kind
        self._ledger.writerow((file, data_row, physical_row, KIND_CLASS[kind], kind, event.column))
        self.totals[kind] += 1
        self.by_file[file][kind] += 1

    def _consequence(self, file: str, layout: Layout, data_row: int, kind: str) -> None:
        self._consequences.writerow((file, data_row, data_row + layout.header_row, kind))
        self.consequences[file][kind] += 1

    def close(self) -> list[FileResult]:
        """Close every file and return them with their row counts and SHA-256."""
        for key, fh in self._csv.items():
            fh.close()
            layout = LAYOUT_BY_KEY[key]
            path = _csv_path(layout)
            digest = sha256_of(self._root / path)
            self.results.append(FileResult(path, layout, 1, self._csv_rows[key], digest))
        for sink in self._xlsx.values():
            self.results.extend(sink.close())
        order = {layout.key: n for n, layout in enumerate(LAYOUTS)}
        self.results.sort(key=lambda r: (order[r.layout.key], r.part))
        self._ledger_fh.close()
        self._consequences_fh.close()
        self._truth.close()
        return self.results


def _csv_path(layout: Layout) -> str:
    return f"{layout.stem}.csv"


def _csv_line(values: tuple[str, ...]) -> bytes:
    return (",".join(values) + "\r\n").encode("utf-8")


def _create(path: Path, *, text: bool = False) -> IO[Any]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("w", encoding="utf-8", newline="") if text else path.open("wb")
