"""Every error the API answers, rendered once as RFC 9457 problem+json.

Owns the shape of an error response and the handlers that produce it: for
every :class:`~xinyong.errors.XinyongError`, for request validation, for
unknown routes and methods, and a last resort for anything else (500, logged
once, no traceback in the answer). ``detail`` follows ``Accept-Language``
(zh → Chinese). Must not decide anything else: routes and services raise,
this module only renders.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xinyong.api.errors import (
    HttpStatusError,
    MethodNotAllowedError,
    RateLimitedError,
    RequestInvalidError,
    RouteNotFoundError,
)
from xinyong.errors import Problem, ProblemsError, XinyongError
from xinyong.i18n import preferred_locale
from xinyong.keys.errors import AuthenticationError, KeyMissingError

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://xinyong.dev/problems/"
log = logging.getLogger("xinyong.api")


def problem_type(code: str) -> str:
    """The stable URI naming an error code (documented in docs/errors.md)."""
    return TYPE_BASE + code


class ProblemItem(BaseModel):
    """One problem inside a ``problems`` error, located by ``where``."""

    model_config = ConfigDict(extra="forbid")

    where: str = Field(description="Where: a field path such as query.limit, or a file and row.")
    code: str = Field(description="Stable code of this problem.")
    message: str = Field(description="What is wrong and what was expected.")


class ProblemDetails(BaseModel):
    """An error answer (RFC 9457, ``application/problem+json``) with Xinyong's ``code``."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(
        description="Stable URI of the error code: https://xinyong.dev/problems/<code>."
    )
    title: str = Field(description="Short summary of the status, the same for every occurrence.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong, for a person, in the requested language.")
    instance: str = Field(description="The path of the request that failed.")
    code: str = Field(description="Stable error code (docs/errors.md).")
    problems: list[ProblemItem] | None = Field(
        None, description="Every problem found, when the error collects several."
    )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route, so that its OpenAPI entry shows the error shape."""
    return {
        status: {"model": ProblemDetails, "description": HTTPStatus(status).phrase}
        for status in statuses
    }


def document_as_problem_json(schema: dict[str, Any]) -> dict[str, Any]:
    """Move the error responses' schema to ``application/problem+json`` in an OpenAPI document.

    FastAPI files a response ``model`` under the route's media type
    (``application/json``); error answers are ``application/problem+json``.
    """
    ref = "#/components/schemas/ProblemDetails"
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                body = content.get("application/json", {}).get("schema", {})
                if status[:1] in "45" and body.get("$ref") == ref:
                    content[PROBLEM_JSON] = content.pop("application/json")
    return schema


def locale_of(headers: Headers) -> str:
    """zh-CN when Accept-Language prefers Chinese to English, else en."""
    return preferred_locale(headers.get("accept-language", ""), "en")


def problem_body(
    error: XinyongError, instance: str, locale: str, *, status: int | None = None
) -> dict[str, Any]:
    code = status or error.status
    problems = None
    detail = error.render(locale)
    if isinstance(error, ProblemsError):
        detail = error.problem(locale).message  # the head line; each problem is listed
        problems = [
            ProblemItem(where=p.where, code=p.code, message=p.message) for p in error.problems
        ]
    body = ProblemDetails(
        type=problem_type(error.code),
        title=HTTPStatus(code).phrase,
        status=code,
        detail=detail,
        instance=instance,
        code=error.code,
        problems=problems,
    )
    return body.model_dump(exclude_none=True)


def _headers_for(error: XinyongError) -> dict[str, str]:
    if isinstance(error, AuthenticationError):
        # RFC 6750 §3: name the scheme; say invalid_token when a key was sent.
        challenge = 'Bearer realm="xinyong"'
        if not isinstance(error, KeyMissingError):
            challenge += ', error="invalid_token"'
        return {"WWW-Authenticate": challenge}
    if isinstance(error, RateLimitedError):
        return {"Retry-After": str(error.retry_after)}
    if isinstance(error, MethodNotAllowedError):
        return {"Allow": str(error.fields["allowed"])}
    return {}


def problem_response(
    error: XinyongError,
    headers: Headers,
    instance: str,
    *,
    status: int | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    locale = locale_of(headers)
    return JSONResponse(
        problem_body(error, instance, locale, status=status),
        status_code=status or error.status,
        media_type=PROBLEM_JSON,
        headers={
            **_headers_for(error),
            **(extra_headers or {}),
            "Content-Language": locale,
            "Vary": "Accept-Language",
        },
    )


class ErrorResponse(StarletteHTTPException):
    """A XinyongError travelling as an HTTPException, optionally with another status.

    FastAPI lets only HTTPExceptions out of body parsing (others become a bare
    400), so errors raised while the body streams in travel in this form.
    """

    def __init__(self, error: XinyongError, status: int | None = None) -> None:
        super().__init__(status_code=status or error.status)
        self.error = error


@contextmanager
def answered_as(status: int, *errors: type[XinyongError]) -> Iterator[None]:
    """Answer ``errors`` raised inside with ``status`` instead of their own.

    For an input whose place changes its meaning: a subject code that does not
    validate is 422 in a body but 400 in a URL path (the request itself is
    malformed); the error's code and message stay the same.
    """
    try:
        yield
    except errors as err:
        raise ErrorResponse(err, status) from err


async def _xinyong_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, XinyongError)
    if exc.status >= 500:
        # Raised on purpose (the store is down, the schema is old): an
        # operator must see it, once; the message says what to do.
        log.error("%s %s: %s [%s]", request.method, request.url.path, exc.render(), exc.code)
    return problem_response(exc, request.headers, request.url.path)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        Problem(".".join(str(part) for part in e.get("loc", ())), str(e["type"]), str(e["msg"]))
        for e in exc.errors()
    ]
    return problem_response(RequestInvalidError(problems), request.headers, request.url.path)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    path = request.url.path
    error: XinyongError
    if isinstance(exc, ErrorResponse):
        error = exc.error
    elif exc.status_code == 404:
        error = RouteNotFoundError(path=path)
    elif exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        error = MethodNotAllowedError(method=request.method, path=path, allowed=allowed)
    else:
        error = HttpStatusError(detail=exc.detail)
    if exc.status_code >= 500:
        log.error("%s %s: HTTP %s: %s", request.method, path, exc.status_code, exc.detail)
    return problem_response(error, request.headers, path, status=exc.status_code)


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error the routes raise answer problem+json."""
    app.add_exception_handler(XinyongError, _xinyong_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)


class LastResortMiddleware:
    """Anything unexpected: log it once with its traceback, answer a bare 500 problem.

    Sits outside the exception handlers, so it sees only what they did not
    handle. It does not re-raise (Starlette's ServerErrorMiddleware would log a
    second time); the answer carries no traceback or exception text.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            path = scope.get("path", "")
            log.exception("unhandled error on %s %s", scope.get("method", ""), path)
            if started:
                return  # the server closes the half-sent response
            response = problem_response(XinyongError(), Headers(scope=scope), path)
            await response(scope, receive, send)
