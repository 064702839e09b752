"""API keys: creation rules, authentication, revocation, and no secret in the store."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from tests.store.helpers import add_reference
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
from xinyong.keys.model import ROLES, Role, split_key
from xinyong.keys.service import authenticate, create_key, list_keys, revoke_key
from xinyong.store import tables
from xinyong.store.engine import Store
from xinyong.store.uow import UnitOfWork


@pytest.fixture
def fuzhou(store: Store) -> Store:
    """A store holding jurisdiction fuzhou with its department market."""
    with UnitOfWork(store) as uow:
        add_reference(uow.connection)
        uow.commit()
    return store


def test_roles_are_the_stored_vocabulary() -> None:
    assert tuple(r.value for r in ROLES) == tables.ROLES


def test_create_then_authenticate(fuzhou: Store, now: datetime) -> None:
    principal, plaintext = create_key(
        fuzhou,
        name=" market uploader ",
        role="department",
        department="market",
        jurisdiction="fuzhou",
        actor="test",
        now=now,
    )
    assert plaintext.startswith(f"xy_{principal.prefix}_")
    assert (principal.name, principal.role, principal.department, principal.jurisdiction) == (
        "market uploader",
        Role.DEPARTMENT,
        "market",
        "fuzhou",
    )
    assert authenticate(fuzhou, plaintext) == principal
    assert authenticate(fuzhou, f"  {plaintext}\n") == principal
    assert principal.actor == f"key:{principal.prefix}"


def test_the_store_holds_only_the_digest_of_the_secret(fuzhou: Store, now: datetime) -> None:
    _, plaintext = create_key(fuzhou, name="ops", role="operator", actor="test", now=now)
    parts = split_key(plaintext)
    assert parts is not None
    prefix, secret = parts
    with UnitOfWork(fuzhou, read_only=True) as uow:
        rows = uow.connection.execute(select(tables.api_key)).mappings().all()
        audit = uow.connection.execute(select(tables.audit_event)).mappings().all()
    assert len(rows) == 1
    stored = [str(value) for row in [*rows, *audit] for value in row.values()]
    assert not any(secret in value or plaintext in value for value in stored)
    assert rows[0]["prefix"] == prefix
    assert rows[0]["secret_sha256"] == hashlib.sha256(secret.encode()).hexdigest()


def test_keys_are_random_and_long(fuzhou: Store, now: datetime) -> None:
    made = {
        create_key(fuzhou, name=f"k{i}", role="public", actor="t", now=now)[1] for i in range(5)
    }
    assert len(made) == 5
    for key in made:
        parts = split_key(key)
        assert parts is not None
        assert len(parts[1]) >= 43  # 32 random bytes, URL-safe base64


@pytest.mark.parametrize(
    ("role", "department", "jurisdiction", "error"),
    [
        ("department", None, "fuzhou", KeyDepartmentRequiredError),
        ("department", "market", None, KeyDepartmentRequiredError),
        ("department", "tax", "fuzhou", KeyDepartmentUnknownError),
        ("department", "market", "rongcheng", KeyDepartmentUnknownError),
        ("checker", "market", "fuzhou", KeyDepartmentNotAllowedError),
        ("operator", None, "fuzhou", KeyDepartmentNotAllowedError),
        ("root", None, None, KeyRoleError),
    ],
)
def test_department_scope_rules(
    fuzhou: Store,
    now: datetime,
    role: str,
    department: str | None,
    jurisdiction: str | None,
    error: type[Exception],
) -> None:
    with pytest.raises(error):
        create_key(
            fuzhou,
            name="k",
            role=role,
            department=department,
            jurisdiction=jurisdiction,
            actor="t",
            now=now,
        )
    assert list_keys(fuzhou) == []


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_a_key_needs_a_name(fuzhou: Store, now: datetime, name: str) -> None:
    with pytest.raises(KeyNameError):
        create_key(fuzhou, name=name, role="public", actor="t", now=now)


def test_unknown_and_malformed_keys(fuzhou: Store, now: datetime) -> None:
    _, plaintext = create_key(fuzhou, name="ops", role="operator", actor="t", now=now)
    prefix = plaintext.split("_")[1]
    with pytest.raises(KeyUnknownError):
        authenticate(fuzhou, f"xy_{prefix}_wrong-secret")
    with pytest.raises(KeyUnknownError):
        authenticate(fuzhou, "xy_zzzzzzzzzz_" + "a" * 43)
    for malformed in ["", "xy_", "xy__secret", f"yx_{prefix}_s", f"xy_{prefix.upper()}_s"]:
        with pytest.raises(KeyMalformedError):
            authenticate(fuzhou, malformed)


def test_revocation(fuzhou: Store, now: datetime) -> None:
    principal, plaintext = create_key(fuzhou, name="ops", role="operator", actor="t", now=now)
    later = now + timedelta(days=1)
    revoked = revoke_key(fuzhou, principal.prefix, actor="t", now=later)
    assert (revoked.revoked, revoked.revoked_at) == (True, later)
    with pytest.raises(KeyRevokedError) as raised:
        authenticate(fuzhou, plaintext)
    assert raised.value.fields == {"prefix": principal.prefix, "revoked_on": "2026-03-03"}
    with pytest.raises(KeyAlreadyRevokedError):
        revoke_key(fuzhou, principal.prefix, actor="t", now=later)
    with pytest.raises(KeyNotFoundError):
        revoke_key(fuzhou, "nosuchkey0", actor="t", now=later)
    [listed] = list_keys(fuzhou)
    assert (listed.principal, listed.created_at, listed.revoked_at) == (principal, now, later)
