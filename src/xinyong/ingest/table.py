"""What a reader hands on: a header and the data rows of one file, whatever its format."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from xinyong.ingest.model import Cell

HEADER_SCAN_ROWS = 10
"""A header sits in the first rows (spreadsheets put a title row or two above it)."""

HeaderTest = Callable[[Sequence[str]], bool]
"""Whether a row is a header that some mapping of the department knows."""


@dataclass(frozen=True)
class Table:
    """A file read into a header and data rows (iterated once)."""

    format: str  # csv | xlsx | jsonl
    encoding: str  # utf-8 | utf-8-sig | gb18030 | "" (xlsx) ; jsonl is utf-8
    header: tuple[str, ...]
    header_row: int  # 1-based physical row of the header (0 for jsonl)
    rows: Iterator[tuple[int, Sequence[Cell]]]  # (1-based data row, cells in header order)
    objects: Iterator[tuple[int, dict[str, Any] | str]] | None = None  # jsonl: object or error


def chain(
    first: tuple[int, Sequence[Cell]], rest: Iterator[tuple[int, Sequence[Cell]]]
) -> Iterator[tuple[int, Sequence[Cell]]]:
    """The first data row (read to prove there is one) back in front of the rest."""
    yield first
    yield from rest
