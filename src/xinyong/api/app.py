"""``create_app(settings)``: the HTTP API of one node, with no import-time side effects.

The app opens the node (store engine, policy pack, rate limiter) once in its
lifespan and disposes of the store on shutdown. Middleware, outermost first:
the last-resort 500, then the body-size limit (before routing); inside them
the problem+json handlers and the routes of :mod:`xinyong.api.routes`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from fastapi import FastAPI

from xinyong import __version__
from xinyong.api.deps import open_node, utc_now
from xinyong.api.limits import BodyLimitMiddleware
from xinyong.api.problems import (
    LastResortMiddleware,
    document_as_problem_json,
    install_problem_handlers,
)
from xinyong.api.routes import ROUTERS
from xinyong.config import Settings

DESCRIPTION = """\
The API of a Xinyong public-credit node. Every endpoint but `/api/v1/health`
needs an API key (`xinyong keys create`), sent as `Authorization: Bearer <key>`
or `X-API-Key: <key>`. Errors are RFC 9457 problem+json; `detail` follows
`Accept-Language` (zh-CN or en). See docs/api.md.
"""


def create_app(settings: Settings, *, clock: Callable[[], datetime] = utc_now) -> FastAPI:
    """The API for the node ``settings`` describe; ``clock`` gives "now" (aware, UTC)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        node = open_node(settings, clock=clock)
        app.state.node = node
        try:
            yield
        finally:
            node.close()

    app = FastAPI(
        title="Xinyong API",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    install_problem_handlers(app)
    generate_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_as_problem_json(generate_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    # add_middleware puts each new one outside the previous ones.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.api_max_upload_bytes)
    app.add_middleware(LastResortMiddleware)
    for router in ROUTERS:
        app.include_router(router)
    return app
