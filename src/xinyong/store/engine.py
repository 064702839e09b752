"""Opening the transactional store: SQLite (embedded, WAL) or PostgreSQL.

Every difference between the two databases at run time lives in this module
alone: URL normalisation, connection pragmas, how a transaction begins, read-only
transactions, upserts and the migration lock. The schema itself (``tables.py``)
names its few dialect variants (JSONB, partial-index clauses) declaratively.

Nothing here runs at import time: :func:`open_store` is an explicit factory, and
a :class:`Store` is disposed by whoever opened it. This module never commits.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

from sqlalchemy import Connection, Engine, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import ArgumentError, DatabaseError, DBAPIError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from xinyong.store.errors import (
    InMemoryStoreError,
    StoreNotInitialisedError,
    StoreUnreachableError,
    StoreUrlError,
)

Dialect = Literal["sqlite", "postgresql"]

# Waiting for a writer beats failing at once: SQLite has one writer at a time.
SQLITE_BUSY_TIMEOUT_MS = 5000
_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous=NORMAL",  # safe with WAL: a crash loses at most the last commits
)
_READ_ONLY = "xinyong_read_only"
# pg_advisory_xact_lock key for schema migrations ("xinyong" in ASCII, truncated).
_PG_MIGRATION_LOCK = 0x78696E796F6E67
# ... and for appending to the audit log ("audit" in ASCII); any other fixed key would do.
_PG_AUDIT_LOCK = 0x6175646974


# Chinese text stays readable in the database and half the size. One encoder
# for every value: json.dumps with options builds a new one per call.
_JSON_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _json_dumps(value: Any) -> str:
    return _JSON_ENCODER.encode(value)


def parse_store_url(url: str) -> URL:
    """The URL as SQLAlchemy will use it, or a :class:`StoreUrlError`.

    ``postgresql://`` and ``postgres://`` mean psycopg 3, the only driver installed.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreUrlError(url="<unparseable>") from None
    backend = parsed.get_backend_name()
    if backend in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend == "sqlite":
        if parsed.get_driver_name() != "pysqlite":
            raise StoreUrlError(url=mask_url(parsed))
        if parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory":
            raise InMemoryStoreError(url=mask_url(parsed))
    else:
        raise StoreUrlError(url=mask_url(parsed))
    return parsed


def mask_url(url: URL | str) -> str:
    """The URL with any password replaced by ``***``, for messages and logs."""
    if isinstance(url, str):
        try:
            url = make_url(url)
        except ArgumentError:
            return "<unparseable>"
    return url.render_as_string(hide_password=True)


def dialect_of(url: URL) -> Dialect:
    return "sqlite" if url.get_backend_name() == "sqlite" else "postgresql"


def sqlite_path(url: URL) -> Path | None:
    """The database file of a SQLite URL; None for PostgreSQL."""
    if dialect_of(url) != "sqlite" or url.database is None:
        return None
    return Path(url.database)


def build_engine(url: str | URL, *, create: bool = False) -> Engine:
    """An engine with this project's connection settings; no schema check.

    ``create`` makes the parent directory of a SQLite file (for ``xinyong init``);
    otherwise a missing file is left missing rather than created empty.
    """
    parsed = parse_store_url(url) if isinstance(url, str) else url
    if dialect_of(parsed) == "postgresql":
        return create_engine(parsed, json_serializer=_json_dumps, pool_pre_ping=True)
    path = sqlite_path(parsed)
    if create and path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, json_serializer=_json_dumps)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # The sqlite3 module's own transaction handling skips BEGIN before SELECT,
    # DDL and SAVEPOINT; we take over (see _sqlite_on_begin) so that a unit of
    # work, a migration and a savepoint are real transactions.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    # A writing transaction takes the write lock up front: a deferred one that
    # reads and then writes fails with SQLITE_BUSY, which busy_timeout cannot help.
    # A reading one refuses writes (query_only), as PostgreSQL's read-only does;
    # set at every BEGIN since pooled connections serve both kinds.
    read_only = conn.get_execution_options().get(_READ_ONLY, False)
    conn.exec_driver_sql(f"PRAGMA query_only={int(read_only)}")
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


@contextmanager
def _translated(url: URL) -> Iterator[None]:
    """Turn a failure to reach the database into one clear error."""
    try:
        yield
    except DBAPIError as err:
        if not err.connection_invalidated and not _is_connect_failure(err):
            raise
        reason = str(err.orig).strip().splitlines()[0] if err.orig else type(err).__name__
        raise StoreUnreachableError(url=mask_url(url), reason=reason) from err


def _is_connect_failure(err: DBAPIError) -> bool:
    # Exactly these two (not their subclasses such as IntegrityError): refused
    # connections, unknown databases or roles, a file that is not a SQLite database.
    return type(err) in (OperationalError, DatabaseError)


@dataclass(frozen=True, eq=False)
class Store:
    """An open transactional store: one engine, disposed with :meth:`dispose`."""

    engine: Engine

    @property
    def dialect(self) -> Dialect:
        return dialect_of(self.engine.url)

    @property
    def display_url(self) -> str:
        return mask_url(self.engine.url)

    def connect(self, *, read_only: bool = False) -> Connection:
        """A pooled connection; its transactions are read-only when asked.

        Read-only transactions let SQLite readers run beside the writer and make
        PostgreSQL refuse writes in code paths meant only to read.
        """
        with _translated(self.engine.url):
            conn = self.engine.connect()
        options: dict[str, Any] = {_READ_ONLY: read_only}
        if self.dialect == "postgresql":
            options["postgresql_readonly"] = read_only
        return conn.execution_options(**options)

    def dispose(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.dispose()


def open_store(url: str) -> Store:
    """Open the store at ``url`` for use; its schema must be at the migrations head.

    Raises :class:`StoreUnreachableError` when the database cannot be opened and
    :class:`StoreNotInitialisedError` when it has no schema or an old one (the
    user runs ``xinyong init``). Opening never creates a database or a table.
    """
    # Imported here, not at the top: migrate builds its engines with build_engine.
    from xinyong.store import migrate

    parsed = parse_store_url(url)
    path = sqlite_path(parsed)
    if path is not None and not path.exists():
        # Connecting would create an empty file: report, do not create.
        raise StoreNotInitialisedError(url=mask_url(parsed), current="none", head=migrate.head())
    store = Store(build_engine(parsed))
    try:
        with store.connect(read_only=True) as conn, _translated(parsed):
            migrate.require_head(conn, mask_url(parsed))
    except BaseException:
        store.dispose()
        raise
    return store


def migration_lock(conn: Connection) -> None:
    """Serialise schema migrations between processes for the current transaction.

    SQLite's ``BEGIN IMMEDIATE`` already holds the only write lock; PostgreSQL
    needs an advisory lock so that two ``xinyong init`` runs do not both create.
    """
    _advisory_xact_lock(conn, _PG_MIGRATION_LOCK)


def audit_lock(conn: Connection) -> None:
    """Serialise appenders to the audit log until the current transaction ends.

    Each appender reads the newest link and writes the next seq; two doing so at
    once would pick the same seq. SQLite's writing transactions (``BEGIN
    IMMEDIATE``) already hold the only write lock. On PostgreSQL an advisory
    transaction lock makes the second appender wait for the first to commit or
    roll back; under READ COMMITTED its next statement then sees the new link.
    """
    _advisory_xact_lock(conn, _PG_AUDIT_LOCK)


def _advisory_xact_lock(conn: Connection, key: int) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def upsert(
    conn: Connection,
    table: Table,
    values: Mapping[str, Any],
    *,
    key: Sequence[str],
    update: Sequence[str],
) -> Any:
    """Insert ``values`` or, when a row with the same ``key`` exists, update ``update``.

    Returns the row's primary key (the first primary-key column). Both databases
    spell this ``INSERT … ON CONFLICT … DO UPDATE … RETURNING``; SQLAlchemy keeps
    one construct per dialect, chosen here.
    """
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(table).values(dict(values))
    changes = {name: stmt.excluded[name] for name in update}
    pk = next(iter(table.primary_key.columns))
    statement = (
        stmt.on_conflict_do_update(index_elements=list(key), set_=changes)
        if changes
        else stmt.on_conflict_do_nothing(index_elements=list(key))
    )
    result = conn.execute(statement.returning(pk)).scalar_one_or_none()
    if result is None:  # DO NOTHING on an existing row returns nothing
        where = [table.c[name] == values[name] for name in key]
        result = conn.execute(table.select().with_only_columns(pk).where(*where)).scalar_one()
    return result
