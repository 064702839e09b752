"""Errors of API keys: authenticating a request, and creating, listing, revoking keys.

Authentication failures are all 401 but have distinct codes, so a caller can
tell a typo (malformed), a wrong key (unknown) and a withdrawn one (revoked)
apart. An unknown key and a known key with a wrong secret are the same error:
the answer must not reveal which prefixes exist.
"""

from __future__ import annotations

from xinyong.errors import NotFoundError, UserInputError, XinyongError
from xinyong.i18n import gettext_noop as _


class AuthenticationError(XinyongError):
    """The request does not carry a key this node accepts."""

    code = "unauthenticated"
    status = 401
    message = _("this endpoint needs an API key")


class KeyMissingError(AuthenticationError):
    """No key in ``Authorization: Bearer`` or ``X-API-Key``."""

    code = "api-key-missing"
    message = _(
        "no API key was sent; send it as `Authorization: Bearer <key>` or `X-API-Key: <key>`"
    )


class KeyMalformedError(AuthenticationError):
    """The value sent is not shaped like a Xinyong key."""

    code = "api-key-malformed"
    message = _(
        "the API key sent is not in the form `xy_<prefix>_<secret>`; copy the whole key "
        "that `xinyong keys create` printed"
    )


class KeyUnknownError(AuthenticationError):
    """No key with this prefix and secret exists on this node."""

    code = "api-key-unknown"
    message = _("the API key is not known to this node; ask the node's operator for a key")


class KeyRevokedError(AuthenticationError):
    """The key was valid and has been revoked."""

    code = "api-key-revoked"
    message = _(
        "the API key {prefix} was revoked on {revoked_on}; ask the node's operator for a new key"
    )


class RoleForbiddenError(XinyongError):
    """The key is valid but its role may not use this endpoint."""

    code = "role-forbidden"
    status = 403
    message = _("a {role} key may not use this endpoint; it needs one of: {allowed}")


class KeyRoleError(UserInputError):
    """A key was asked for with a role that does not exist."""

    code = "key-role-unknown"
    message = _("role {role!r} does not exist; use one of: {allowed}")


class KeyNameError(UserInputError):
    """Keys need a name a person recognises in listings and the audit log."""

    code = "key-name-invalid"
    message = _("a key needs a name of 1 to {maximum} characters, e.g. the system that uses it")


class KeyDepartmentRequiredError(UserInputError):
    """A department key must name the reporting department it speaks for."""

    code = "key-department-required"
    message = _(
        "a department key must name its department (--department); departments of "
        "{jurisdiction}: {known}"
    )


class KeyDepartmentNotAllowedError(UserInputError):
    """Only department keys are scoped to a department (and a jurisdiction)."""

    code = "key-department-not-allowed"
    message = _("only department keys name a department or jurisdiction; a {role} key does not")


class KeyDepartmentUnknownError(UserInputError):
    """The department named is not one of this node's departments."""

    code = "key-department-unknown"
    message = _(
        "department {department} is not a department of {jurisdiction}; known: {known} "
        "(run `xinyong init` after adding it to the policy pack)"
    )


class KeyNotFoundError(NotFoundError):
    """No key has this prefix."""

    code = "api-key-not-found"
    message = _("no API key has the prefix {key}; `xinyong keys list` shows the keys")

    def __init__(self, prefix: str) -> None:
        super().__init__(what="API key", key=prefix)


class KeyAlreadyRevokedError(XinyongError):
    """A key is revoked once; revoking it again changes nothing and says so."""

    code = "api-key-already-revoked"
    status = 409
    message = _("the API key {prefix} was already revoked on {revoked_on}")
