"""Alembic environment for the transactional store.

Runs only through :mod:`xinyong.store.migrate`, which hands over an open
connection inside a transaction (and the migration lock); there is no
alembic.ini and no offline (``--sql``) mode. It must not commit: the caller does.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from xinyong.store.tables import metadata

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run migrations through xinyong.store.migrate (xinyong init)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things: later revisions use batch operations,
    # which on PostgreSQL are plain ALTERs.
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
