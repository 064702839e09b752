"""One chunk of subjects, generated into a scratch directory (in a worker process or not).

Owns the subject loop: subject ``i`` is rebuilt from (seed, i) alone, its
records come from the same stream, and every row goes through the noise of
this chunk's own noise stream into a piece of its department file. CSV pieces
are written in the final encoding without header (and without BOM), so the
assembler only appends bytes; XLSX rows are pickled with their noise, because
only the assembler knows which part and row they land in. Chunks are a fixed
size (``CitySpec.chunk_subjects``), so the output is the same whatever the
number of workers. This module must not write the final files.
"""

from __future__ import annotations

import csv
import pickle
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from xinyong.synth.departments_market import market_records, person_market_records
from xinyong.synth.departments_social import person_row, social_records
from xinyong.synth.ids import subject_rng
from xinyong.synth.layouts import LAYOUTS
from xinyong.synth.noise import ERROR_KINDS, Cell, CompiledLayout, NoiseEvent, Noiser
from xinyong.synth.organisations import LegalPerson, Organisations
from xinyong.synth.people import People, Person, is_person
from xinyong.synth.records import Context
from xinyong.synth.regions import load_region
from xinyong.synth.spec import CitySpec
from xinyong.synth.writers import DateCells, csv_encoding

REGISTRATION_KEYS = frozenset(
    layout.key for layout in LAYOUTS if any(item.startswith("reg.") for item in layout.items)
)
"""Files whose rows register subjects (create them in the registry when ingested)."""
_ROW_ERRORS = frozenset(ERROR_KINDS) - {"duplicate-row"}


@dataclass(frozen=True)
class ChunkResult:
    number: int
    start: int
    stop: int
    persons: int
    workdir: Path
    rows: dict[str, int]  # rows written per CSV layout key


def chunk_ranges(spec: CitySpec) -> list[tuple[int, int, int]]:
    """(chunk number, first subject, end) for every chunk."""
    size = spec.chunk_subjects
    return [
        (n, start, min(start + size, spec.subjects))
        for n, start in enumerate(range(0, spec.subjects, size))
    ]


@dataclass(frozen=True)
class _City:
    ctx: Context
    people: People
    organisations: Organisations


@lru_cache(maxsize=4)
def _city(region_code: str, seed: int, as_of: date) -> _City:
    """The per-process city tables (kept across the chunks one process makes)."""
    region = load_region(region_code, as_of.year)
    people = People(region, seed, as_of)
    return _City(Context(region, as_of), people, Organisations(region, people, seed, as_of))


def generate_chunk(
    spec: CitySpec, number: int, start: int, stop: int, workdir: Path
) -> ChunkResult:
    """Generate subjects ``start`` … ``stop − 1`` and their records into ``workdir``."""
    city = _city(spec.region, spec.seed, spec.as_of)
    persons = 0
    with _ChunkFiles(workdir, spec, number) as files:
        emit = files.emit
        for index in range(start, stop):
            rng = subject_rng(spec.seed, index)
            if is_person(index):
                person = city.people.make(index, rng)
                files.subject(person)
                person_row(city.ctx, person, emit)
                person_market_records(city.ctx, rng, person, emit)
                social_records(city.ctx, rng, person, emit)
                persons += 1
            else:
                organisation = city.organisations.make(index, rng)
                files.subject(organisation)
                market_records(city.ctx, rng, organisation, emit)
                social_records(city.ctx, rng, organisation, emit)
    return ChunkResult(number, start, stop, persons, workdir, dict(files.rows))


class _ChunkFiles:
    """The scratch files of one chunk: CSV pieces, pickled XLSX rows, noise, truth."""

    def __init__(self, workdir: Path, spec: CitySpec, number: int) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self._compiled = {layout.key: CompiledLayout.of(layout) for layout in LAYOUTS}
        self._noiser = Noiser(spec.noise, spec.seed, number)
        self._handles: list[IO[Any]] = []
        self._csv: dict[str, Any] = {}
        self._dates: dict[str, DateCells] = {}
        self._pickles: dict[str, pickle.Pickler] = {}
        for layout in LAYOUTS:
            if layout.fmt == "xlsx":
                self._pickles[layout.key] = pickle.Pickler(
                    self._open(workdir / f"{layout.key}.pkl")
                )
                continue
            fh = self._open(workdir / f"{layout.key}.csv", csv_encoding(layout, first=False))
            self._csv[layout.key] = csv.writer(fh)
            self._dates[layout.key] = DateCells(
                layout.date_format, layout.index(layout.date_column)
            )
        self._ledger = csv.writer(self._open(workdir / "noise.csv", "utf-8"))
        self._truth = csv.writer(self._open(workdir / "truth.csv", "utf-8"))
        self._consequences = csv.writer(self._open(workdir / "consequences.csv", "utf-8"))
        self._pending: list[tuple[str, list[Cell], bool, list[NoiseEvent], bool]] = []
        self.rows: dict[str, int] = dict.fromkeys(self._csv, 0)

    def _open(self, path: Path, encoding: str | None = None) -> IO[Any]:
        fh = path.open("w", encoding=encoding, newline="") if encoding else path.open("wb")
        self._handles.append(fh)
        return fh

    def __enter__(self) -> _ChunkFiles:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        try:
            if exc_type is None:
                self._flush()
        finally:
            for fh in self._handles:
                fh.close()

    def emit(self, key: str, row: list[Cell], person: bool, placeholder: bool) -> None:
        """Spoil ``row`` as the noise rate says; it is written when its subject is complete.

        Writing waits for the subject's last row because whether a row's subject
        gets registered at all (its registration row may come later, or be
        spoiled) decides the row's consequence (see :meth:`_flush`).
        """
        events, duplicate = self._noiser.apply(self._compiled[key], row, person, placeholder)
        self._pending.append((key, row, placeholder, events, duplicate))

    def _flush(self) -> None:
        """Write the current subject's rows, with the consequences of its registration.

        A subject is registered when one of its rows in a registration file has
        no error noise. Every other row of an unregistered subject that has no
        error of its own (and no placeholder code) will be refused by an ingest
        as ``unknown-subject``: not noise in the row, but a consequence of noise
        elsewhere (or of a subject kind no file registers), reported beside the
        noise ledger so that expected counts are exact.
        """
        pending, self._pending = self._pending, []
        registered = any(
            key in REGISTRATION_KEYS and not _has_error(events)
            for key, _row, _placeholder, events, _dup in pending
        )
        for key, row, placeholder, events, duplicate in pending:
            orphan = not registered and not placeholder and not _has_error(events)
            self._write(key, row, events, duplicate, orphan and key not in REGISTRATION_KEYS)

    def _write(
        self, key: str, row: list[Cell], events: list[NoiseEvent], duplicate: bool, orphan: bool
    ) -> None:
        pickler = self._pickles.get(key)
        if pickler is not None:
            pickler.dump((row, events, duplicate, orphan))
            return
        writer = self._csv[key]
        writer.writerow(self._dates[key].render(row))
        self.rows[key] += 1
        if duplicate:
            writer.writerow(row)
            self.rows[key] += 1
        for event in events:
            # The original of a duplicate carries everything but the duplication itself.
            if duplicate and event.kind != "duplicate-row":
                self._ledger.writerow((key, self.rows[key] - 1, event.kind, event.column))
            self._ledger.writerow((key, self.rows[key], event.kind, event.column))
        if orphan:
            for number in range(self.rows[key] - int(duplicate), self.rows[key] + 1):
                self._consequences.writerow((key, number, "unknown-subject"))

    def subject(self, subject: Person | LegalPerson) -> None:
        """Start a new subject: one line of ground truth (see ``assemble.TRUTH_HEADER``)."""
        self._flush()
        if isinstance(subject, Person):
            self._truth.writerow((subject.code, "natural_person", "", "", subject.name, subject.sex,
                                  subject.county.code, "", subject.birth.isoformat(),
                                  ";".join(subject.professions), ""))  # fmt: skip
            return
        self._truth.writerow((subject.code, "legal_person", subject.type_code, subject.type_name,
                              subject.name, "", subject.county.code, subject.representative.code,
                              subject.established.isoformat(), "",
                              "1" if subject.placeholder else ""))  # fmt: skip


def _has_error(events: list[NoiseEvent]) -> bool:
    return any(event.kind in _ROW_ERRORS for event in events)
