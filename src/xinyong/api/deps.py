"""What every request can depend on: the node the app opened at startup.

The app opens one :class:`Node` in its lifespan (the store's engine, the
node's policy pack, the rate limiter, the clock, the check index) and routes reach it through
:data:`NodeDep`; nothing here is created at import time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, cast

from fastapi import Depends, Request

from xinyong.api.limits import RateLimiter
from xinyong.checks.service import Checker
from xinyong.config import Settings
from xinyong.policy.loader import LoadedPack
from xinyong.policy.model import CatalogItem
from xinyong.policy.service import node_pack
from xinyong.rights.oidc import OidcSignIn
from xinyong.store.engine import Store, open_store


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Node:
    """This node as the API serves it, opened once per process."""

    settings: Settings
    store: Store
    pack: LoadedPack
    limiter: RateLimiter
    clock: Callable[[], datetime]
    catalog: Mapping[str, CatalogItem]  # the pack's items by code
    checker: Checker  # the check index, refreshed by the app's lifespan task
    search_limiter: RateLimiter  # the portal's search, per client address
    identity_provider: OidcSignIn | None = None  # subjects' OpenID Connect sign-in, if set up

    def close(self) -> None:
        try:
            self.checker.flush()  # the last checks' log rows
        finally:
            self.store.dispose()


def open_node(settings: Settings, *, clock: Callable[[], datetime] = utc_now) -> Node:
    """Open the store (at the migrations head) and load the node's pack, or raise why not."""
    store = open_store(settings.store_url)
    try:
        pack = node_pack(settings)
        checker = Checker(store, pack)
    except BaseException:
        store.dispose()
        raise
    limiter = RateLimiter(settings.api_rate_per_second, settings.api_rate_burst)
    catalog = {item.code: item for item in pack.pack.catalog}
    searches = RateLimiter(settings.portal_search_per_second, settings.portal_search_burst)
    provider = None
    if settings.oidc_issuer and settings.oidc_client_id:
        provider = OidcSignIn(store, issuer=settings.oidc_issuer, client_id=settings.oidc_client_id,
                              client_secret=settings.oidc_client_secret, label=settings.oidc_label)  # fmt: skip
    return Node(settings, store, pack, limiter, clock, catalog, checker, searches, provider)


async def get_node(request: Request) -> Node:
    return cast(Node, request.app.state.node)


NodeDep = Annotated[Node, Depends(get_node)]
