"""Subjects' own accounts on the portal: passwords, lock-out, who an account speaks for.

Plain Python besides the password hash. A person signs in for themself; a
legal person's authorised agent signs in for the company (``agent`` names
them). Passwords are hashed with Argon2id (argon2-cffi, its default
parameters, which follow RFC 9106's recommendation); only the hash is kept.
After :data:`MAX_FAILURES` wrong passwords in a row an account is locked for
:data:`LOCK_MINUTES`; a right password while locked is refused too, and the
refusal says only "wrong login or password, or locked", so a guesser learns
nothing about which.

Real deployments sign subjects in through an identity provider: the portal
asks an :class:`Authenticator` for an :class:`Identity` and does not care
which one answered (local accounts here; OpenID Connect beside them).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from xinyong.i18n import Phrase
from xinyong.i18n import gettext_noop as _

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 10
_HASHER = PasswordHasher()


@dataclass(frozen=True)
class Identity:
    """Who signed in: the subject whose file it is, and the person acting (for a company, its agent)."""

    subject_code: str
    login: str
    agent: str | None = None  # a legal person's authorised agent

    @property
    def actor(self) -> str:
        """How the audit log names the signed-in subject."""
        return f"subject:{self.subject_code}"


class Authenticator(Protocol):
    def authenticate(self, login: str, secret: str, now: datetime) -> Identity: ...


@dataclass(frozen=True)
class Account:
    subject_code: str
    login: str
    password_hash: str
    created_at: datetime
    agent: str | None = None
    failures: int = 0
    locked_until: datetime | None = None
    last_sign_in_at: datetime | None = None
    id: int | None = None


class PasswordRuleError(ValueError):
    """A password the rules refuse."""


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise PasswordRuleError(
            Phrase(_("a password needs at least {n} characters"), n=MIN_PASSWORD)
        )
    return _HASHER.hash(password)


def locked(account: Account, now: datetime) -> bool:
    return account.locked_until is not None and now < account.locked_until


def attempt(account: Account, password: str, now: datetime) -> tuple[Account, bool]:
    """The account after a sign-in attempt, and whether it succeeded.

    A locked account refuses without checking the password (no timing
    oracle on a locked account, no progress for a guesser).
    """
    if locked(account, now):
        return account, False
    try:
        ok: bool = _HASHER.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        ok = False
    if ok:
        rehashed = (
            _HASHER.hash(password) if _HASHER.check_needs_rehash(account.password_hash) else None
        )
        return replace(account, failures=0, locked_until=None, last_sign_in_at=now,
                       password_hash=rehashed or account.password_hash), True  # fmt: skip
    failures = account.failures + 1
    if failures >= MAX_FAILURES:
        return replace(
            account, failures=0, locked_until=now + timedelta(minutes=LOCK_MINUTES)
        ), False
    return replace(account, failures=failures), False
