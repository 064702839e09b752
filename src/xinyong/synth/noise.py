"""Noise injected into department rows, and the exact account of it.

Owns the noise kinds and their classes:

- **error** noise makes a row unacceptable (at most one per row, so one rejected
  row has exactly one reason): a wrong USCC or resident-ID check digit, an
  empty code, an item label the mapping cannot know, an exact duplicate row;
- **fixable** noise is repaired by normalisation and may combine: full-width
  characters, stray spaces or lower case in a code, dates written
  ``2024年3月5日`` or ``2024/3/5``, Excel serial dates in XLSX;
- **legit** marks what looks wrong but is lawful: an individual business
  reported under the standard placeholder code (17 zeros + X).

Noise draws come from their own stream (one per chunk of subjects, seeded from
the seed and the chunk number), so the underlying data is the same at every
noise rate. This module must not decide
what a record says, only how it is spoiled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from xinyong.synth.ids import USCC_ALPHABET, FastRandom, corrupt_check, mix64
from xinyong.synth.layouts import Layout

Cell = str | date | int

ERROR_KINDS = (
    "uscc-check-digit",
    "ric-check-digit",
    "missing-code",
    "unknown-item",
    "duplicate-row",
)
FIXABLE_KINDS = (
    "fullwidth-code",
    "code-whitespace",
    "code-lowercase",
    "date-chinese",
    "date-unpadded",
    "excel-serial-date",
)
LEGIT_KINDS = ("placeholder-code",)
KIND_CLASS = {
    **{k: "error" for k in ERROR_KINDS},
    **{k: "fixable" for k in FIXABLE_KINDS},
    **{k: "legit" for k in LEGIT_KINDS},
}
_DATE_KINDS = frozenset({"date-chinese", "date-unpadded", "excel-serial-date"})
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()
_FULLWIDTH = {c: chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
_NOISE_STREAM = 0x6E6F697365  # "noise"


@dataclass(frozen=True, slots=True)
class NoiseEvent:
    kind: str
    column: str


@dataclass(frozen=True)
class CompiledLayout:
    """A layout with its column positions resolved once, for the per-row hot path."""

    layout: Layout
    code_index: tuple[int, ...]  # (organisation code column, person code column)
    date_index: int
    item_index: int | None
    xlsx: bool

    @classmethod
    def of(cls, layout: Layout) -> CompiledLayout:
        codes = tuple(layout.index(c) for c in layout.code_columns)
        return cls(
            layout=layout,
            code_index=(codes[0], codes[-1]),
            date_index=layout.index(layout.date_column),
            item_index=layout.index(layout.item_column) if layout.item_column else None,
            xlsx=layout.fmt == "xlsx",
        )


class Noiser:
    """Spoils rows at ``rate`` and says exactly how (see the module docstring)."""

    def __init__(self, rate: float, seed: int, stream: int) -> None:
        self.rate = rate
        self._rng = FastRandom((mix64(seed) ^ _NOISE_STREAM) << 32 | stream)

    def apply(
        self, spec: CompiledLayout, row: list[Cell], person: bool, placeholder: bool
    ) -> tuple[list[NoiseEvent], bool]:
        """Spoil ``row`` in place; return the events and whether to write it twice."""
        code_at = spec.code_index[1] if person else spec.code_index[0]
        events: list[NoiseEvent] = []
        if placeholder:
            events.append(NoiseEvent("placeholder-code", spec.layout.headers[code_at]))
        rng, rate = self._rng, self.rate
        error_draw, fixable_draw = rng.random(), rng.random()
        if error_draw < rate:
            kind = self._error(spec, row, code_at, person, placeholder)
            events.append(NoiseEvent(kind, _column_of(spec, kind, code_at)))
            if kind == "duplicate-row":
                return events, True
        if fixable_draw < rate:
            events.extend(self._fixable(spec, row, code_at, placeholder))
        return events, False

    def _error(
        self, spec: CompiledLayout, row: list[Cell], code_at: int, person: bool, placeholder: bool
    ) -> str:
        kinds = ["duplicate-row"]
        if not placeholder and row[code_at]:
            kinds += ["ric-check-digit" if person else "uscc-check-digit", "missing-code"]
        if spec.item_index is not None:
            kinds.append("unknown-item")
        kind = self._rng.choice(kinds)
        if kind == "missing-code":
            row[code_at] = ""
        elif kind == "ric-check-digit":
            row[code_at] = corrupt_check(str(row[code_at]), "0123456789X", self._rng)
        elif kind == "uscc-check-digit":
            row[code_at] = corrupt_check(str(row[code_at]), USCC_ALPHABET, self._rng)
        elif kind == "unknown-item" and spec.item_index is not None:
            row[spec.item_index] = self._rng.choice(spec.layout.unknown_labels)
        return kind

    def _fixable(
        self, spec: CompiledLayout, row: list[Cell], code_at: int, placeholder: bool
    ) -> list[NoiseEvent]:
        code = str(row[code_at])
        kinds: list[str] = []
        if code and not placeholder:
            kinds += ["fullwidth-code", "code-whitespace"]
            if any("A" <= ch <= "Z" for ch in code):
                kinds.append("code-lowercase")
        when = row[spec.date_index]
        if isinstance(when, date):
            kinds.append("date-chinese")
            if when.month < 10 or when.day < 10 or spec.layout.date_format != "%Y/%m/%d":
                kinds.append("date-unpadded")
            if spec.xlsx:
                kinds.append("excel-serial-date")
        if not kinds:
            return []
        chosen = self._rng.sample(kinds, min(len(kinds), 1 if self._rng.random() < 0.7 else 2))
        dates = [k for k in chosen if k in _DATE_KINDS]
        chosen = [k for k in chosen if k not in _DATE_KINDS] + dates[:1]
        if code_kinds := [k for k in chosen if k not in _DATE_KINDS]:
            row[code_at] = self._spoil_code(code, code_kinds)
        if dates and isinstance(when, date):
            row[spec.date_index] = _spoil_date(when, dates[0])
        headers = spec.layout.headers
        return [
            NoiseEvent(k, headers[spec.date_index if k in _DATE_KINDS else code_at])
            for k in sorted(chosen)
        ]

    def _spoil_code(self, code: str, kinds: list[str]) -> str:
        if "code-lowercase" in kinds:
            code = code.lower()
        if "fullwidth-code" in kinds:
            code = code.translate(_FULLWIDTH)
        if "code-whitespace" in kinds:
            space = "\u3000" if self._rng.random() < 0.2 else " "  # U+3000: ideographic space
            placed = (f" {code}", f"{code}{space}", f"{code[:6]}{space}{code[6:]}")
            code = placed[self._rng.randrange(3)]
        return code


def _column_of(spec: CompiledLayout, kind: str, code_at: int) -> str:
    """The column an error spoiled; empty for a duplicate, which is the whole row."""
    if kind == "duplicate-row":
        return ""
    if kind == "unknown-item" and spec.item_index is not None:
        return spec.layout.headers[spec.item_index]
    return spec.layout.headers[code_at]


def _spoil_date(when: date, kind: str) -> Cell:
    if kind == "date-chinese":
        return f"{when.year}年{when.month}月{when.day}日"
    if kind == "date-unpadded":
        return f"{when.year}/{when.month}/{when.day}"
    return when.toordinal() - _EXCEL_EPOCH
