"""Use cases of API keys: create, list, revoke, and authenticate a request's key.

Each use case owns one unit of work over the ``Store`` it is given (the CLI
opens one per command, the API one per process). Creating and revoking a key
are audited in the same transaction as the change, through
:func:`_audit_key_event`. No SQL here: it lives in ``xinyong.store.queries.keys``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from xinyong.audit.service import append_event
from xinyong.clock import china_date
from xinyong.keys.errors import (
    KeyAlreadyRevokedError,
    KeyDepartmentNotAllowedError,
    KeyDepartmentRequiredError,
    KeyDepartmentUnknownError,
    KeyMalformedError,
    KeyNameError,
    KeyNotFoundError,
    KeyRevokedError,
    KeyRoleError,
    KeyUnknownError,
)
from xinyong.keys.model import (
    ApiKey,
    NewKey,
    Principal,
    Role,
    generate_key,
    secret_matches,
    split_key,
)
from xinyong.store.engine import Store
from xinyong.store.queries import keys, reference
from xinyong.store.uow import Connection, UnitOfWork

NAME_MAX = 200  # api_key.name
# A fresh prefix collides with a stored one with odds of about n / 36**10 per
# key; a few redraws make a failure practically impossible, and the unique
# constraint on api_key.prefix stays the backstop.
_PREFIX_DRAWS = 5


def _audit_key_event(
    conn: Connection,
    *,
    actor: str,
    action: str,
    target: str,
    detail: Mapping[str, Any],
    now: datetime,
) -> None:
    """Record a key being created or revoked, in the caller's transaction."""
    append_event(conn, actor=actor, action=action, target=target, detail=detail, now=now)


def create_key(
    store: Store,
    *,
    name: str,
    role: str,
    department: str | None = None,
    jurisdiction: str | None = None,
    actor: str,
    now: datetime,
) -> tuple[Principal, str]:
    """Create a key; returns its principal and the plaintext key, which is never stored.

    A department key must name a department (of ``jurisdiction``, the node's
    own) held in the ``department`` table; keys of other roles name neither.
    ``actor`` is who asked (for the audit log), e.g. ``cli``.
    """
    clean_name = name.strip()
    if not 1 <= len(clean_name) <= NAME_MAX:
        raise KeyNameError(maximum=NAME_MAX)
    try:
        parsed_role = Role(role)
    except ValueError:
        raise KeyRoleError(role=role, allowed=", ".join(Role)) from None
    with UnitOfWork(store) as uow:
        conn = uow.connection
        _check_scope(conn, parsed_role, department, jurisdiction)
        new = _fresh_key(conn)
        row = keys.insert_key(
            conn,
            keys.KeyRow(
                prefix=new.prefix,
                secret_sha256=new.secret_sha256,
                name=clean_name,
                role=parsed_role.value,
                department=department,
                jurisdiction=jurisdiction if department is not None else None,
                created_at=now,
            ),
        )
        principal = _principal_of(row)
        _audit_key_event(
            conn,
            actor=actor,
            action="key.create",
            target=f"key:{principal.prefix}",
            detail={
                "name": principal.name,
                "role": principal.role.value,
                "department": principal.department,
                "jurisdiction": principal.jurisdiction,
            },
            now=now,
        )
        uow.commit()
    return principal, new.plaintext


def _check_scope(
    conn: Connection, role: Role, department: str | None, jurisdiction: str | None
) -> None:
    if role is not Role.DEPARTMENT:
        if department is not None or jurisdiction is not None:
            raise KeyDepartmentNotAllowedError(role=role.value)
        return
    where = jurisdiction or "this node"
    known = [d.code for d in reference.departments_of(conn, where)] if jurisdiction else []
    listed = ", ".join(known) or "none (run `xinyong init`)"
    if department is None or jurisdiction is None:
        raise KeyDepartmentRequiredError(jurisdiction=where, known=listed)
    if department not in known:
        raise KeyDepartmentUnknownError(
            department=department, jurisdiction=jurisdiction, known=listed
        )


def _fresh_key(conn: Connection) -> NewKey:
    for _ in range(_PREFIX_DRAWS):
        new = generate_key()
        if keys.get_key(conn, new.prefix) is None:
            return new
    raise RuntimeError(f"no free key prefix after {_PREFIX_DRAWS} draws")  # pragma: no cover


def list_keys(store: Store) -> list[ApiKey]:
    """Every key, oldest first, revoked ones included; never a secret."""
    with UnitOfWork(store, read_only=True) as uow:
        rows = keys.all_keys(uow.connection)
    return [ApiKey(_principal_of(row), row.created_at, row.revoked_at) for row in rows]


def revoke_key(store: Store, prefix: str, *, actor: str, now: datetime) -> ApiKey:
    """Revoke the key with this prefix from ``now`` on; the next request with it gets 401.

    Raises :class:`KeyNotFoundError` for an unknown prefix and
    :class:`KeyAlreadyRevokedError` for a key revoked before.
    """
    prefix = prefix.strip()
    with UnitOfWork(store) as uow:
        conn = uow.connection
        row = keys.get_key(conn, prefix)
        if row is None:
            raise KeyNotFoundError(prefix)
        if row.revoked_at is not None:
            raise KeyAlreadyRevokedError(prefix=prefix, revoked_on=_day(row.revoked_at))
        if not keys.revoke_key(conn, prefix, now):  # pragma: no cover - a concurrent revoke
            raise KeyAlreadyRevokedError(prefix=prefix, revoked_on=_day(now))
        principal = _principal_of(row)
        _audit_key_event(
            conn,
            actor=actor,
            action="key.revoke",
            target=f"key:{prefix}",
            detail={"name": principal.name, "role": principal.role.value},
            now=now,
        )
        uow.commit()
    return ApiKey(principal, row.created_at, now)


def authenticate(store: Store, key: str) -> Principal:
    """The principal of a plaintext key, or why it is refused.

    Raises :class:`KeyMalformedError` for a value not shaped like a key,
    :class:`KeyUnknownError` for an unknown prefix *or* a wrong secret (so the
    answer does not tell which prefixes exist), and :class:`KeyRevokedError`
    only to a caller who holds the right secret of a revoked key. A
    revocation takes effect at once: it is a stored fact, not compared with
    this machine's clock.
    """
    parts = split_key(key)
    if parts is None:
        raise KeyMalformedError()
    prefix, secret = parts
    with UnitOfWork(store, read_only=True) as uow:
        row = keys.get_key(uow.connection, prefix)
    if row is None or not secret_matches(secret, row.secret_sha256):
        raise KeyUnknownError()
    if row.revoked_at is not None:
        raise KeyRevokedError(prefix=prefix, revoked_on=_day(row.revoked_at))
    return _principal_of(row)


def _principal_of(row: keys.KeyRow) -> Principal:
    if row.id is None:  # pragma: no cover - rows read back from the store have ids
        raise ValueError("key row without an id")
    return Principal(
        key_id=row.id,
        prefix=row.prefix,
        name=row.name,
        role=Role(row.role),
        department=row.department,
        jurisdiction=row.jurisdiction,
    )


def _day(moment: datetime) -> str:
    return china_date(moment).isoformat()


def active_principal(store: Store, prefix: str) -> Principal | None:
    """The principal of a key by its public prefix, while it is not revoked (a desk session's)."""
    with UnitOfWork(store, read_only=True) as uow:
        row = keys.get_key(uow.connection, prefix)
    if row is None or row.revoked_at is not None:
        return None
    return _principal_of(row)
