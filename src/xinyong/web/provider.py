"""Signing in through the node's OpenID Connect provider: ``/signin/oidc`` and its callback (thin).

The button on ``/signin`` posts (with the form's CSRF token) to
``/signin/oidc``, which sends the browser to the provider and keeps the
state, nonce and PKCE verifier in a signed cookie; the provider sends it
back to ``/signin/oidc/callback``, where :mod:`xinyong.rights.oidc` checks
everything and the same session as a password sign-in starts.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from xinyong.errors import XinyongError
from xinyong.rights.errors import ProviderSignInError
from xinyong.rights.oidc import Pending
from xinyong.web import session
from xinyong.web.locale import page_locale
from xinyong.web.me import refused_form, signin_page
from xinyong.web.node import Node, PortalNode

router = APIRouter(include_in_schema=False)


def _callback(request: Request, node: PortalNode) -> str:
    return node.settings.oidc_redirect_uri or str(request.url_for("oidc_callback"))


@router.post("/signin/oidc", response_model=None)
def oidc_begin(
    request: Request, node: Node, csrf: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    """Off to the identity provider, with a fresh state, nonce and PKCE verifier."""
    if not session.token_ok(request, node, csrf):
        return refused_form(request)
    provider = node.identity_provider
    if provider is None:
        return RedirectResponse("/signin", status_code=303)
    try:
        url, pending = provider.begin(_callback(request, node))
    except XinyongError as err:
        return signin_page(request, node, err.status, err.render(page_locale(request)))
    away = RedirectResponse(url, status_code=303)
    session.keep_pending(away, node, pending.as_dict())
    return away


@router.get("/signin/oidc/callback", name="oidc_callback", response_model=None)
def oidc_callback(
    request: Request,
    node: Node,
    code: Annotated[str, Query(max_length=2000)] = "",
    state: Annotated[str, Query(max_length=500)] = "",
    error: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """Back from the provider: a new session if its answer verifies, the sign-in page if not."""
    provider = node.identity_provider
    kept = session.pending(request, node)
    if provider is None:
        return RedirectResponse("/signin", status_code=303)
    try:
        if kept is None or set(kept) != set(Pending.__dataclass_fields__) or error or not code:
            raise ProviderSignInError()
        identity = provider.finish(Pending(**kept), code=code, state=state, now=node.clock())
    except XinyongError as err:
        page = signin_page(request, node, err.status, err.render(page_locale(request)))
        session.drop_pending(page)
        return page
    done = RedirectResponse("/me", status_code=303)
    session.start(done, node, identity.login)
    session.drop_pending(done)
    return done
