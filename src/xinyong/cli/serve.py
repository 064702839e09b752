"""``xinyong serve``: run the HTTP API with uvicorn (thin).

Opens the node once before starting the server, so that a store that is
missing or not initialised fails here with one clear line instead of a
traceback from the server's startup.
"""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from xinyong.api.app import create_app
from xinyong.api.deps import open_node
from xinyong.config import Settings


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    access_log: Annotated[
        bool, typer.Option(help="Log every request (off for check servers at high rates).")
    ] = True,
) -> None:
    """Serve the HTTP API (docs at /api/docs, OpenAPI at /api/openapi.json)."""
    run_server(ctx.obj, host, port, access_log=access_log)


def run_server(settings: Settings, host: str, port: int, *, access_log: bool = True) -> None:
    """Check the node opens, then serve until interrupted (also used by ``xinyong demo``)."""
    open_node(settings).close()
    uvicorn.run(create_app(settings), host=host, port=port, access_log=access_log)
