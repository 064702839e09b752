"""Queries on reference data: jurisdictions, departments and the code allowlist.

Jurisdictions and departments come from policy packs (written by ``xinyong
init``); the allowlist holds registry-issued codes that fail the check digit
but are legal. Runs in the caller's transaction; never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, select

from xinyong.store.engine import upsert
from xinyong.store.tables import code_allowlist, department, jurisdiction


@dataclass(frozen=True)
class JurisdictionRow:
    code: str
    name_zh: str
    name_en: str
    level: str
    parent_code: str | None = None
    region_code: str | None = None
    pack_version: str | None = None


@dataclass(frozen=True)
class DepartmentRow:
    jurisdiction_code: str
    code: str
    name_zh: str
    name_en: str
    uscc: str | None = None


@dataclass(frozen=True)
class AllowlistEntry:
    code: str
    reason: str
    added_by: str
    added_at: datetime


def upsert_jurisdiction(conn: Connection, row: JurisdictionRow) -> None:
    """Insert the jurisdiction or replace its names, level, parent and pack version."""
    values = {
        "code": row.code,
        "name_zh": row.name_zh,
        "name_en": row.name_en,
        "level": row.level,
        "parent_code": row.parent_code,
        "region_code": row.region_code,
        "pack_version": row.pack_version,
    }
    updates = [name for name in values if name != "code"]
    upsert(conn, jurisdiction, values, key=["code"], update=updates)


def get_jurisdiction(conn: Connection, code: str) -> JurisdictionRow | None:
    found = conn.execute(select(jurisdiction).where(jurisdiction.c.code == code)).mappings().first()
    return JurisdictionRow(**found) if found is not None else None


def jurisdictions(conn: Connection) -> list[JurisdictionRow]:
    rows = conn.execute(select(jurisdiction).order_by(jurisdiction.c.code)).mappings()
    return [JurisdictionRow(**row) for row in rows]


def upsert_department(conn: Connection, row: DepartmentRow) -> None:
    """Insert the department or replace its names and USCC."""
    values = {
        "jurisdiction_code": row.jurisdiction_code,
        "code": row.code,
        "name_zh": row.name_zh,
        "name_en": row.name_en,
        "uscc": row.uscc,
    }
    upsert(
        conn,
        department,
        values,
        key=["jurisdiction_code", "code"],
        update=["name_zh", "name_en", "uscc"],
    )


def departments_of(conn: Connection, jurisdiction_code: str) -> list[DepartmentRow]:
    rows = conn.execute(
        select(department)
        .where(department.c.jurisdiction_code == jurisdiction_code)
        .order_by(department.c.code)
    ).mappings()
    return [DepartmentRow(**row) for row in rows]


def allow_code(conn: Connection, entry: AllowlistEntry) -> None:
    """Allowlist a normalised code; allowlisting it again replaces reason and author."""
    values = {
        "code": entry.code,
        "reason": entry.reason,
        "added_by": entry.added_by,
        "added_at": entry.added_at,
    }
    upsert(conn, code_allowlist, values, key=["code"], update=["reason", "added_by", "added_at"])


def disallow_code(conn: Connection, code: str) -> bool:
    """Remove a code from the allowlist; False when it was not there."""
    return conn.execute(delete(code_allowlist).where(code_allowlist.c.code == code)).rowcount == 1


def allowlist(conn: Connection) -> list[AllowlistEntry]:
    rows = conn.execute(select(code_allowlist).order_by(code_allowlist.c.code)).mappings()
    return [AllowlistEntry(**row) for row in rows]


def allowlist_reasons(conn: Connection) -> dict[str, str]:
    """Allowlisted code → reason, the form ``xinyong.codes.parse_code`` takes."""
    rows = conn.execute(select(code_allowlist.c.code, code_allowlist.c.reason))
    return {code: reason for code, reason in rows}
