"""Portal sessions on the server: a signed cookie names one, and only a live one is honoured.

The cookie is signed and timed (:mod:`xinyong.web.session`), but a cookie on
its own cannot be taken back: a copied one would work until it timed out.
So each session is also a row, and a request's cookie counts only while its
row is live. Signing out ends the row; a new password ends every session of
the account (:func:`end_sessions_of`). Rows of sessions expired a day are
deleted at the next sign-in, so the table holds about a day of sign-ins.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from xinyong.store.engine import Store
from xinyong.store.queries import sessions as queries
from xinyong.store.uow import UnitOfWork

KEEP_EXPIRED = timedelta(days=1)  # expired sessions are forgotten a day on, at the next sign-in


class SessionKind(StrEnum):
    SUBJECT = "subject"  # a person, or a company's agent: principal is the account's login
    DESK = "desk"  # a department or the operator: principal is the API key's prefix


def open_session(
    store: Store, kind: SessionKind, principal: str, *, minutes: int, now: datetime
) -> str:
    """A new session id for the principal, live for ``minutes``."""
    sid = secrets.token_urlsafe(24)
    with UnitOfWork(store) as uow:
        queries.prune_sessions(uow.connection, now - KEEP_EXPIRED)
        queries.insert_session(uow.connection, sid, kind, principal, now,
                               now + timedelta(minutes=minutes))  # fmt: skip
        uow.commit()
    return sid


def session_live(
    store: Store, sid: str, kind: SessionKind, principal: str, *, now: datetime
) -> bool:
    with UnitOfWork(store, read_only=True) as uow:
        return queries.session_live(uow.connection, sid, kind, principal, now)


def end_session(store: Store, sid: str, *, now: datetime) -> None:
    with UnitOfWork(store) as uow:
        queries.end_session(uow.connection, sid, now)
        uow.commit()


def end_sessions_of(store: Store, kind: SessionKind, principal: str, *, now: datetime) -> int:
    """End every live session of the principal (a password reset, a revoked key); how many."""
    with UnitOfWork(store) as uow:
        ended = queries.end_sessions_of(uow.connection, kind, principal, now)
        uow.commit()
    return ended
