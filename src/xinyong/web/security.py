"""Security headers for the portal's pages: a strict CSP with a nonce, no framing, no sniffing.

Scripts run only from this origin or with the response's nonce; no inline
style, no plugin, no base-URI change, no framing (``frame-ancestors 'none'``).
The API's own pages (``/api/docs``) load Swagger UI from a CDN and are left
out; API responses are JSON, which browsers do not run.
"""

from __future__ import annotations

import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)


class SecurityHeadersMiddleware:
    """Adds the headers to every response outside ``/api``; the nonce is in ``scope["state"]``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/api"):
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        policy = _POLICY.format(nonce=nonce).encode()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _value in headers}
                headers += [(name, value) for name, value in
                            [(b"content-security-policy", policy), *_HEADERS]
                            if name not in present]  # a response's own header stands  # fmt: skip
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
