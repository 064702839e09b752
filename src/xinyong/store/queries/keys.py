"""Queries on API keys. The store holds a key's SHA-256 digest, never its secret.

Runs in the caller's transaction; never commits; "now" is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from xinyong.store.tables import api_key


@dataclass(frozen=True)
class KeyRow:
    """One row of ``api_key``; ``id`` is None before it is stored."""

    prefix: str
    secret_sha256: str
    name: str
    role: str
    created_at: datetime
    department: str | None = None
    jurisdiction: str | None = None
    revoked_at: datetime | None = None
    id: int | None = None


def insert_key(conn: Connection, row: KeyRow) -> KeyRow:
    """Store a new key and return it with its id."""
    values = {
        "prefix": row.prefix,
        "secret_sha256": row.secret_sha256,
        "name": row.name,
        "role": row.role,
        "department": row.department,
        "jurisdiction": row.jurisdiction,
        "created_at": row.created_at,
        "revoked_at": row.revoked_at,
    }
    stored = conn.execute(insert(api_key).values(values).returning(*api_key.c)).mappings().one()
    return KeyRow(**stored)


def get_key(conn: Connection, prefix: str) -> KeyRow | None:
    """The key with this public prefix, revoked or not."""
    found = conn.execute(select(api_key).where(api_key.c.prefix == prefix)).mappings().first()
    return KeyRow(**found) if found is not None else None


def all_keys(conn: Connection) -> list[KeyRow]:
    """Every key, oldest first (revoked ones too: they explain old audit entries)."""
    rows = conn.execute(select(api_key).order_by(api_key.c.created_at, api_key.c.id)).mappings()
    return [KeyRow(**row) for row in rows]


def revoke_key(conn: Connection, prefix: str, now: datetime) -> bool:
    """Mark the key revoked at ``now``; False when there is no such unrevoked key."""
    result = conn.execute(
        update(api_key)
        .where(api_key.c.prefix == prefix, api_key.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return result.rowcount == 1
