"""Bulk queries of collection: many subjects and records per round trip.

An ingest applies tens of thousands of rows per batch; one statement per row
would spend its time in round trips. These functions take and return many
at once, in chunks that fit any database's parameter limit. They run in the
caller's transaction (the batch's), so a batch still applies whole or not at
all; they never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Boolean, Connection, Date, Table, select, text
from sqlalchemy.exc import DBAPIError

from xinyong.store.tables import UtcDateTime, record, subject

CHUNK = 500
"""Keys per IN list: well under SQLite's 32,766 bound parameters and PostgreSQL's 65,535."""


def _chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


# On PostgreSQL the lookups below are a LATERAL join over the wanted keys, one
# equality probe of the unique index per key. The obvious ``IN (…)`` is planned
# from statistics, and during a large first batch those describe a table that
# was empty when last analysed: the planner then probes the partial index on
# (jurisdiction, department) alone and filters the document numbers, reading
# every record of the department for every chunk (quadratic: 16 s of a 32 s
# ingest of 100,000 rows). ``OFFSET 0`` keeps the subquery from being pulled up
# into a plain join (which the same statistics plan the same way), so it runs
# once per key with an equality on every column of the unique index.
_PG_SUBJECT_FACTS = text(
    "SELECT s.code, s.subject_kind, s.established_on"
    " FROM unnest(CAST(:codes AS text[])) AS wanted(code)"
    " CROSS JOIN LATERAL (SELECT code, subject_kind, established_on FROM subject"
    " WHERE subject.code = wanted.code OFFSET 0) AS s"
).columns(subject.c.code, subject.c.subject_kind, subject.c.established_on)
_PG_CURRENT_BY_DOCUMENT = text(
    "SELECT wanted.number, r.record_id, r.content_hash, r.status"
    " FROM unnest(CAST(:numbers AS text[])) AS wanted(number)"
    " CROSS JOIN LATERAL (SELECT record_id, content_hash, status FROM record"
    " WHERE jurisdiction = :jurisdiction AND department = :department"
    " AND document_number = wanted.number AND is_current OFFSET 0) AS r"
)


def subject_facts(conn: Connection, codes: Iterable[str]) -> dict[str, tuple[str, date | None]]:
    """code → (subject kind, established on) for the codes that are registered."""
    wanted = sorted(set(codes))
    found: dict[str, tuple[str, date | None]] = {}
    if conn.dialect.name == "postgresql":
        if wanted:
            for code, kind, established in conn.execute(_PG_SUBJECT_FACTS, {"codes": wanted}):
                found[code] = (kind, established)
        return found
    for part in _chunks(wanted):
        rows = conn.execute(
            select(subject.c.code, subject.c.subject_kind, subject.c.established_on).where(
                subject.c.code.in_(part)
            )
        )
        for code, kind, established in rows:
            found[code] = (kind, established)
    return found


_SUBJECT_COLUMNS = tuple(column.name for column in subject.columns if column.name != "id")
# Every column but the key and created_at, which keeps the first registration's time.
_SUBJECT_UPDATES = ", ".join(
    f"{name} = excluded.{name}" for name in _SUBJECT_COLUMNS if name not in ("code", "created_at")
)


def _upsert_subject_sql(mark: str) -> str:
    return (
        f"INSERT INTO subject ({', '.join(_SUBJECT_COLUMNS)})"
        f" VALUES ({', '.join(mark for _ in _SUBJECT_COLUMNS)})"
        f" ON CONFLICT (code) DO UPDATE SET {_SUBJECT_UPDATES}"
    )


_SQLITE_UPSERT_SUBJECT = _upsert_subject_sql("?")
# PostgreSQL: one statement per chunk, the rows as one array per column.
_PG_ARRAY_TYPES = {
    "established_on": "date[]",
    "created_at": "timestamptz[]",
    "updated_at": "timestamptz[]",
}
_PG_UPSERT_SUBJECT = (
    f"INSERT INTO subject ({', '.join(_SUBJECT_COLUMNS)})"
    " SELECT * FROM unnest("
    + ", ".join(f"%s::{_PG_ARRAY_TYPES.get(name, 'text[]')}" for name in _SUBJECT_COLUMNS)
    + f") ON CONFLICT (code) DO UPDATE SET {_SUBJECT_UPDATES}"
)


def upsert_subjects(conn: Connection, rows: Sequence[dict[str, Any]], now: datetime) -> None:
    """Insert or update many subjects (registration records); ``created_at`` keeps the first.

    One ``executemany`` on the DBAPI connection (psycopg pipelines it), like
    :func:`insert_records` and for the same reason; ``rows`` must not repeat
    a code.
    """
    if not rows:
        return
    values = [{**row, "created_at": now, "updated_at": now} for row in rows]
    tuples = _dbapi_values(conn, subject, _SUBJECT_COLUMNS, values)
    if conn.dialect.name == "postgresql":
        _write(
            conn,
            _PG_UPSERT_SUBJECT,
            [tuple(list(c) for c in zip(*tuples, strict=True))],
            copy=False,
        )
    else:
        _write(conn, _SQLITE_UPSERT_SUBJECT, tuples, copy=False)


def current_by_document(
    conn: Connection, jurisdiction: str, department: str, numbers: Iterable[str]
) -> dict[str, tuple[str, str, str]]:
    """document number → (record id, content hash, status) of the department's current records."""
    wanted = sorted(set(numbers))
    found: dict[str, tuple[str, str, str]] = {}
    if conn.dialect.name == "postgresql":
        if wanted:
            params = {"numbers": wanted, "jurisdiction": jurisdiction, "department": department}
            for number, record_id, digest, status in conn.execute(_PG_CURRENT_BY_DOCUMENT, params):
                found[number] = (record_id, digest, status)
        return found
    for part in _chunks(wanted):
        rows = conn.execute(
            select(
                record.c.document_number, record.c.record_id, record.c.content_hash, record.c.status
            ).where(
                record.c.jurisdiction == jurisdiction,
                record.c.department == department,
                record.c.document_number.in_(part),
                record.c.is_current,
            )
        )
        for number, record_id, digest, status in rows:
            found[number] = (record_id, digest, status)
    return found


_RECORD_COLUMNS = tuple(column.name for column in record.columns)
_SQLITE_INSERT_RECORD = (
    f"INSERT INTO record ({', '.join(_RECORD_COLUMNS)})"
    f" VALUES ({', '.join('?' for _ in _RECORD_COLUMNS)})"
)
_PG_COPY_RECORD = f"COPY record ({', '.join(_RECORD_COLUMNS)}) FROM STDIN"


def insert_records(conn: Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Insert many version-1 records (every column given) in the caller's transaction.

    The bulk path of an ingest, so it bypasses SQLAlchemy's per-row statement
    machinery (a third of an ingest's time): PostgreSQL gets one ``COPY …
    FROM STDIN`` through psycopg, SQLite one ``executemany`` of a pre-built
    INSERT. Returns how many rows were inserted.
    """
    if not rows:
        return 0
    postgres = conn.dialect.name == "postgresql"
    statement = _PG_COPY_RECORD if postgres else _SQLITE_INSERT_RECORD
    _write(conn, statement, _dbapi_values(conn, record, _RECORD_COLUMNS, rows), copy=postgres)
    return len(rows)


# --- the DBAPI path of bulk writes ---------------------------------------------------


def _write(conn: Connection, statement: str, values: list[tuple[Any, ...]], *, copy: bool) -> None:
    """Run ``statement`` for every row of ``values`` on the connection's DBAPI connection.

    So inside the caller's transaction, like any statement of ``conn``. Driver
    errors are raised as SQLAlchemy's (IntegrityError …), as ``conn.execute``
    would raise them.
    """
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None  # a connection in a transaction holds its DBAPI connection
    error = conn.dialect.loaded_dbapi.Error
    cursor = dbapi.cursor()
    try:
        if copy:
            with cursor.copy(statement) as stream:
                for value in values:
                    stream.write_row(value)
        else:
            cursor.executemany(statement, values)
    except error as err:
        raise DBAPIError.instance(statement, None, err, error, dialect=conn.dialect) from err
    finally:
        cursor.close()


def _dbapi_values(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[dict[str, Any]]
) -> list[tuple[Any, ...]]:
    """Rows as tuples in ``columns`` order, each value as SQLAlchemy would bind it.

    The dialect's bind processors of the table's column types do the
    converting (dates and UTC timestamps to SQLite's text, JSON with the
    engine's serialiser, booleans), so what is stored is what ``conn.execute``
    would have stored. A batch repeats few distinct dates and one timestamp:
    converted dates, timestamps and booleans are memoised for the call.
    """
    dialect = conn.dialect
    converters: list[tuple[int, Any, dict[Any, Any] | None]] = []
    for index, name in enumerate(columns):
        column_type = table.c[name].type
        processor = column_type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            # Equal values convert alike for these (a UtcDateTime by its instant).
            memo: dict[Any, Any] | None = None
            if isinstance(column_type, Date | Boolean | UtcDateTime):
                memo = {}
            converters.append((index, processor, memo))
    pick = itemgetter(*columns)  # a tuple of values in C; tables here have many columns
    out: list[tuple[Any, ...]] = []
    for row in rows:
        value = list(pick(row))
        for index, processor, memo in converters:
            given = value[index]
            if memo is None:
                value[index] = processor(given)
            else:
                done = memo.get(given, _MISSING)
                if done is _MISSING:
                    done = memo[given] = processor(given)
                value[index] = done
        out.append(tuple(value))
    return out


_MISSING = object()
