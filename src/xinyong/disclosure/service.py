"""The ``access_*`` functions: the one path from a caller to a subject's file.

Each reads through the registry's read-only services with the role's record
filter, masks what the role may not see whole (:mod:`xinyong.disclosure.model`)
and, when it read non-public data, writes one audit entry through
:func:`_audit_read` before the data leaves. The read and the audit entry are
two transactions on purpose: reads stay read-only (on SQLite they then never
wait for an ingest batch holding the write lock), and only an audited read
takes a short writing transaction. If writing the entry fails, the caller
gets the error, not the data.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from xinyong.audit.service import append_event
from xinyong.clock import china_date
from xinyong.disclosure.model import (
    Access,
    DisclosedRecords,
    DisclosedSubject,
    disclose_records,
    disclose_view,
    record_filter,
    records_access,
    subject_access,
)
from xinyong.keys.model import Principal
from xinyong.policy.model import CatalogItem
from xinyong.registry.service import subject_records, subject_view
from xinyong.store.engine import Store
from xinyong.store.uow import Connection, UnitOfWork


class Reader(Protocol):
    """Whoever reads: an API key's principal, or a signed-in subject (``actor`` names it)."""

    @property
    def actor(self) -> str: ...


def _audit_read(
    conn: Connection,
    principal: Reader,
    *,
    action: str,
    target: str,
    detail: Mapping[str, Any],
    now: datetime,
) -> None:
    """Record that ``principal`` read non-public data about ``target``.

    Every read of non-public data in this module goes through here, inside a
    writing unit of work that commits it: no entry, no data.
    """
    append_event(conn, actor=principal.actor, action=action, target=target, detail=detail, now=now)


def access_subject(
    store: Store, principal: Principal, code: str, *, now: datetime
) -> DisclosedSubject:
    """A subject page as ``principal`` may see it; audited when it shows non-public data.

    Raises the code's :class:`~xinyong.codes.CodeError` for a malformed code
    and :class:`~xinyong.registry.errors.SubjectNotFoundError` for an unknown one.
    """
    view = subject_view(store, code, records=record_filter(principal.role, china_date(now)))
    audit_access(store, principal, subject_access(view, principal.role), now)
    return disclose_view(view, principal.role)


def access_records(
    store: Store,
    principal: Principal,
    code: str,
    *,
    catalog: Mapping[str, CatalogItem],
    limit: int,
    offset: int,
    now: datetime,
) -> DisclosedRecords:
    """One page of a subject's current records as ``principal`` may see them.

    ``catalog`` (item code → item, from the node's pack) says which payload
    fields are public. Audited when the page is about a natural person or
    returns a non-public record. Raises like :func:`access_subject`.
    """
    page = subject_records(
        store,
        code,
        records=record_filter(principal.role, china_date(now)),
        limit=limit,
        offset=offset,
    )
    audit_access(store, principal, records_access(page, principal.role), now)
    return disclose_records(page, principal.role, catalog)


def audit_access(store: Store, principal: Reader, access: Access | None, now: datetime) -> None:
    """Append the audit entry for a read of non-public data (none when ``access`` is None)."""
    if access is None:
        return
    with UnitOfWork(store) as uow:
        _audit_read(
            uow.connection,
            principal,
            action=access.action,
            target=access.target,
            detail=access.detail,
            now=now,
        )
        uow.commit()
