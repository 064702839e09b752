"""``create_app(settings)``: the HTTP API of one node, with no import-time side effects.

The app opens the node (store engine, policy pack, rate limiter) once in its
lifespan and disposes of the store on shutdown. Middleware, outermost first:
the last-resort 500, then the body-size limit (before routing); inside them
the problem+json handlers and the routes of :mod:`xinyong.api.routes`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from xinyong import __version__
from xinyong.api.deps import Node, open_node, utc_now
from xinyong.api.limits import BodyLimitMiddleware
from xinyong.api.problems import (
    LastResortMiddleware,
    document_as_problem_json,
    install_problem_handlers,
)
from xinyong.api.routes import ROUTERS
from xinyong.config import Settings
from xinyong.web import desk as portal_desk
from xinyong.web import feed as portal_feed
from xinyong.web import lists as portal_lists
from xinyong.web import me as portal_me
from xinyong.web import open_data as portal_open_data
from xinyong.web import pages as portal
from xinyong.web import provider as portal_provider
from xinyong.web import reports as portal_reports
from xinyong.web import stats as portal_stats
from xinyong.web.security import SecurityHeadersMiddleware

DESCRIPTION = """\
The API of a Xinyong public-credit node. Every endpoint but `/api/v1/health`
needs an API key (`xinyong keys create`), sent as `Authorization: Bearer <key>`
or `X-API-Key: <key>`. Errors are RFC 9457 problem+json; `detail` follows
`Accept-Language` (zh-CN or en). See docs/api.md.
"""


_log = logging.getLogger("xinyong.api")
STATIC = Path(portal.__file__).parent / "static"


async def _refresh_checks(node: Node, every: float) -> None:
    """Take list changes into the check index (and write the check log) every ``every`` s.

    In a worker thread, so that checks keep being answered meanwhile. A failed
    refresh (the database away for a moment) is logged and retried next time.
    Cancelled (the app stopping) while a refresh runs, it waits for that
    refresh to end: a thread cannot be cancelled, and the store must not be
    closed under it (its connection would be left open).
    """
    while True:
        await asyncio.sleep(every)
        refresh = asyncio.ensure_future(asyncio.to_thread(node.checker.refresh))
        try:
            await asyncio.shield(refresh)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await refresh
            raise
        except Exception:  # noqa: BLE001 - any failure: logged, and the next refresh retries
            _log.exception("refreshing the check index failed; retrying in %s s", every)


def create_app(settings: Settings, *, clock: Callable[[], datetime] = utc_now) -> FastAPI:
    """The API for the node ``settings`` describe; ``clock`` gives "now" (aware, UTC)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        node = open_node(settings, clock=clock)
        app.state.node = node
        refreshing = asyncio.create_task(_refresh_checks(node, settings.check_refresh_seconds))
        try:
            yield
        finally:
            refreshing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await refreshing
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
    app.add_middleware(SecurityHeadersMiddleware)
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(portal.router)
    app.include_router(portal_reports.router)
    app.include_router(portal_feed.router)
    app.include_router(portal_stats.router)
    app.include_router(portal_lists.router)
    app.include_router(portal_open_data.router)
    app.include_router(portal_me.router)
    app.include_router(portal_desk.router)
    app.include_router(portal_provider.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
