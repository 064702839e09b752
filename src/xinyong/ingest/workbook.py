"""Reading XLSX workbooks: the first worksheet's rows, or a clear refusal of a damaged file.

Two readers, one result. calamine (Rust, through python-calamine) reads a
sheet about ten times faster than openpyxl, and most workbooks are read by
it. It gives a formula's cached value, never its text, so a workbook with
formulas is read by openpyxl, which shows the formula as written: that is
what an operator must see (neutralised) in quarantine. openpyxl also streams,
so a sheet too large to hold whole is read by it, and it reads any workbook
calamine refuses, so that a damaged file is refused in the same words
whichever reader met it first. ``tests/property/test_workbook.py`` holds the
two readers' rows equal.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from xml.etree.ElementTree import ParseError

from xinyong.ingest.errors import NoDataRowsError, SpreadsheetError, WorkbookBombError
from xinyong.ingest.model import Cell
from xinyong.ingest.table import HEADER_SCAN_ROWS, HeaderTest, Table, chain

MAX_XLSX_UNPACKED = 1 << 30
"""A workbook's parts may unpack to 1 GiB at most (a full Excel sheet of text is less)."""
MAX_XLSX_RATIO = 100
"""Sheet XML packs about 10:1; a workbook unpacking beyond 32 MB at 100:1 is a zip bomb."""
MAX_HELD_SHEETS = 64 << 20
"""calamine holds a sheet whole: sheets unpacking to more than 64 MB are streamed by openpyxl."""
_OPENPYXL_ERRORS = (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, EOFError,
                    zlib.error, ParseError)  # fmt: skip
"""What a damaged workbook raises from openpyxl: a bad archive, deflate stream or XML part."""
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
"""A cell's formula element, ``<f>`` (or ``<x:f>`` under a namespace prefix)."""
_SCAN_CHUNK = 1 << 20

RawRows = Iterator[Sequence[object]]


def read_xlsx(name: str, data: bytes, is_header: HeaderTest) -> Table:
    """The first worksheet of the workbook ``data`` as a table."""
    parts = _parts(data)
    if parts is not None:
        _check_inflation(name, data, parts)
        rows = _calamine_rows(data, parts)
        if rows is not None:
            return _table(name, rows, is_header, (), lambda: None)
    return _read_openpyxl(name, data, is_header)


def _parts(data: bytes) -> list[zipfile.ZipInfo] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        return None  # not an archive: openpyxl says so in its own words


def _check_inflation(name: str, data: bytes, parts: list[zipfile.ZipInfo]) -> None:
    """Refuse a workbook that would unpack to more than any export holds, before reading it.

    openpyxl reads the shared strings whole, even in read-only mode: a small
    file of highly compressed parts (a zip bomb) would take the node's memory.
    The sizes are the archive's own; zipfile never inflates a part beyond its
    stated size, so a lying archive fails its CRC instead.
    """
    unpacked = sum(part.file_size for part in parts)
    ratio = unpacked / max(1, len(data))
    too_big = unpacked > MAX_XLSX_UNPACKED
    if too_big or (unpacked > 32 << 20 and ratio > MAX_XLSX_RATIO):
        raise WorkbookBombError(file=name, size=unpacked >> 20, ratio=round(ratio))


def _calamine_rows(data: bytes, parts: list[zipfile.ZipInfo]) -> RawRows | None:
    """The first worksheet's rows as calamine reads them; None where openpyxl must read."""
    sheets = [part for part in parts if part.filename.startswith("xl/worksheets/")]
    if sum(part.file_size for part in sheets) > MAX_HELD_SHEETS or _has_formulas(data, sheets):
        return None
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        kinds = [sheet.typ for sheet in book.sheets_metadata]
        if SheetTypeEnum.WorkSheet not in kinds:
            return None
        sheet = book.get_sheet_by_index(kinds.index(SheetTypeEnum.WorkSheet))
        rows, start = sheet.iter_rows(), sheet.start
    except Exception:  # noqa: BLE001 - any refusal: openpyxl reads it, or names the damage
        return None
    except BaseException as err:  # a Rust panic crosses into Python as a BaseException
        if type(err).__name__ == "PanicException":
            return None
        raise
    if not start or not start[1]:
        return rows
    # calamine's rows start at the sheet's first row but at its first used column;
    # openpyxl's at column A. Padded, cells keep their places (and quarantine its columns).
    padding = (None,) * start[1]
    return (padding + tuple(row) for row in rows)


def _has_formulas(data: bytes, sheets: Iterable[zipfile.ZipInfo]) -> bool:
    """Whether any worksheet holds a formula; the sheets are scanned as they unpack."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for part in sheets:
                with archive.open(part) as stream:
                    tail = b""
                    while chunk := stream.read(_SCAN_CHUNK):
                        if _FORMULA.search(tail + chunk):
                            return True
                        tail = chunk[-16:]
    except (zipfile.BadZipFile, OSError, zlib.error, EOFError, ValueError):
        return True  # damaged: openpyxl names the damage
    return False


def _read_openpyxl(name: str, data: bytes, is_header: HeaderTest) -> Table:
    # Imported here: openpyxl is slow to import and only some workbooks need it.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    errors = (*_OPENPYXL_ERRORS, InvalidFileException)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        rows = book.worksheets[0].iter_rows(values_only=True)
    except errors as err:
        raise _spreadsheet_error(name, err) from None
    return _table(name, rows, is_header, errors, book.close)


def _table(
    name: str,
    rows: RawRows,
    is_header: HeaderTest,
    errors: tuple[type[Exception], ...],
    close: Callable[[], None],
) -> Table:
    """The table of a sheet's rows: the header among the top rows, then the data rows."""
    top: list[list[Cell]] = []
    try:
        for row in rows:
            top.append(_cells(row))
            if is_header(_texts(top[-1])) or len(top) >= HEADER_SCAN_ROWS:
                break
    except errors as err:
        raise _spreadsheet_error(name, err) from None
    at = next((i for i, row in enumerate(top) if is_header(_texts(row))), 0)
    header = tuple(_texts(top[at])) if top else ()
    pending = top[at + 1 :]

    def data_rows() -> Iterator[tuple[int, Sequence[Cell]]]:
        number = 0
        try:
            for cells in itertools.chain(pending, map(_cells, rows)):
                if all(cell is None for cell in cells):
                    continue  # blank rows are layout, not data
                number += 1
                yield number, cells
        except errors as err:
            # openpyxl streams while the batch is applied: damage deep in the archive
            # (bad XML, a broken deflate stream) shows only here, and must refuse
            # the file (the batch rolls back) instead of escaping as a traceback.
            raise _spreadsheet_error(name, err) from None
        finally:
            close()

    iterator = data_rows()
    first = next(iterator, None)
    if first is None:
        raise NoDataRowsError(file=name)
    return Table("xlsx", "", header, at + 1, chain(first, iterator))


def _spreadsheet_error(name: str, err: Exception) -> SpreadsheetError:
    return SpreadsheetError(file=name, reason=str(err) or type(err).__name__)


def _texts(cells: Sequence[Cell]) -> list[str]:
    return ["" if cell is None else str(cell) for cell in cells]


def _cells(row: Sequence[object]) -> list[Cell]:
    return [_cell(value) for value in row]


_EXACT_FLOAT = float(1 << 53)


def _cell(value: object) -> Cell:
    """One cell as both readers agree to give it.

    Blank or only whitespace is None (calamine drops whitespace-only text, and
    the mapper strips cells anyway). A whole float is an int, as openpyxl reads
    Excel's ``2600``: a document number typed as a number stays ``2600``, not
    ``2600.0``. A datetime is its day (departments report days), and a time,
    duration or boolean is its text.
    """
    if isinstance(value, str):
        return value if value and not value.isspace() else None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < _EXACT_FLOAT else value
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return str(value)
