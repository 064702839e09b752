"""Queries of subjects' portal accounts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from xinyong.store.tables import subject_account


def insert_account(conn: Connection, values: dict[str, Any]) -> int:
    inserted = conn.execute(insert(subject_account).values(values).returning(subject_account.c.id))
    return int(inserted.scalar_one())


def account_by_login(
    conn: Connection, login: str, *, for_update: bool = False
) -> dict[str, Any] | None:
    query = select(subject_account).where(subject_account.c.login == login)
    row = conn.execute(query.with_for_update() if for_update else query).mappings().first()
    return None if row is None else dict(row)


def update_account(conn: Connection, account_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(subject_account).where(subject_account.c.id == account_id).values(values))
