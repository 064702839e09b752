"""Name search on PostgreSQL from a narrow table of legal persons' names, as on SQLite.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

0005 put a partial pg_trgm index on ``subject`` itself. Measured at 1,000,000
subjects (benchmarks/portal.py), that misses the search goal: two-character
queries, which trigrams cannot serve, scan the wide ``subject`` rows, and
past 1,000 matches the page in registration order walks ``subject``'s
primary key past every natural person. A table of the legal persons' ids and
names alone (about a seventh of ``subject``'s size) is what SQLite's FTS
table already gives: the trigram index moves onto it, and statement triggers
on insert, update and delete keep it exact. SQLite is unchanged. Never edit this
after release; add a revision.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UPGRADE = [
    # No foreign key: its check would cost a look-up per registered company (measured
    # in benchmarks/ingest.py); the delete trigger below keeps the table exact instead.
    "CREATE TABLE subject_name_search (id BIGINT PRIMARY KEY, name TEXT NOT NULL)",
    "INSERT INTO subject_name_search (id, name) "
    "SELECT id, name FROM subject WHERE subject_kind = 'legal'",
    "CREATE INDEX ix_subject_name_search_trgm ON subject_name_search USING gin (name gin_trgm_ops)",
    # Statement triggers over transition tables: ingest upserts a department's
    # subjects in one statement, and one set-wise insert beats a call per row.
    """CREATE FUNCTION subject_name_search_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO subject_name_search (id, name)
        SELECT id, name FROM inserted WHERE subject_kind = 'legal';
        RETURN NULL;
    END $$""",
    # An upsert that re-registers a company sets its name again: only a change counts.
    """CREATE FUNCTION subject_name_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE subject_name_search AS s SET name = n.name
        FROM updated AS n JOIN replaced AS o ON o.id = n.id
        WHERE s.id = n.id AND o.name IS DISTINCT FROM n.name;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION subject_name_search_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM subject_name_search AS s USING removed AS r WHERE s.id = r.id;
        RETURN NULL;
    END $$""",
    "CREATE TRIGGER subject_name_search_insert AFTER INSERT ON subject "
    "REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT "
    "EXECUTE FUNCTION subject_name_search_insert()",
    "CREATE TRIGGER subject_name_search_update AFTER UPDATE ON subject "
    "REFERENCING OLD TABLE AS replaced NEW TABLE AS updated FOR EACH STATEMENT "
    "EXECUTE FUNCTION subject_name_search_update()",
    "CREATE TRIGGER subject_name_search_delete AFTER DELETE ON subject "
    "REFERENCING OLD TABLE AS removed FOR EACH STATEMENT "
    "EXECUTE FUNCTION subject_name_search_delete()",
    "DROP INDEX ix_subject_name_trgm",
]
_DOWNGRADE = [
    "DROP TRIGGER subject_name_search_delete ON subject",
    "DROP TRIGGER subject_name_search_update ON subject",
    "DROP TRIGGER subject_name_search_insert ON subject",
    "DROP FUNCTION subject_name_search_delete()",
    "DROP FUNCTION subject_name_search_update()",
    "DROP FUNCTION subject_name_search_insert()",
    "DROP TABLE subject_name_search",
    "CREATE INDEX ix_subject_name_trgm ON subject USING gin (name gin_trgm_ops) "
    "WHERE subject_kind = 'legal'",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in _UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in _DOWNGRADE:
            op.execute(statement)
