"""Opening the store: SQLite settings, clear errors instead of driver tracebacks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from xinyong.errors import XinyongError
from xinyong.store import migrate
from xinyong.store.engine import Store, mask_url, open_store, parse_store_url
from xinyong.store.errors import (
    InMemoryStoreError,
    StoreNotInitialisedError,
    StoreRevisionUnknownError,
    StoreUnreachableError,
    StoreUrlError,
)
from xinyong.store.tables import jurisdiction
from xinyong.store.uow import UnitOfWork


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wal.db'}"
    migrate.upgrade(url)
    with open_store(url) as store, store.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_foreign_keys_are_enforced(store: Store) -> None:
    row = {"code": "rongcheng", "name_zh": "榕城", "name_en": "Rongcheng", "level": "city"}
    with UnitOfWork(store) as uow, pytest.raises(DBAPIError):
        uow.connection.execute(insert(jurisdiction).values({**row, "parent_code": "nowhere"}))


def test_a_missing_sqlite_file_is_not_initialised_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "absent" / "xinyong.db"
    with pytest.raises(StoreNotInitialisedError) as caught:
        open_store(f"sqlite:///{path}")
    assert "xinyong init" in str(caught.value)
    assert not path.exists()
    assert not path.parent.exists()


def test_an_empty_database_is_not_initialised(store_url: str) -> None:
    if store_url.startswith("sqlite"):
        Path(make_url(store_url).database or "").touch()
    with pytest.raises(StoreNotInitialisedError) as caught:
        open_store(store_url)
    assert caught.value.code == "store-not-initialised"
    assert caught.value.fields["current"] == "none"
    assert caught.value.fields["head"] == migrate.head()
    assert "run `xinyong init`" in caught.value.render()


def test_a_store_migrated_by_a_newer_version_is_refused(store: Store, store_url: str) -> None:
    with UnitOfWork(store) as uow:
        uow.connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        uow.commit()
    with pytest.raises(StoreRevisionUnknownError) as caught:
        open_store(store_url)
    assert "9999" in caught.value.render()
    with pytest.raises(StoreRevisionUnknownError):
        migrate.upgrade(store_url)


def test_a_file_that_is_not_a_database_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "not-a.db"
    path.write_bytes(b"this is a spreadsheet, not a database" * 100)
    with pytest.raises(StoreUnreachableError) as caught:
        open_store(f"sqlite:///{path}")
    assert "not a database" in caught.value.render()
    assert isinstance(caught.value.__cause__, DBAPIError)


@pytest.mark.pg
def test_an_unreachable_server_is_a_clean_error_without_the_password() -> None:
    url = "postgresql+psycopg://xinyong:s3cret@127.0.0.1:1/xinyong"
    with pytest.raises(StoreUnreachableError) as caught:
        open_store(url)
    message = caught.value.render()
    assert "s3cret" not in message
    assert "127.0.0.1:1" in message
    assert "XINYONG_DATABASE_URL" in message


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("sqlite://", InMemoryStoreError),
        ("sqlite:///:memory:", InMemoryStoreError),
        ("mysql://user@host/db", StoreUrlError),
        ("not a url at all", StoreUrlError),
    ],
)
def test_unusable_urls_are_refused(url: str, error: type[XinyongError]) -> None:
    with pytest.raises(error):
        parse_store_url(url)


def test_plain_postgresql_urls_mean_psycopg() -> None:
    assert parse_store_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert parse_store_url("postgres://u@h/db").drivername == "postgresql+psycopg"


def test_mask_url_hides_only_the_password() -> None:
    assert mask_url("postgresql+psycopg://ops:hunter2@db:5432/x") == (
        "postgresql+psycopg://ops:***@db:5432/x"
    )


def test_read_only_units_of_work_cannot_write(store: Store) -> None:
    row = {"code": "national", "name_zh": "全国", "name_en": "National", "level": "national"}
    with UnitOfWork(store, read_only=True) as uow, pytest.raises(DBAPIError):
        uow.connection.execute(insert(jurisdiction).values(row))
    # ... and a writing unit of work on the same pooled connection still can.
    with UnitOfWork(store) as uow:
        uow.connection.execute(insert(jurisdiction).values(row))
        uow.commit()


def test_the_pg_fixture_isolates_each_test_in_its_own_schema(store: Store) -> None:
    if store.dialect != "postgresql":
        assert store.display_url.endswith("store.db")
        return
    with store.connect() as conn:
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
    assert schema is not None
    assert schema.startswith(f"t_{os.getpid()}_")
