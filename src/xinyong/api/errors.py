"""Errors only the HTTP API raises: unknown routes, invalid requests, limits.

Authentication and role errors belong to :mod:`xinyong.keys.errors`; the
domain's errors to their packages. All render as problem+json in
:mod:`xinyong.api.problems`.
"""

from __future__ import annotations

from collections.abc import Sequence

from xinyong.errors import Problem, ProblemsError, XinyongError
from xinyong.i18n import gettext_noop as _


class RouteNotFoundError(XinyongError):
    """No endpoint has this path."""

    code = "route-not-found"
    status = 404
    message = _("there is no endpoint at {path}; the API is described at /api/docs")


class MethodNotAllowedError(XinyongError):
    """The path exists but does not answer this HTTP method."""

    code = "method-not-allowed"
    status = 405
    message = _("{method} is not allowed on {path}; allowed: {allowed}")


class RequestInvalidError(ProblemsError):
    """Parameters or body of a request do not validate; each problem names its field."""

    code = "request-invalid"
    status = 422
    message = _("{count} problem(s) in the request; each is listed under `problems` with its field")

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("the request", problems)


class HttpStatusError(XinyongError):
    """A request refused by the HTTP layer itself (e.g. a body that cannot be parsed)."""

    code = "http-error"
    status = 400
    message = _("the request was refused: {detail}")


class RequestTooLargeError(XinyongError):
    """The request body is over the node's upload limit."""

    code = "request-too-large"
    status = 413
    message = _(
        "the request body is larger than this node's limit of {limit} bytes "
        "(XINYONG_API_MAX_UPLOAD_BYTES); split the upload into smaller batches"
    )


class RateLimitedError(XinyongError):
    """The key made more requests than its rate allows; ``Retry-After`` says when to retry."""

    code = "rate-limited"
    status = 429
    message = _(
        "too many requests with API key {prefix}: at most {rate} per second on average, "
        "{burst} at once; retry in {retry_after} s"
    )

    def __init__(self, *, prefix: str, rate: float, burst: int, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(prefix=prefix, rate=rate, burst=burst, retry_after=retry_after)
