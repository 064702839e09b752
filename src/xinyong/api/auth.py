"""Who is calling: the API key of a request, its rate, and the roles an endpoint admits.

A key arrives as ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``.
:func:`authenticated` turns it into a :class:`~xinyong.keys.model.Principal`
(401 problem with ``WWW-Authenticate: Bearer`` when missing, malformed,
unknown or revoked) and spends one token of the key's rate (429);
:func:`require` adds the role check (403). Routes declare::

    principal: Annotated[Principal, Depends(require(Role.OPERATOR, Role.DEPARTMENT))]
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from xinyong.api.deps import NodeDep
from xinyong.keys.errors import KeyMissingError, RoleForbiddenError
from xinyong.keys.model import ROLES, Principal, Role
from xinyong.keys.service import authenticate

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    bearerFormat="xy_<prefix>_<secret>",
    description="An API key from `xinyong keys create`, as `Authorization: Bearer <key>`.",
)
_api_key = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    scheme_name="apiKey",
    description="The same API key in the `X-API-Key` header, for clients that cannot set Bearer.",
)


def authenticated(
    node: NodeDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    header: Annotated[str | None, Security(_api_key)],
) -> Principal:
    """The caller's principal; raises 401 problems for a bad key and 429 over the rate.

    A plain ``def``: authenticating reads the store, so FastAPI runs it in its
    thread pool. Every request reads the key afresh, so a revocation takes
    effect with the next request.
    """
    key = bearer.credentials if bearer is not None else header
    if not key:
        raise KeyMissingError()
    principal = authenticate(node.store, key)
    node.limiter.check(principal.prefix)
    return principal


def require(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency admitting authenticated callers of ``roles`` only (403 problem otherwise)."""
    if not roles:
        raise ValueError("require() needs at least one role")
    allowed = frozenset(roles)
    listed = ", ".join(r.value for r in ROLES if r in allowed)

    async def dependency(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
        if principal.role not in allowed:
            raise RoleForbiddenError(role=principal.role.value, allowed=listed)
        return principal

    dependency.__name__ = "require_" + "_".join(r.value for r in ROLES if r in allowed)
    return dependency


ANY_ROLE = ROLES
