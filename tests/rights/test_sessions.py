"""Portal sessions on the server: live until ended or expired, and forgotten a day after."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tests.lists.helpers import Node, at
from xinyong.rights.session_service import (
    SessionKind,
    end_session,
    end_sessions_of,
    open_session,
    session_live,
)
from xinyong.store.tables import portal_session
from xinyong.store.uow import UnitOfWork

SUBJECT = SessionKind.SUBJECT


def _rows(node: Node) -> int:
    with UnitOfWork(node[1], read_only=True) as uow:
        return int(
            uow.connection.execute(select(func.count()).select_from(portal_session)).scalar()
        )


def test_a_session_is_live_for_its_principal_until_it_ends_or_expires(node: Node) -> None:
    _, store, _pack = node
    start = at(2026, 12, 1)
    sid = open_session(store, SUBJECT, "agent", minutes=30, now=start)
    assert session_live(store, sid, SUBJECT, "agent", now=start + timedelta(minutes=29))
    assert not session_live(store, sid, SUBJECT, "someone-else", now=start)  # not theirs
    assert not session_live(store, sid, SessionKind.DESK, "agent", now=start)  # not a desk's
    assert not session_live(store, sid, SUBJECT, "agent", now=start + timedelta(minutes=30))
    other = open_session(store, SUBJECT, "agent", minutes=30, now=start)
    end_session(store, other, now=start + timedelta(minutes=1))
    assert not session_live(store, other, SUBJECT, "agent", now=start + timedelta(minutes=2))
    third = open_session(store, SUBJECT, "agent", minutes=30, now=start)
    assert end_sessions_of(store, SUBJECT, "agent", now=start) == 2  # sid and third
    assert not session_live(store, third, SUBJECT, "agent", now=start)


def test_sessions_expired_a_day_are_forgotten_at_the_next_sign_in(node: Node) -> None:
    _, store, _pack = node
    start = at(2026, 12, 1)
    open_session(store, SUBJECT, "agent", minutes=30, now=start)
    open_session(store, SUBJECT, "agent", minutes=30, now=start + timedelta(hours=12))
    assert _rows(node) == 2
    open_session(store, SUBJECT, "agent", minutes=30, now=start + timedelta(days=1, hours=1))
    assert _rows(node) == 2  # the first (expired 10:30 the day before) is gone
