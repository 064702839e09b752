"""What the portal's pages depend on: the node the app opened, seen through a protocol.

The web layer sits below the API (the API's app mounts it), so it names the
parts of ``xinyong.api.deps.Node`` it uses instead of importing it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Annotated, Protocol, cast

from fastapi import Depends, Request

from xinyong.config import Settings
from xinyong.policy.loader import LoadedPack
from xinyong.policy.model import CatalogItem
from xinyong.rights.oidc import ProviderSignIn
from xinyong.store.engine import Store


class PortalNode(Protocol):
    """What the pages use of the node the app opened (``xinyong.api.deps.Node``)."""

    store: Store
    pack: LoadedPack
    settings: Settings
    catalog: Mapping[str, CatalogItem]
    clock: Callable[[], datetime]
    search_limiter: Limiter
    identity_provider: ProviderSignIn | None  # OpenID Connect, when the node has a provider


class Limiter(Protocol):
    def wait(self, key: str) -> float:
        """0.0 when ``key`` may go on, else the seconds until it may."""


def _node(request: Request) -> PortalNode:
    return cast(PortalNode, request.app.state.node)


Node = Annotated[PortalNode, Depends(_node)]
