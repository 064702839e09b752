"""The quarantine file: every rejected row of a batch, for the department to fix and resend.

UTF-8 with a BOM so that Excel opens the Chinese text correctly; one line per
problem with the row number, field, error code, message and the row as sent.
A cell that Excel would run as a formula (``=``, ``+``, ``-``, ``@``, tab or
carriage return first; OWASP "CSV injection") is prefixed with ``'`` so it
shows as text: a hostile department file must not become a hostile
spreadsheet for the clerk who opens its quarantine.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

HEADER = ("row", "field", "error_code", "message")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """The cell as text a spreadsheet will not evaluate."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def write_quarantine(path: Path, rejected: Iterable[Any]) -> int:
    """Write rejected rows (objects with row_number, field, error_code, message, raw)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    columns: list[str] = []
    rows = list(rejected)
    for row in rows:
        for name in row.raw:
            if name not in columns:
                columns.append(name)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([*HEADER, *(neutralise(c) for c in columns)])
        for row in rows:
            cells = [str(row.row_number), row.field or "", row.error_code, row.message]
            cells += [str(row.raw.get(c, "")) for c in columns]
            writer.writerow([neutralise(c) for c in cells])
            count += 1
    return count
