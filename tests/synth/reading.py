"""Re-reading generated files the way an ingest would, independently of the generator.

Nothing here imports ``xinyong.synth`` internals: files are read through the
manifest, codes are checked with python-stdnum and a GB 11714 formula written
out here, and noise is detected from the bytes, so the tests can disagree with
the generator's own account of what it did.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

PLACEHOLDER = "0" * 17 + "X"
_CHINESE_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_SLASH_DATE = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")


def ric_is_valid(code: str) -> bool:
    """``ric.is_valid``, with its KeyError trap (STACK-NOTES) counted as invalid."""
    try:
        return bool(ric.is_valid(code))
    except KeyError:
        return False


def ric_problem(code: str) -> str | None:
    """Why stdnum rejects a resident ID, or None; a KeyError is reported, not raised."""
    try:
        ric.validate(code)
    except ValidationError as err:
        return type(err).__name__
    except KeyError as err:
        return f"KeyError {err}"
    return None


def org_code_valid(code: str) -> bool:
    """GB 11714 check of the organisation code inside a USCC (characters 9–17)."""
    body, check = code[8:16], code[16]
    total = sum(int(ch, 36) * w for ch, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    value = 11 - total % 11
    return check == {10: "X", 11: "0"}.get(value, str(value))


def data_rows(out: Path, entry: dict[str, Any]) -> list[list[Any]]:
    """The data rows of one manifest file entry, header checked, padded to the header width."""
    path, headers = out / entry["path"], entry["headers"]
    if entry["format"] == "csv":
        with path.open(encoding=entry["encoding"], newline="") as fh:
            rows: list[list[Any]] = list(csv.reader(fh))
        assert rows[0] == headers, entry["path"]
        return rows[1:]
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
    at = entry["header_row"] - 1
    assert rows[at][: len(headers)] == headers, entry["path"]
    width = len(headers)
    return [
        [("" if c is None else c) for c in (r + [None] * width)[:width]] for r in rows[at + 1 :]
    ]


def is_person_row(entry: dict[str, Any], row: list[Any]) -> bool:
    if entry["subjects"] != "both":
        return bool(entry["subjects"] == "natural_person")
    return row[entry["headers"].index(entry["kind_column"])] in entry["person_labels"]


def code_cell(entry: dict[str, Any], row: list[Any], person: bool) -> tuple[str, str]:
    """(column, value) of the subject's code: for double publicity, the column in use."""
    columns = entry["code_columns"]
    column = columns[-1] if person else columns[0]
    return column, str(row[entry["headers"].index(column)])


def detect(entry: dict[str, Any], rows: list[list[Any]]) -> Iterator[tuple[int, str]]:
    """(1-based data row, noise kind) for everything visibly off in ``rows``."""
    seen: set[tuple[Any, ...]] = set()
    headers = entry["headers"]
    for number, row in enumerate(rows, start=1):
        key = tuple(row)
        if key in seen:
            yield number, "duplicate-row"
        seen.add(key)
        person = is_person_row(entry, row)
        yield from (
            (number, kind) for kind in _code_noise(code_cell(entry, row, person)[1], person)
        )
        when = row[headers.index(entry["date_column"])]
        if (kind := _date_noise(when, entry["date_format"])) is not None:
            yield number, kind
        item = row[headers.index(entry["item_column"])] if entry["item_column"] else None
        if item is not None and item not in entry["item_labels"].values():
            yield number, "unknown-item"


def _code_noise(raw: str, person: bool) -> Iterator[str]:
    if raw == "":
        yield "missing-code"
        return
    if any("\uff01" <= ch <= "\uff5e" for ch in raw):
        yield "fullwidth-code"
    if any(ch.isspace() for ch in raw):
        yield "code-whitespace"
    normal = "".join(unicodedata.normalize("NFKC", raw).split())
    if any(ch.islower() for ch in normal):
        yield "code-lowercase"
    code = normal.upper()
    if code == PLACEHOLDER:
        yield "placeholder-code"
    elif person and not ric_is_valid(code):
        yield "ric-check-digit"
    elif not person and not uscc.is_valid(code):
        yield "uscc-check-digit"


def _date_noise(when: Any, fmt: str) -> str | None:
    if isinstance(when, int | float):
        return "excel-serial-date"
    if _CHINESE_DATE.match(when):
        return "date-chinese"
    if match := _SLASH_DATE.match(when):
        y, m, d = (int(g) for g in match.groups())
        if when != datetime(y, m, d).strftime(fmt):
            return "date-unpadded"
    datetime.strptime(when, fmt)  # anything else must be the file's own format
    return None
