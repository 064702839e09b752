"""Schema migrations, run by the program itself (``xinyong init``), not by hand.

Owns Alembic's configuration: the scripts live inside the package
(``store/migrations``), so no alembic.ini is needed at run time. Each upgrade
runs in one transaction under the migration lock; on both databases DDL is
transactional, so a failed upgrade leaves the schema as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from xinyong.store.engine import Store, build_engine, mask_url, migration_lock, parse_store_url
from xinyong.store.errors import StoreNotInitialisedError, StoreRevisionUnknownError

SCRIPT_LOCATION = Path(__file__).parent / "migrations"


def config_for(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at the packaged scripts.

    ``connection`` is what ``migrations/env.py`` migrates; it must be inside a
    transaction that the caller commits.
    """
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(config_for())


def head() -> str:
    """The newest revision this version of Xinyong knows."""
    revision = _scripts().get_current_head()
    if revision is None:  # pragma: no cover - the package always ships revisions
        raise RuntimeError(f"no migration scripts in {SCRIPT_LOCATION}")
    return revision


@cache
def revisions() -> frozenset[str]:
    """Every revision this version of Xinyong knows."""
    return frozenset(script.revision for script in _scripts().walk_revisions())


def current_of(conn: Connection) -> str | None:
    """The revision the connected database is at; None when it has no schema."""
    return MigrationContext.configure(conn).get_current_revision()


def current(url: str) -> str | None:
    """The revision of the store at ``url``; None when it has no schema."""
    with Store(build_engine(url)) as store, store.connect(read_only=True) as conn:
        return current_of(conn)


def require_head(conn: Connection, display_url: str) -> None:
    """Raise unless the connected database is exactly at :func:`head`."""
    revision = current_of(conn)
    if revision == head():
        return
    if revision is not None and not _known(revision):
        raise StoreRevisionUnknownError(url=display_url, current=revision)
    raise StoreNotInitialisedError(url=display_url, current=revision or "none", head=head())


def _known(revision: str) -> bool:
    return revision in revisions()


@dataclass(frozen=True)
class Upgrade:
    """What :func:`upgrade` did: ``before`` is None for a new store."""

    url: str
    before: str | None
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def upgrade(url: str) -> Upgrade:
    """Create the schema or bring it to :func:`head`; a store at head is left alone.

    Creates the directory of a SQLite file. Raises
    :class:`StoreRevisionUnknownError` for a store migrated by a newer Xinyong.
    """
    parsed = parse_store_url(url)
    engine = build_engine(parsed, create=True)
    try:
        with engine.begin() as conn:
            migration_lock(conn)
            before = current_of(conn)
            if before is not None and not _known(before):
                raise StoreRevisionUnknownError(url=mask_url(parsed), current=before)
            if before != head():
                command.upgrade(config_for(conn), "head")
            after = current_of(conn)
    finally:
        engine.dispose()
    if after is None:  # pragma: no cover - command.upgrade always stamps
        raise RuntimeError("upgrade left no revision")
    return Upgrade(url=mask_url(parsed), before=before, after=after)
