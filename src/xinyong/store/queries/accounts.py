"""Queries of subjects' portal accounts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from xinyong.store.tables import account_link, subject_account


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


def insert_link(
    conn: Connection, account_id: int, issuer: str, subject: str, now: datetime
) -> None:
    conn.execute(insert(account_link).values(account_id=account_id, issuer=issuer,
                                             subject=subject, linked_at=now))  # fmt: skip


def account_by_link(conn: Connection, issuer: str, subject: str) -> dict[str, Any] | None:
    """The account linked to the provider's (issuer, ``sub``), if any."""
    query = (
        select(subject_account)
        .join(account_link, account_link.c.account_id == subject_account.c.id)
        .where(account_link.c.issuer == issuer, account_link.c.subject == subject)
    )
    row = conn.execute(query).mappings().first()
    return None if row is None else dict(row)


def link_of(conn: Connection, issuer: str, subject: str) -> int | None:
    """The account id the pair is already linked to."""
    found = conn.execute(select(account_link.c.account_id).where(
        account_link.c.issuer == issuer, account_link.c.subject == subject)).first()  # fmt: skip
    return None if found is None else int(found[0])
