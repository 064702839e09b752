"""Search of legal persons by part of their name: FTS5 trigrams (SQLite), pg_trgm (PostgreSQL).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Natural persons are never indexed: the portal must not find a person by
name (PRODUCT.md), and what is not indexed cannot be found. The structures
are specific to each database, so they live outside ``tables.metadata``
(see ``tables.SEARCH_TABLES``). Never edit this after release; add a revision.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE = [
    # A table of its own (not external content), holding legal persons' names only.
    "CREATE VIRTUAL TABLE subject_name_search USING fts5(name, tokenize = 'trigram')",
    "INSERT INTO subject_name_search (rowid, name) "
    "SELECT id, name FROM subject WHERE subject_kind = 'legal'",
    "CREATE TRIGGER subject_name_search_insert AFTER INSERT ON subject "
    "WHEN new.subject_kind = 'legal' BEGIN "
    "INSERT INTO subject_name_search (rowid, name) VALUES (new.id, new.name); END",
    "CREATE TRIGGER subject_name_search_update AFTER UPDATE OF name ON subject "
    "WHEN new.subject_kind = 'legal' BEGIN "
    "UPDATE subject_name_search SET name = new.name WHERE rowid = new.id; END",
    "CREATE TRIGGER subject_name_search_delete AFTER DELETE ON subject "
    "WHEN old.subject_kind = 'legal' BEGIN "
    "DELETE FROM subject_name_search WHERE rowid = old.id; END",
]
_POSTGRESQL = [
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_subject_name_trgm ON subject USING gin (name gin_trgm_ops) "
    "WHERE subject_kind = 'legal'",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in _SQLITE if dialect == "sqlite" else _POSTGRESQL:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS subject_name_search_{trigger}")
        op.execute("DROP TABLE IF EXISTS subject_name_search")
    else:
        op.execute("DROP INDEX IF EXISTS ix_subject_name_trgm")
