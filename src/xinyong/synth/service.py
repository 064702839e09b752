"""``generate_city``: the use case behind ``xinyong generate``.

Cuts subjects 0 … N−1 into fixed-size chunks, generates them in worker
processes (see :mod:`xinyong.synth.chunk`: subject ``i`` is rebuilt from
(seed, i) alone) and assembles them in order (:mod:`xinyong.synth.assemble`),
so memory stays flat whatever N is and the bytes do not depend on the number
of workers. Afterwards it writes ``manifest.json`` and ``noise.json`` and
returns a :class:`GenerationReport`. The output directory
must be empty unless ``force``; with ``force`` only what a previous generation
wrote there is removed. This module must not print or parse arguments.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xinyong.synth.assemble import Assembler
from xinyong.synth.chunk import ChunkResult, chunk_ranges, generate_chunk
from xinyong.synth.layouts import DEPARTMENTS
from xinyong.synth.noise import ERROR_KINDS, FIXABLE_KINDS, KIND_CLASS, LEGIT_KINDS
from xinyong.synth.people import People
from xinyong.synth.regions import Region, load_region
from xinyong.synth.spec import CitySpec, OutputNotEmptyError, SubjectCountError
from xinyong.synth.writers import FileResult

Progress = Callable[[int], None]
_SCRATCH = ".chunks"
MANIFEST_VERSION = 1
_OWN_ENTRIES = ("manifest.json", "noise.json", "noise-rows.csv", "consequences.csv", "truth",
                _SCRATCH, *DEPARTMENTS)  # fmt: skip
CONSEQUENCES_MEANING = (
    "rows without noise of their own that an ingest refuses because of noise elsewhere: "
    "unknown-subject = the row's subject has no accepted registration row (its registration "
    "row has an error, or no department file registers subjects of its type); listed row by "
    "row in consequences.csv"
)
ROW_NUMBERING = (
    "data_row: 1-based index of the data row below the header (title and header rows not "
    "counted); physical_row: 1-based CSV line or XLSX sheet row as Excel shows it"
)


@dataclass(frozen=True)
class GenerationReport:
    """What ``generate_city`` wrote: files with their rows, and the noise it injected."""

    out: Path
    spec: CitySpec
    region: Region
    persons: int
    legal_persons: int
    rows: int
    files: list[FileResult]
    noise_totals: dict[str, int]
    noise_by_file: dict[str, dict[str, int]] = field(default_factory=dict)
    consequences_by_file: dict[str, dict[str, int]] = field(default_factory=dict)

    def noise_by_class(self) -> dict[str, int]:
        out = {"error": 0, "fixable": 0, "legit": 0}
        for kind, count in self.noise_totals.items():
            out[KIND_CLASS[kind]] += count
        return out


def generate_city(
    spec: CitySpec,
    out: Path,
    *,
    force: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
) -> GenerationReport:
    """Write the synthetic city ``spec`` describes into ``out`` and report what was written.

    ``workers`` processes generate chunks side by side (default: one per CPU);
    the files are byte-identical whatever their number. Workers are spawned, so
    a script calling this with more than one chunk needs the usual
    ``if __name__ == "__main__":`` guard. ``progress`` is called with the number
    of subjects done, first with 0 once the arguments have been accepted. If
    generation fails, the files written so far stay, without ``manifest.json``.
    """
    region = load_region(spec.region, spec.as_of.year)
    capacity = People(region, spec.seed, spec.as_of).capacity
    if spec.subjects > capacity:
        raise SubjectCountError(maximum=capacity, value=spec.subjects)
    _prepare(out, force)
    if progress is not None:
        progress(0)  # arguments are good: from here on there is progress to show
    scratch = out / _SCRATCH
    assembler = Assembler(out, spec, region.prefecture_name)
    try:
        for chunk in _run_chunks(spec, scratch, workers or os.cpu_count() or 1):
            assembler.add(chunk)
            if progress is not None:
                progress(chunk.stop)
    finally:
        files = assembler.close()
        shutil.rmtree(scratch, ignore_errors=True)
    report = GenerationReport(
        out=out,
        spec=spec,
        region=region,
        persons=assembler.persons,
        legal_persons=spec.subjects - assembler.persons,
        rows=assembler.rows,
        files=files,
        noise_totals={k: assembler.totals[k] for k in KIND_CLASS},
        noise_by_file={p: dict(sorted(c.items())) for p, c in sorted(assembler.by_file.items())},
        consequences_by_file={p: dict(c) for p, c in sorted(assembler.consequences.items())},
    )
    _write_json(out / "noise.json", _noise_json(report))
    _write_json(out / "manifest.json", _manifest(report))
    return report


def _run_chunks(spec: CitySpec, scratch: Path, workers: int) -> Iterator[ChunkResult]:
    """Chunk results in order; at most two chunks per worker are ahead of the assembler."""
    ranges = chunk_ranges(spec)
    if workers <= 1 or len(ranges) <= 1:
        for number, start, stop in ranges:
            yield generate_chunk(spec, number, start, stop, scratch / f"{number:06d}")
        return
    # spawn, not fork: the caller may run threads (a progress bar), which fork does not copy.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(ranges)), mp_context=context) as pool:
        pending: deque[Future[ChunkResult]] = deque()
        for number, start, stop in ranges:
            pending.append(pool.submit(generate_chunk, spec, number, start, stop,
                                       scratch / f"{number:06d}"))  # fmt: skip
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def ingest_order(files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Manifest file entries in the order an ingest needs: registration files first.

    Records need a registered subject, so the files that register subjects
    (items ``reg.*``) go before the others; otherwise the manifest's order.
    """
    return sorted(files, key=lambda e: not any(i.startswith("reg.") for i in e["items"]))


def _prepare(out: Path, force: bool) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        if not force or not out.is_dir():
            raise OutputNotEmptyError(path=str(out))
        for name in _OWN_ENTRIES:
            target = out / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    out.mkdir(parents=True, exist_ok=True)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _noise_json(report: GenerationReport) -> dict[str, Any]:
    return {
        "rate": report.spec.noise,
        "classes": {
            "error": list(ERROR_KINDS),
            "fixable": list(FIXABLE_KINDS),
            "legit": list(LEGIT_KINDS),
        },
        "row_numbering": ROW_NUMBERING,
        "totals": report.noise_totals,
        "by_class": report.noise_by_class(),
        "files": report.noise_by_file,
        "consequences": {
            "meaning": CONSEQUENCES_MEANING,
            "totals": dict(
                sum((Counter(c) for c in report.consequences_by_file.values()), Counter())
            ),
            "files": report.consequences_by_file,
        },
    }


def _manifest(report: GenerationReport) -> dict[str, Any]:
    spec, region = report.spec, report.region
    return {
        "generator": "xinyong.synth",
        "version": MANIFEST_VERSION,
        "seed": spec.seed,
        "subjects": spec.subjects,
        "persons": report.persons,
        "legal_persons": report.legal_persons,
        "noise": spec.noise,
        "as_of": spec.as_of.isoformat(),
        "region": {
            "code": region.prefecture_code,
            "name": region.province_name + region.prefecture_name,
            "counties": {c.code: c.name for c in region.counties},
        },
        "rows": report.rows,
        "files": [_file_entry(f) for f in report.files],
    }


def _file_entry(result: FileResult) -> dict[str, Any]:
    layout = result.layout
    return {
        "path": result.path,
        "department": layout.department,
        "department_name": DEPARTMENTS[layout.department],
        "items": list(layout.items),
        "format": layout.fmt,
        "encoding": layout.encoding or None,
        "part": result.part,
        "title_row": bool(layout.title),
        "header_row": layout.header_row,
        "headers": list(layout.headers),
        "item_column": layout.item_column,
        "item_labels": layout.item_labels,
        "code_columns": list(layout.code_columns),
        "subjects": layout.subjects,
        "kind_column": layout.kind_column,
        "person_labels": list(layout.person_labels),
        "date_column": layout.date_column,
        "date_format": layout.date_format,
        "document_column": layout.doc_column,
        "rows": result.rows,
        "sha256": result.sha256,
    }
