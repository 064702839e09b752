"""Search of legal persons by part of their name (the portal's search box).

Three characters or more use the name-search index of migration 0005 (FTS5
trigrams on SQLite, pg_trgm on PostgreSQL); two characters, which a trigram
cannot index, scan the names (on SQLite the index's own narrow copy of them)
and stop at the page's end. Natural
persons are not in the index and are excluded from the scan: they cannot be
found by name. Counts stop at :data:`COUNT_CAP` ("more than 1,000").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, column, func, literal_column, select, table

from xinyong.store.tables import SEARCH_TABLE, subject

COUNT_CAP = 1_000
_fts = table(SEARCH_TABLE, column("rowid"), column("name"))
_names = table(f"{SEARCH_TABLE}_content", column("id"), column("c0"))


@dataclass(frozen=True)
class Hit:
    code: str
    name: str
    region_code: str
    status: str
    established_on: date | None


def _pattern(fragment: str) -> str:
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def legal_by_name(
    conn: Connection, fragment: str, *, limit: int, offset: int
) -> tuple[list[Hit], int]:
    """Legal persons whose name contains ``fragment``: a page, shortest names first, and a count."""
    # LIKE's wildcards mean nothing in a name and are dropped, on both databases alike.
    plain = fragment.replace("%", "").replace("_", "")
    if not plain:
        return [], 0
    pattern = _pattern(plain)
    columns = (subject.c.code, subject.c.name, subject.c.region_code, subject.c.status,
               subject.c.established_on)  # fmt: skip
    source: Any
    counted: Any
    if len(plain) >= 3 and conn.dialect.name == "sqlite":
        # Driven from the FTS table (legal persons only), so LIMIT stops the scan early.
        # No ESCAPE clause (none is needed now): with one, FTS5 cannot use its trigram
        # index and scans the whole table.
        source = _fts.join(subject, subject.c.id == _fts.c.rowid)
        where: list[Any] = [_fts.c.name.like(f"%{plain}%")]
        counted = select(literal_column("1")).select_from(_fts).where(*where)
        registration_order: Any = _fts.c.rowid
    elif conn.dialect.name == "sqlite":
        # Too short for trigrams: scan the names the index holds, in its own content
        # table (FTS5's ``%_content``, names of legal persons only), about twenty times
        # narrower than ``subject`` to scan.
        source = _names.join(subject, subject.c.id == _names.c.id)
        where = [func.instr(_names.c.c0, plain) > 0]
        counted = select(literal_column("1")).select_from(_names).where(*where)
        registration_order = _names.c.id
    else:
        match = subject.c.name.ilike(pattern, escape="\\")
        # On PostgreSQL the partial GIN index serves ILIKE under the same predicate.
        source, where = subject, [match, subject.c.subject_kind == "legal"]
        counted = select(literal_column("1")).select_from(subject).where(*where)
        registration_order = subject.c.id
    total = conn.execute(
        select(func.count()).select_from(counted.limit(COUNT_CAP + 1).subquery())
    ).scalar_one()
    # Closest names first (the shortest that contain the fragment) while there are few
    # enough to sort; past the cap, registration order, which needs no sort.
    order = (
        (func.length(subject.c.name), subject.c.name, subject.c.code)
        if total <= COUNT_CAP
        else (registration_order,)
    )
    page = (
        select(*columns).select_from(source).where(*where).order_by(*order)
        .limit(limit).offset(offset)
    )  # fmt: skip
    return [Hit(**row) for row in conn.execute(page).mappings()], int(total)
