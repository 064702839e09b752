"""Rows in the form the bulk writes send them, made wherever the rows are made.

An ingest's records and subjects go to the database in bulk (see
:mod:`xinyong.store.queries.ingest`): on PostgreSQL as ``COPY … FROM STDIN``
text lines, on SQLite as ``executemany`` parameter tuples.
Turning a row of Python values into that form costs as much per row as
writing it, and needs nothing but the dialect, so it is done where the row is
checked — in a worker process for a large file (:mod:`xinyong.ingest.parallel`)
— and the process that holds the batch's transaction only sends what it is
handed. An :class:`Encoder` is built from the dialect before the workers fork.

What is stored is exactly what ``conn.execute(insert(…))`` would store: the
SQLite form comes from the dialect's own bind processors of each column's
type, and the PostgreSQL text form is PostgreSQL's documented COPY text
format of the same values (the tests compare both with SQLAlchemy's inserts).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Dialect, Table

from xinyong.store.tables import UtcDateTime, record, subject

Encoded = str | tuple[Any, ...]
"""A row as a bulk write sends it: a COPY text line (PostgreSQL) or a tuple (SQLite)."""

RECORD_COLUMNS = tuple(column.name for column in record.columns)
SUBJECT_COLUMNS = tuple(column.name for column in subject.columns if column.name != "id")

# COPY's text format: backslash escapes for the backslash itself and for the
# characters that end a field or a line; NULL is \N.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"
_MISSING = object()


class Encoder:
    """Encodes records and subjects for one dialect's bulk writes (no I/O: safe in a fork)."""

    def __init__(self, dialect: Dialect) -> None:
        self.postgres = dialect.name == "postgresql"
        # The engine's json_serializer, which SQLAlchemy keeps on the dialect.
        serialise: Callable[[Any], str] = getattr(dialect, "_json_serializer", None) or json.dumps
        if self.postgres:
            self._record_line = _CopyLine(record, RECORD_COLUMNS, serialise)
            self._subject_line = _CopyLine(subject, SUBJECT_COLUMNS, serialise)
        else:
            self._record_binds = _binds(dialect, record, RECORD_COLUMNS)
            self._subject_binds = _binds(dialect, subject, SUBJECT_COLUMNS)

    def record(self, row: Mapping[str, Any]) -> Encoded:
        """A record (every column of ``record``) as :func:`~.ingest.insert_encoded_records` takes it."""
        if self.postgres:
            return self._record_line(row)
        return _bound(row, self._record_binds)

    def subject(self, row: Mapping[str, Any]) -> Encoded:
        """A subject (every column but ``id``) as :func:`~.ingest.upsert_encoded_subjects` takes it."""
        if self.postgres:
            return self._subject_line(row)
        return _bound(row, self._subject_binds)


# --- PostgreSQL: COPY text lines -----------------------------------------------------


class _CopyLine:
    """A row of ``table`` as one line of COPY's text format.

    Built for speed (it runs once per record): the values are taken in one
    C call, text is kept as it is, and escaping is skipped for the usual line,
    in which no value holds a backslash, tab or line break.
    """

    def __init__(self, table: Table, columns: Sequence[str], serialise: Callable[[Any], str]):
        self._pick = itemgetter(*columns)
        self._fields = len(columns)
        self._json = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, JSON)]
        self._serialise = serialise

    def __call__(self, row: Mapping[str, Any]) -> str:
        values = list(self._pick(row))
        for index in self._json:  # JSONB on PostgreSQL is a variant of JSON
            if values[index] is not None:
                values[index] = self._serialise(values[index])
        texts = [
            value
            if value.__class__ is str
            else _NULL
            if value is None
            else _AS_TEXT.get(value.__class__, str)(value)
            for value in values
        ]
        line = "\t".join(texts)
        plain = (
            line.count("\t") == self._fields - 1
            and line.count("\\") == values.count(None)  # the backslashes of \N alone
            and _LINE_BREAK.search(line) is None
        )
        if not plain:
            line = "\t".join(
                _NULL if value is None else text.translate(_COPY_ESCAPES)
                for value, text in zip(values, texts, strict=True)
            )
        return line + "\n"


_LINE_BREAK = re.compile("[\n\r]")


@lru_cache(maxsize=256)  # a batch stamps every row with the same few instants
def _utc_text(value: datetime) -> str:
    if value.tzinfo is None or value.utcoffset() is None:  # as UtcDateTime refuses it
        raise ValueError(f"naive datetime {value.isoformat()} given; pass an aware one")
    return value.astimezone(UTC).isoformat()


def _bool_text(value: bool) -> str:
    return "t" if value else "f"


# What is not text, as PostgreSQL reads it (anything else prints as it reads: int, Decimal).
_AS_TEXT: dict[type, Callable[[Any], str]] = {
    bool: _bool_text,
    date: date.isoformat,
    datetime: _utc_text,
}


# --- SQLite: the dialect's bind processors ---------------------------------------------


def _binds(
    dialect: Dialect, table: Table, columns: Sequence[str]
) -> list[tuple[str, Callable[[Any], Any] | None, dict[Any, Any] | None]]:
    """(column, bind processor or None, memo or None) for each column.

    A batch repeats few distinct dates and one timestamp: converted dates,
    timestamps and booleans are memoised (equal values convert alike for these,
    a UtcDateTime by its instant).
    """
    binds: list[tuple[str, Callable[[Any], Any] | None, dict[Any, Any] | None]] = []
    for name in columns:
        column_type = table.c[name].type
        processor = column_type.dialect_impl(dialect).bind_processor(dialect)
        memo: dict[Any, Any] | None = None
        if processor is not None and isinstance(column_type, Date | Boolean | UtcDateTime):
            memo = {}
        binds.append((name, processor, memo))
    return binds


def _bound(
    row: Mapping[str, Any],
    binds: list[tuple[str, Callable[[Any], Any] | None, dict[Any, Any] | None]],
) -> tuple[Any, ...]:
    values = []
    for name, processor, memo in binds:
        given = row[name]
        if processor is None:
            values.append(given)
        elif memo is None:
            values.append(processor(given))
        else:
            done = memo.get(given, _MISSING)
            if done is _MISSING:
                done = memo[given] = processor(given)
            values.append(done)
    return tuple(values)
