"""Reading objections: a department's queue, one objection, its files, a subject's own, escalation.

The read side of :mod:`xinyong.rights.service` (which files and decides).
A department reads the objections it decides, the operator reads all; an
objection another department decides answers as absent, so ids are not a
directory. Escalation hands overdue objections to the operator once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from xinyong.audit.service import append_event
from xinyong.clock import china_date
from xinyong.keys.model import Principal
from xinyong.registry.service import registered_code
from xinyong.rights import objections as rules
from xinyong.rights.accounts import Identity
from xinyong.rights.deciders import may_decide, queue_of
from xinyong.rights.errors import ObjectionNotFoundError
from xinyong.rights.objections import Objection
from xinyong.rights.service import ObjectionView, objection_of
from xinyong.store.engine import Store
from xinyong.store.queries import objections as queries
from xinyong.store.uow import UnitOfWork

_of = objection_of


def list_objections(
    store: Store,
    principal: Principal,
    *,
    subject_code: str | None = None,
    states: Sequence[str] | None = None,
    overdue_only: bool = False,
    limit: int = 100,
    offset: int = 0,
    now: datetime,
) -> tuple[list[ObjectionView], int]:
    """A department's queue (its own objections) or, for the operator, every objection."""
    department = queue_of(principal)
    today = china_date(now)
    with UnitOfWork(store, read_only=True) as uow:
        conn = uow.connection
        code = registered_code(conn, subject_code) if subject_code else None
        rows, total = queries.objections(conn, subject_code=code, department=department,
                                         states=states, overdue_on=today if overdue_only else None,
                                         limit=limit, offset=offset)  # fmt: skip
        files = queries.attachments_of(conn, [r.id or 0 for r in rows])
    views = [ObjectionView(_of(r), files[r.id or 0], rules.overdue(_of(r), today)) for r in rows]
    return views, total


def escalate_overdue(store: Store, *, now: datetime, actor: str = "system:rights") -> list[int]:
    """Hand every overdue objection not yet escalated to the operator; the ids escalated."""
    today = china_date(now)
    escalated: list[int] = []
    with UnitOfWork(store) as uow:
        conn = uow.connection
        offset = 0
        while True:
            rows, _total = queries.objections(conn, overdue_on=today, limit=500, offset=offset)
            for row in rows:
                if row.escalated_at is not None:
                    continue
                queries.update_objection(conn, replace(row, escalated_at=now))
                detail = {"objection": row.id, "department": row.department,
                          "due_on": row.due_on.isoformat()}  # fmt: skip
                append_event(conn, actor=actor, action="objection.escalate",
                             target=f"subject:{row.subject_code}", detail=detail, now=now)  # fmt: skip
                queries.insert_notification(
                    conn,
                    queries.NotificationRow("operator", row.subject_code, "objection.overdue",
                                            f"objection:{row.id}", detail, now),
                )  # fmt: skip
                escalated.append(int(row.id or 0))
            if len(rows) < 500:
                break
            offset += 500
        uow.commit()
    return escalated


def _may_read(principal: Principal | Identity, objection: Objection) -> None:
    """The operator reads every objection, a department those it decides, a subject its own."""
    if isinstance(principal, Identity):
        if principal.subject_code == objection.subject_code:
            return
    elif may_decide(principal, objection.department):
        return
    raise ObjectionNotFoundError(objection=objection.id)  # as if absent: ids are not a directory


def objection_view(
    store: Store, principal: Principal, objection_id: int, *, now: datetime
) -> ObjectionView:
    """One objection with its attachments, for its department or the operator."""
    with UnitOfWork(store, read_only=True) as uow:
        row = queries.get_objection(uow.connection, objection_id)
        if row is None:
            raise ObjectionNotFoundError(objection=objection_id)
        objection = _of(row)
        _may_read(principal, objection)
        files = queries.attachments_of(uow.connection, [objection_id])[objection_id]
    return ObjectionView(objection, files, rules.overdue(objection, china_date(now)))


def attachment_file(
    store: Store, principal: Principal | Identity, objection_id: int, attachment_id: int
) -> tuple[queries.AttachmentRow, bytes]:
    """One attachment's row and bytes, for whoever may read its objection (its subject too)."""
    with UnitOfWork(store, read_only=True) as uow:
        row = queries.get_objection(uow.connection, objection_id)
        found = queries.attachment_content(uow.connection, attachment_id)
    if row is None or found is None or found[0].objection_id != objection_id:
        raise ObjectionNotFoundError(objection=objection_id)
    _may_read(principal, _of(row))
    return found


def objections_of(store: Store, subject_code: str, *, now: datetime) -> list[ObjectionView]:
    """Every objection of the subject, with its attachments (the subject's own file)."""
    today = china_date(now)
    with UnitOfWork(store, read_only=True) as uow:
        code = registered_code(uow.connection, subject_code)
        rows, _ = queries.objections(uow.connection, subject_code=code, limit=10**6)
        files = queries.attachments_of(uow.connection, [r.id or 0 for r in rows])
    return [ObjectionView(_of(r), files[r.id or 0], rules.overdue(_of(r), today)) for r in rows]
