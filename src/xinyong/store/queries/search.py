"""Search of legal persons by part of their name (the portal's search box).

The names live in a structure of their own (migrations 0005 and 0007):
on SQLite an FTS5 trigram table, whose content table holds the names; on
PostgreSQL a table of ids and names with a pg_trgm GIN index. Three
characters or more use the trigram index; two characters, which a trigram
cannot index, scan those narrow names (exact characters, as ``instr`` and
``strpos`` compare). Natural persons are not in it at all: they cannot be
found by name.

One read fetches up to :data:`COUNT_CAP` + 1 matches (id and name only).
Within the cap the page is the closest names first (the shortest that
contain the fragment), sorted here; past it the count says "more than
1,000" and the page is in registration order, which stops at the page's
end. Only the page's subjects are then read from ``subject``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, column, func, select, table

from xinyong.store.tables import SEARCH_TABLE, subject

COUNT_CAP = 1_000
_fts = table(SEARCH_TABLE, column("rowid"), column("name"))  # SQLite, three characters and more
_fts_names = table(f"{SEARCH_TABLE}_content", column("id"), column("c0"))  # SQLite, two
_pg_names = table(SEARCH_TABLE, column("id"), column("name"))  # PostgreSQL


@dataclass(frozen=True)
class Hit:
    code: str
    name: str
    region_code: str
    status: str
    established_on: date | None


def _matches(conn: Connection, plain: str) -> tuple[Any, Any, Any]:
    """The names' id and name columns, and the condition that they contain ``plain``."""
    if conn.dialect.name == "sqlite":
        if len(plain) >= 3:
            # No ESCAPE clause (none is needed: wildcards were dropped). With one,
            # FTS5 cannot use its trigram index and scans the whole table.
            return _fts.c.rowid, _fts.c.name, _fts.c.name.like(f"%{plain}%")
        return _fts_names.c.id, _fts_names.c.c0, func.instr(_fts_names.c.c0, plain) > 0
    if len(plain) >= 3:
        escaped = plain.replace("\\", "\\\\")
        return _pg_names.c.id, _pg_names.c.name, _pg_names.c.name.ilike(f"%{escaped}%")
    # strpos, not ILIKE: the planner would take the GIN index, which for two
    # characters has no trigram to look up and reads all of itself.
    return _pg_names.c.id, _pg_names.c.name, func.strpos(_pg_names.c.name, plain) > 0


def legal_by_name(
    conn: Connection, fragment: str, *, limit: int, offset: int
) -> tuple[list[Hit], int]:
    """Legal persons whose name contains ``fragment``: a page, and a count up to the cap + 1."""
    # LIKE's wildcards mean nothing in a name and are dropped, on both databases alike.
    plain = fragment.replace("%", "").replace("_", "")
    if not plain:
        return [], 0
    ident, name, where = _matches(conn, plain)
    found = conn.execute(select(ident, name).where(where).limit(COUNT_CAP + 1)).all()
    if len(found) <= COUNT_CAP:
        closest = sorted(found, key=lambda row: (len(row[1]), row[1], row[0]))
        ids = [row[0] for row in closest[offset : offset + limit]]
    else:
        page = select(ident).where(where).order_by(ident).limit(limit).offset(offset)
        ids = list(conn.execute(page).scalars())
    columns = (subject.c.id, subject.c.code, subject.c.name, subject.c.region_code,
               subject.c.status, subject.c.established_on)  # fmt: skip
    hits = {
        row.id: Hit(row.code, row.name, row.region_code, row.status, row.established_on)
        for row in conn.execute(select(*columns).where(subject.c.id.in_(ids)))
    }
    return [hits[i] for i in ids], len(found)
