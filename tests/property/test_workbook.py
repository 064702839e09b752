"""A workbook reads the same whichever reader reads it: calamine where it can, openpyxl else.

:mod:`xinyong.ingest.workbook` reads most workbooks with calamine, which is
about ten times faster, and falls back to openpyxl for formulas, very large
sheets and damaged files. Whatever a department's spreadsheet holds (text,
whitespace, numbers whole or not, dates, times, booleans, blank rows, a
table that does not start at A1, a title row above the header), the header,
its row and every data row must be the same from both.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import openpyxl
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from xinyong.ingest import workbook
from xinyong.ingest.errors import NoDataRowsError
from xinyong.ingest.readers import read_table
from xinyong.ingest.table import Table

HEADER = ["文号", "名称", "金额", "日期"]

values: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.text(alphabet=st.sampled_from("ab 甲\t0-#"), max_size=6),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 1, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 1, 1)),
    st.times().map(lambda t: t.replace(microsecond=0)),
    st.booleans(),
)
grids = st.lists(st.lists(values, min_size=1, max_size=6), min_size=1, max_size=12)


def _is_header(row: object) -> bool:
    return [cell for cell in row if cell][:1] == HEADER[:1]  # type: ignore[attr-defined]


def _openpyxl_book(title: bool, top: int, left: int, grid: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    if title:
        sheet.cell(row=1, column=1, value="2025年行政处罚信息")
    for j, name in enumerate(HEADER):
        sheet.cell(row=top + 1, column=left + j + 1, value=name)
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            cell = sheet.cell(row=top + i + 2, column=left + j + 1, value=value)
            if isinstance(value, datetime | date):
                cell.number_format = "yyyy/m/d"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsxwriter_book(top: int, left: int, grid: list[list[Any]]) -> bytes:
    """As the generator (and most export tools) write workbooks: shared strings, formats."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    day = book.add_format({"num_format": 'yyyy"年"m"月"d"日"'})
    sheet.write_row(top, left, HEADER)
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if isinstance(value, datetime | date):
                sheet.write_datetime(top + i + 1, left + j, value, day)
            elif isinstance(value, time):
                continue  # XlsxWriter writes times only with a format of its own choosing
            elif value is not None:
                sheet.write(top + i + 1, left + j, value)
    book.close()
    return out.getvalue()


def _by_calamine(data: bytes) -> Table:
    parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    rows = workbook._calamine_rows(data, parts)
    assert rows is not None, "calamine declined a plain workbook"
    return workbook._table("f.xlsx", rows, _is_header, (), lambda: None)


def _by_openpyxl(data: bytes) -> Table:
    return workbook._read_openpyxl("f.xlsx", data, _is_header)


def _trimmed(cells: Any) -> list[Any]:
    """Cells without trailing blanks: how wide a reader pads a row is not content."""
    cells = list(cells)
    while cells and cells[-1] in (None, ""):
        cells.pop()
    return cells


def _read(reader: Callable[[bytes], Table], data: bytes) -> object:
    try:
        table = reader(data)
    except NoDataRowsError:
        return "no data rows"  # an all-blank body: both must refuse it so
    rows = [(number, _trimmed(cells)) for number, cells in table.rows]
    return _trimmed(table.header), table.header_row, rows


def _same(data: bytes) -> None:
    assert _read(_by_calamine, data) == _read(_by_openpyxl, data)


@given(st.booleans(), st.integers(0, 3), st.integers(0, 3), grids)
@settings(max_examples=150, deadline=None)
def test_calamine_reads_an_openpyxl_workbook_as_openpyxl_does(
    title: bool, top: int, left: int, grid: list[list[Any]]
) -> None:
    _same(_openpyxl_book(title, top + title, left, grid))


@given(st.integers(0, 3), st.integers(0, 3), grids)
@settings(max_examples=150, deadline=None)
def test_calamine_reads_an_xlsxwriter_workbook_as_openpyxl_does(
    top: int, left: int, grid: list[list[Any]]
) -> None:
    _same(_xlsxwriter_book(top, left, grid))


def test_a_whole_number_reads_as_an_integer_and_a_day_as_a_date() -> None:
    data = _openpyxl_book(False, 0, 0, [["罚〔2025〕1号", "甲", 2600.0, datetime(2025, 6, 1, 9)]])
    (_number, cells), *_ = _by_calamine(data).rows
    assert list(cells) == ["罚〔2025〕1号", "甲", 2600, date(2025, 6, 1)]
    assert type(cells[2]) is int


def test_a_duration_reads_as_its_text() -> None:
    data = _openpyxl_book(False, 0, 0, [["罚〔2025〕1号", "甲", 1, timedelta(hours=30)]])
    (_n, ours), *_ = _by_calamine(data).rows
    (_n, theirs), *_ = _by_openpyxl(data).rows
    assert ours[3] == theirs[3]
    assert isinstance(ours[3], str)


def test_a_workbook_with_formulas_is_read_by_openpyxl_and_shows_the_formula() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(['=HYPERLINK("http://evil","x")', "甲", 1, "2025-06-01"])
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    assert workbook._calamine_rows(data, zipfile.ZipFile(io.BytesIO(data)).infolist()) is None
    (_n, cells), *_ = read_table("f.xlsx", data, _is_header).rows
    assert cells[0] == '=HYPERLINK("http://evil","x")'


def test_a_sheet_too_large_to_hold_is_streamed_by_openpyxl(monkeypatch: Any) -> None:
    data = _openpyxl_book(False, 0, 0, [["罚〔2025〕1号", "甲", 1, "2025-06-01"]])
    parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert workbook._calamine_rows(data, parts) is not None
    monkeypatch.setattr(workbook, "MAX_HELD_SHEETS", 10)
    assert workbook._calamine_rows(data, parts) is None
