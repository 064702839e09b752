"""Shared fixtures: an empty and a migrated store on SQLite and on PostgreSQL.

``store_url`` is parametrised over ``sqlite`` (a file in the test's tmp_path;
the engine puts it in WAL mode) and ``postgresql`` (marked ``pg``). Each
PostgreSQL test gets its own schema in the server that ``scripts/test.sh``
starts: ``CREATE SCHEMA``, a URL whose ``options=-csearch_path=<schema>``
makes every connection use it, and ``DROP SCHEMA … CASCADE`` afterwards. So
tests never see each other's rows, whatever the code under test commits.
Without ``XINYONG_TEST_DATABASE_URL`` the PostgreSQL tests fail (never skip):
run ``make test`` or ``scripts/test.sh``, or deselect them with ``-m "not pg"``.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from xinyong.config import Settings
from xinyong.store import migrate
from xinyong.store.engine import Store, open_store

PG_URL_VARIABLE = "XINYONG_TEST_DATABASE_URL"
_schemas = itertools.count()


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
    """An autocommit engine on the test server's database, to create and drop schemas."""
    url = os.environ.get(PG_URL_VARIABLE)
    if not url:
        pytest.fail(
            f"{PG_URL_VARIABLE} is not set, so the PostgreSQL tests cannot run. Run the "
            "suite with `make test` or `scripts/test.sh [pytest args]`, which start a "
            "PostgreSQL server and set it; to leave PostgreSQL out, pass -m 'not pg'.",
            pytrace=False,
        )
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty store (no schema) on each database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    admin: Engine = request.getfixturevalue("pg_admin")
    schema = f"t_{os.getpid()}_{next(_schemas)}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = make_url(os.environ[PG_URL_VARIABLE]).update_query_dict(
        {"options": f"-csearch_path={schema}"}
    )
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        # A connection leaked by a test would make DROP wait for ever: fail instead.
        conn.exec_driver_sql("SET lock_timeout = '5s'")
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A store migrated to the head revision, disposed after the test."""
    migrate.upgrade(store_url)
    opened = open_store(store_url)
    yield opened
    opened.dispose()


@pytest.fixture
def settings(tmp_path: Path, store_url: str) -> Settings:
    return Settings(data_dir=tmp_path, database_url=store_url)


@pytest.fixture
def now() -> datetime:
    """A fixed moment (time is an argument, never read from the clock in tests)."""
    return datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
