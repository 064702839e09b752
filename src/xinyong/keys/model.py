"""API keys as the domain sees them: roles, principals, the key format and its digest.

Plain Python: no SQL, no HTTP. Owns what a key looks like, how its secret is
digested and what each role is for; must not decide which endpoint needs
which role (each route says so with ``xinyong.api.auth.require``).

A key reads ``xy_<prefix>_<secret>``. The prefix is public: it is shown in
listings, names the key in the audit log and finds the stored row. The secret
is 32 random bytes from :func:`secrets.token_urlsafe`; only its SHA-256 is
stored. A slow password hash (bcrypt, scrypt, Argon2) protects *guessable*
secrets against offline guessing; a 256-bit random secret cannot be guessed,
so one SHA-256 is as safe and keeps authenticating every request cheap.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

KEY_SCHEME = "xy"
PREFIX_LENGTH = 10
SECRET_BYTES = 32
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits


class Role(StrEnum):
    """What the holder of a key is, and so what the API lets it do.

    - ``operator``: 平台运营方, the node's credit centre. Everything: all
      disclosure scopes (public, shared and authorised), every department's
      records, list procedures, evaluations, exchange.
    - ``department``: 报送部门, one reporting department of this node's
      jurisdiction (the key names it). Uploads batches and records as that
      department only; reads public and shared records (government sharing).
    - ``checker``: 核查部门, a department checking subjects when it handles a
      matter. Calls the check API, reports feedback; reads public and shared
      records.
    - ``agency``: 信用服务机构 or bank. Will query a subject's file with the
      subject's consent; until consent exists, reads what the public reads,
      with natural persons' names masked.
    - ``public``: the portal's public access. Reads public records only, with
      natural persons' identity numbers and names masked.

    Basis: the three disclosure modes of the provincial social-credit
    regulations: 公开 (public), 共享 (shared between government bodies) and
    授权查询 (queried with the subject's authorisation).
    """

    OPERATOR = "operator"
    DEPARTMENT = "department"
    CHECKER = "checker"
    AGENCY = "agency"
    PUBLIC = "public"


ROLES: tuple[Role, ...] = tuple(Role)


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key that authenticated a request, and its scope.

    ``department`` and ``jurisdiction`` are set exactly for department keys:
    the reporting department (of the jurisdiction) the key speaks for.
    """

    key_id: int
    prefix: str
    name: str
    role: Role
    department: str | None = None
    jurisdiction: str | None = None

    @property
    def actor(self) -> str:
        """How the audit log names this caller: the key's public prefix."""
        return f"key:{self.prefix}"


@dataclass(frozen=True)
class ApiKey:
    """A stored key as an operator lists it (never its secret)."""

    principal: Principal
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


@dataclass(frozen=True)
class NewKey:
    """A freshly generated key: its prefix, the plaintext to hand out once, the digest to store."""

    prefix: str
    plaintext: str
    secret_sha256: str


def generate_key() -> NewKey:
    """A new random key. The plaintext leaves this function once and is never stored."""
    prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
    secret = secrets.token_urlsafe(SECRET_BYTES)
    return NewKey(prefix, f"{KEY_SCHEME}_{prefix}_{secret}", digest(secret))


def split_key(key: str) -> tuple[str, str] | None:
    """``(prefix, secret)`` of a key in the ``xy_<prefix>_<secret>`` form, else None.

    The secret may itself contain ``_`` (URL-safe base64), the prefix never does.
    """
    scheme, _, rest = key.strip().partition("_")
    prefix, _, secret = rest.partition("_")
    if scheme != KEY_SCHEME or not prefix or not secret:
        return None
    if len(prefix) != PREFIX_LENGTH or any(c not in _PREFIX_ALPHABET for c in prefix):
        return None
    return prefix, secret


def digest(secret: str) -> str:
    """The hex SHA-256 of a secret: what the store keeps instead of it."""
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, stored_sha256: str) -> bool:
    """Whether ``secret`` is the one whose digest was stored (constant-time compare)."""
    return hmac.compare_digest(digest(secret), stored_sha256)
