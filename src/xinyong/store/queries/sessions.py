"""Queries of portal sessions (kept so that signing out ends them on the server)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update

from xinyong.store.tables import portal_session


def insert_session(
    conn: Connection, sid: str, kind: str, principal: str, started: datetime, expires: datetime
) -> None:
    conn.execute(insert(portal_session).values(sid=sid, kind=kind, principal=principal,
                                               started_at=started, expires_at=expires))  # fmt: skip


def session_live(conn: Connection, sid: str, kind: str, principal: str, now: datetime) -> bool:
    """Whether the session was started for this principal, has not ended and has not expired."""
    found = conn.execute(
        select(portal_session.c.sid).where(
            portal_session.c.sid == sid,
            portal_session.c.kind == kind,
            portal_session.c.principal == principal,
            portal_session.c.ended_at.is_(None),
            portal_session.c.expires_at > now,
        )
    ).first()
    return found is not None


def end_session(conn: Connection, sid: str, now: datetime) -> None:
    conn.execute(update(portal_session).where(portal_session.c.sid == sid,
                                              portal_session.c.ended_at.is_(None))
                 .values(ended_at=now))  # fmt: skip


def end_sessions_of(conn: Connection, kind: str, principal: str, now: datetime) -> int:
    done = conn.execute(
        update(portal_session)
        .where(portal_session.c.kind == kind, portal_session.c.principal == principal,
               portal_session.c.ended_at.is_(None))
        .values(ended_at=now)
    )  # fmt: skip
    return int(done.rowcount or 0)


def prune_sessions(conn: Connection, before: datetime) -> int:
    """Forget sessions that expired before ``before`` (signed in and out is in the audit log)."""
    done = conn.execute(delete(portal_session).where(portal_session.c.expires_at < before))
    return int(done.rowcount or 0)
