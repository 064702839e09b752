"""Search of legal persons by part of their name (the portal's search box).

Three characters or more use the name-search index of migration 0005 (FTS5
trigrams on SQLite, pg_trgm on PostgreSQL); one or two characters, which a
trigram cannot index, scan the names and stop at the page's end. Natural
persons are not in the index and are excluded from the scan: they cannot be
found by name. Counts stop at :data:`COUNT_CAP` ("more than 1,000").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Select, column, func, literal_column, select, table

from xinyong.store.tables import SEARCH_TABLE, subject

COUNT_CAP = 1_000
_fts = table(SEARCH_TABLE, column("rowid"), column("name"))


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
    pattern = _pattern(fragment)
    columns = (subject.c.code, subject.c.name, subject.c.region_code, subject.c.status,
               subject.c.established_on)  # fmt: skip
    legal = subject.c.subject_kind == "legal"
    if len(fragment) >= 3 and conn.dialect.name == "sqlite":
        matched = select(_fts.c.rowid).where(_fts.c.name.like(pattern, escape="\\"))
        where = [subject.c.id.in_(matched), legal]
    elif conn.dialect.name == "sqlite":
        where = [subject.c.name.like(pattern, escape="\\"), legal]
    else:  # PostgreSQL: the partial GIN index serves ILIKE with the same predicate
        where = [subject.c.name.ilike(pattern, escape="\\"), legal]
    capped: Select[tuple[int]] = select(literal_column("1")).select_from(subject).where(*where)
    total = conn.execute(
        select(func.count()).select_from(capped.limit(COUNT_CAP + 1).subquery())
    ).scalar_one()
    # Closest names first (the shortest that contain the fragment) while there are few
    # enough to sort; past the cap, registration order, which needs no sort.
    order = (
        (func.length(subject.c.name), subject.c.name, subject.c.code)
        if total <= COUNT_CAP
        else (subject.c.id,)
    )
    page = select(*columns).where(*where).order_by(*order).limit(limit).offset(offset)
    return [Hit(**row) for row in conn.execute(page).mappings()], int(total)
