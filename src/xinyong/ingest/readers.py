"""Reading department files: CSV (UTF-8, UTF-8 with BOM, GB18030), XLSX and JSON Lines.

Owns bytes → rows: the format (by content, then by name), the text encoding
(declared, or detected: a BOM, strict UTF-8, then strict GB18030), the header
row (the first of the top rows that some mapping recognises) and the refusal
of files that are not department exports at all (empty, binary, a line longer
than any export writes). It must not interpret cells; that is the mapper's job.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

from xinyong.ingest.errors import (
    BinaryFileError,
    CsvFormatError,
    EmptyFileError,
    EncodingError,
    LineTooLongError,
    NoDataRowsError,
    UnknownEncodingError,
    Utf16Error,
)
from xinyong.ingest.model import Cell
from xinyong.ingest.table import HEADER_SCAN_ROWS, HeaderTest, Table, chain
from xinyong.ingest.workbook import read_xlsx

__all__ = ["HEADER_SCAN_ROWS", "HeaderTest", "Table", "decode", "header_key", "read_table"]

MAX_LINE_BYTES = 1 << 20
"""No department export writes a 1 MB row; a longer one means a broken or foreign file."""
_UTF8_BOM = b"\xef\xbb\xbf"
_ZIP_MAGIC = b"PK\x03\x04"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_LINE_BREAK = re.compile(r"\r\n?|\n")
"""Line ends as csv reads them: Excel for Mac's "CSV (Macintosh)" ends lines with CR alone."""


def header_key(text: object) -> str:
    """How headers compare: NFKC (full-width brackets = ASCII ones), no whitespace."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


def sniff_format(name: str, head: bytes) -> str:
    """csv, xlsx or jsonl: the content decides where it can, then the file name."""
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    lower = name.lower()
    if lower.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if head.lstrip(_UTF8_BOM).lstrip()[:1] == b"{" and not lower.endswith(".csv"):
        return "jsonl"
    return "csv"


def read_table(name: str, data: bytes, is_header: HeaderTest, *, encoding: str = "auto") -> Table:
    """The table in ``data``; ``is_header`` says whether a row is a header some mapping knows.

    Raises a :class:`~xinyong.ingest.errors.FileError` when the file is unusable
    as a whole. When no top row is a known header, the first row is returned
    as the header, so the caller can say which columns it did not recognise.
    """
    if not data.strip():
        raise EmptyFileError(file=name)
    fmt = sniff_format(name, data[:8])
    if fmt == "xlsx":
        return read_xlsx(name, data, is_header)
    if data.startswith(_UTF16_BOMS):
        raise Utf16Error(file=name)
    # The whole file, not only its head: one NUL deep in a text export is corruption
    # too, and PostgreSQL cannot store it (SQLite can: the engines would disagree).
    # bytes.find is a memchr, cheap at any size.
    binary = data.find(b"\x00")
    if binary >= 0:
        raise BinaryFileError(file=name, offset=binary)
    text, used = decode(name, data, encoding)
    _check_lines(name, text)
    if fmt == "jsonl":
        return Table("jsonl", used, (), 0, iter(()), _json_lines(text))
    return _read_csv(name, text, used, is_header)


def decode(name: str, data: bytes, declared: str = "auto") -> tuple[str, str]:
    """(text, encoding used). Strict: an undecodable byte is an error, never a ``?``."""
    if declared != "auto":
        codec = "utf-8-sig" if declared in ("utf-8", "utf-8-sig") else declared
        try:
            return data.decode(codec), declared
        except UnicodeDecodeError as err:
            raise _encoding_error(name, data, err, declared.upper()) from None
        except LookupError:  # not a codec, or not a text one (rot13): the caller's mistake
            raise UnknownEncodingError(encoding=declared) from None
    if data.startswith(_UTF8_BOM):
        try:
            return data[len(_UTF8_BOM) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as err:
            err.start += len(_UTF8_BOM)
            raise _encoding_error(name, data, err, "UTF-8") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        # A UTF-8 file cut short ends inside a character: that is not GB18030.
        if utf8_error.start >= len(data) - 3 and utf8_error.reason == "unexpected end of data":
            raise _encoding_error(name, data, utf8_error, "UTF-8") from None
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            raise _encoding_error(name, data, utf8_error, "UTF-8 or GB18030") from None


def _encoding_error(name: str, data: bytes, err: UnicodeDecodeError, what: str) -> EncodingError:
    return EncodingError(file=name, encoding=what, offset=err.start, byte=f"{data[err.start]:02X}")


def _check_lines(name: str, text: str) -> None:
    if len(text) <= MAX_LINE_BYTES // 4:  # a UTF-8 character is at most 4 bytes
        return
    for line, content in enumerate(_LINE_BREAK.split(text), start=1):
        if len(content) > MAX_LINE_BYTES // 4 and len(content.encode("utf-8")) > MAX_LINE_BYTES:
            raise LineTooLongError(file=name, line=line, limit=MAX_LINE_BYTES)


UNCLOSED_QUOTE = "a quoted cell that starts on this line is never closed"


def _csv_rows(name: str, text: str) -> Iterator[list[str]]:
    """The CSV's rows; a row csv cannot parse refuses the file, naming its line.

    csv reads a quote that is never closed as one cell holding the rest of the
    file: that last row, whose last cell spans lines while the file does not
    end in a quote, refuses the file too, naming the line the cell starts on.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    held: list[str] | None = None
    start = held_start = 1
    try:
        for row in reader:
            if held is not None:
                yield held
            held, held_start, start = row, start, reader.line_num + 1
    except csv.Error as err:  # e.g. a cell longer than csv.field_size_limit()
        raise CsvFormatError(file=name, line=reader.line_num, reason=str(err)) from None
    if held is None:
        return
    if held and ("\n" in held[-1] or "\r" in held[-1]) and not text.rstrip().endswith('"'):
        line = held_start + sum(cell.count("\n") for cell in held[:-1])  # where the cell starts
        raise CsvFormatError(file=name, line=line, reason=UNCLOSED_QUOTE)
    yield held


def _find_header(rows: Iterator[list[str]], is_header: HeaderTest) -> tuple[list[list[str]], int]:
    """The first rows read (up to the header, at most HEADER_SCAN_ROWS) and the header's index.

    With no header among them, the first row is taken for it (and the
    mapping then says what it does not recognise).
    """
    top: list[list[str]] = []
    for row in rows:
        top.append(row)
        if is_header(row) or len(top) >= HEADER_SCAN_ROWS:
            break
    return top, next((i for i, row in enumerate(top) if is_header(row)), 0)


def _plain(text: str) -> bool:
    """Whether csv would read ``text`` line by line: no quotes, no line break but CRLF and LF."""
    return '"' not in text and text.count("\r") == text.count("\r\n")


def _read_plain_csv(name: str, text: str, encoding: str, is_header: HeaderTest) -> Table | None:
    """A CSV without quotes: each line is a row, split at its commas (as csv splits it).

    None when a line is longer than csv's cell limit: the csv path then says
    which (no cell of a shorter line can be over it).
    """
    if max(map(len, text.split("\n"))) > csv.field_size_limit():
        return None
    head = text.split("\n", HEADER_SCAN_ROWS)[:HEADER_SCAN_ROWS]
    if head and head[-1] == "" and len(head) < HEADER_SCAN_ROWS:
        head.pop()  # after the last line break
    top, at = _find_header((_plain_cells(line) for line in head), is_header)
    header = tuple(top[at]) if top else ()
    start = sum(len(line) + 1 for line in head[: at + 1])  # where the data rows begin
    if _NOT_BLANK.search(text, start) is None:
        raise NoDataRowsError(file=name)
    return Table("csv", encoding, header, at + 1, _PlainRows(text, start))


_NOT_BLANK = re.compile(r"[^,\s]")


def _plain_cells(line: str) -> list[str]:
    line = line.removesuffix("\r")
    return line.split(",") if line else []  # csv reads an empty line as no cells


class _PlainRows:
    """The data rows of a CSV without quotes, which can be passed over without being split.

    Each checking worker reads the whole file to find its own chunks
    (:mod:`xinyong.ingest.parallel`); :meth:`skip` lets it pass the others'
    chunks at a fraction of the cost of reading them. The lines are split on
    first use, in the process that reads them: a forked worker then touches
    only its own strings, not copies of the parent's pages.
    """

    def __init__(self, text: str, start: int) -> None:
        self._text = text
        self._start = start
        self._lines: list[str] | None = None
        self._at = 0
        self._number = 0

    def __iter__(self) -> _PlainRows:
        return self

    def _split(self) -> list[str]:
        if self._lines is None:
            self._lines = self._text[self._start :].split("\n")
        return self._lines

    def __next__(self) -> tuple[int, Sequence[Cell]]:
        lines, at = self._split(), self._at
        while at < len(lines):
            line = lines[at]
            at += 1
            if line.replace(",", "").strip():  # blank lines are layout, not data
                self._at = at
                self._number += 1
                return self._number, _plain_cells(line)
        self._at = at
        raise StopIteration

    def skip(self, count: int) -> int:
        """Pass over up to ``count`` data rows; how many there were."""
        lines, at, passed = self._split(), self._at, 0
        while passed < count and at < len(lines):
            if lines[at].replace(",", "").strip():
                passed += 1
            at += 1
        self._at = at
        self._number += passed
        return passed


def _read_csv(name: str, text: str, encoding: str, is_header: HeaderTest) -> Table:
    plain = _read_plain_csv(name, text, encoding, is_header) if _plain(text) else None
    if plain is not None:
        return plain
    reader = _csv_rows(name, text)
    top, at = _find_header(reader, is_header)
    header = tuple(top[at]) if top else ()
    pending = top[at + 1 :]

    def rows() -> Iterator[tuple[int, Sequence[Cell]]]:
        number = 0
        for row in itertools.chain(pending, reader):
            if not any(cell.strip() for cell in row):
                continue  # blank lines are layout, not data
            number += 1
            yield number, row

    iterator = rows()
    first = next(iterator, None)
    if first is None:
        raise NoDataRowsError(file=name)
    return Table("csv", encoding, header, at + 1, chain(first, iterator))


def _json_lines(text: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    number = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        number += 1
        try:
            value = json.loads(line)
        except json.JSONDecodeError as err:
            yield number, f"{err.msg} at column {err.colno}"
            continue
        except ValueError:  # an integer longer than CPython's int_max_str_digits
            yield number, "a number has too many digits"
            continue
        except RecursionError:  # nesting deeper than the interpreter's stack: hostile
            yield number, "nested too deeply"
            continue
        yield number, value if isinstance(value, dict) else f"a {type(value).__name__}"
