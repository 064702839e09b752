"""Signed-cookie sessions for signed-in subjects, and CSRF tokens for every form.

The session cookie (``xy_session``) carries the account's login, a random
session id and the session's CSRF token, signed with the node's portal
secret (itsdangerous) and timed out after ``portal_session_minutes``. It is
``HttpOnly``, ``SameSite=Lax`` and ``Secure`` (unless switched off for plain
HTTP on 127.0.0.1). Signing in always writes a new cookie with a new id and
token, whatever the browser sent: a session planted before sign-in is never
the one signed in (fixation). Before sign-in the sign-in form's token rides
in its own signed cookie (``xy_csrf``, double submit).

The session id is also kept on the server (:mod:`xinyong.rights.session_service`):
a cookie counts only while its session is live there, so signing out ends
it for every copy of the cookie, not just the browser's.

Carried: the login, not the subject's code, so no identity number sits in a
cookie. A department's or the operator's desk has its own cookie
(``xy_desk``), signed in with the department's API key and carrying only
the key's public prefix; the key is looked up (and its revocation honoured)
on every request. The secret is ``portal_secret`` or a random key kept in
``data_dir/portal-secret`` (mode 0600), made on first use.
"""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from xinyong.config import Settings
from xinyong.rights.session_service import SessionKind, end_session, open_session, session_live
from xinyong.web.node import PortalNode

SESSION_COOKIE = "xy_session"
DESK_COOKIE = "xy_desk"  # a department's or the operator's desk, signed in with its API key
CSRF_COOKIE = "xy_csrf"
PENDING_COOKIE = "xy_oidc"  # a sign-in gone to the identity provider: state, nonce, PKCE verifier
PENDING_SECONDS = 600
CSRF_FIELD = "csrf"
_SALT_SESSION = "xinyong-portal-session"
_SALT_CSRF = "xinyong-portal-csrf"
_SALT_PENDING = "xinyong-portal-oidc"


@dataclass(frozen=True)
class Session:
    login: str
    sid: str
    csrf: str


def _secret(settings: Settings) -> str:
    if settings.portal_secret:
        return settings.portal_secret
    path = Path(settings.data_dir) / "portal-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_urlsafe(48))
    return path.read_text(encoding="ascii").strip()


def _serializer(settings: Settings, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_secret(settings), salt=salt)


def _cookie(response: Response, settings: Settings, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax",
                        secure=settings.portal_secure_cookies, path="/")  # fmt: skip


def _kind(cookie: str) -> SessionKind:
    return SessionKind.DESK if cookie == DESK_COOKIE else SessionKind.SUBJECT


def _signed(request: Request, settings: Settings, cookie: str) -> Session | None:
    raw = request.cookies.get(cookie)
    if not raw:
        return None
    try:
        data: dict[str, Any] = _serializer(settings, _SALT_SESSION + cookie).loads(
            raw, max_age=settings.portal_session_minutes * 60
        )
    except BadSignature:
        return None
    try:
        return Session(str(data["login"]), str(data["sid"]), str(data["csrf"]))
    except (KeyError, TypeError):
        return None


def current(request: Request, node: PortalNode, cookie: str = SESSION_COOKIE) -> Session | None:
    """The signed-in session: the cookie genuine and not timed out, the session live on the server.

    Looked up once per request (a form's token check, the page's identity and
    its forms' token all ask): the answer is kept in the request's state.
    """
    memo = f"xinyong_session_{cookie}"
    if hasattr(request.state, memo):
        kept: Session | None = getattr(request.state, memo)
        return kept
    found = _signed(request, node.settings, cookie)
    if found is not None and not session_live(
        node.store, found.sid, _kind(cookie), found.login, now=node.clock()
    ):
        found = None
    setattr(request.state, memo, found)
    return found


def start(
    response: Response, node: PortalNode, login: str, cookie: str = SESSION_COOKIE
) -> Session:
    """A new session (new id, new token) for ``login``, whatever cookie came in."""
    settings = node.settings
    sid = open_session(node.store, _kind(cookie), login,
                       minutes=settings.portal_session_minutes, now=node.clock())  # fmt: skip
    session = Session(login, sid, secrets.token_urlsafe(24))
    value = _serializer(settings, _SALT_SESSION + cookie).dumps(session.__dict__)
    _cookie(response, settings, cookie, value, settings.portal_session_minutes * 60)
    response.delete_cookie(CSRF_COOKIE, path="/")
    return session


def end(request: Request, response: Response, node: PortalNode,
        cookie: str = SESSION_COOKIE) -> None:  # fmt: skip
    """End the request's session on the server, and drop its cookie."""
    found = _signed(request, node.settings, cookie)
    if found is not None:
        end_session(node.store, found.sid, now=node.clock())
    response.delete_cookie(cookie, path="/")


def form_token(
    request: Request, node: PortalNode, cookie: str = SESSION_COOKIE
) -> tuple[str, bool]:
    """The CSRF token for a form, and whether it is a new pre-sign-in one to remember."""
    session = current(request, node, cookie)
    if session is not None:
        return session.csrf, False
    return secrets.token_urlsafe(24), True


def remember(response: Response, node: PortalNode, token: str) -> None:
    """Keep a pre-sign-in form's token in its signed cookie (double submit)."""
    _cookie(response, node.settings, CSRF_COOKIE,
            _serializer(node.settings, _SALT_CSRF).dumps(token), 3600)  # fmt: skip


def token_ok(
    request: Request, node: PortalNode, sent: str | None, cookie: str = SESSION_COOKIE
) -> bool:
    """Whether a form's token is the session's (or the pre-sign-in cookie's), compared in constant time."""
    if not sent:
        return False
    settings = node.settings
    session = current(request, node, cookie)
    if session is not None:
        return hmac.compare_digest(session.csrf, sent)
    raw = request.cookies.get(CSRF_COOKIE)
    if not raw:
        return False
    try:
        expected = str(_serializer(settings, _SALT_CSRF).loads(raw, max_age=3600))
    except BadSignature:
        return False
    return hmac.compare_digest(expected, sent)


def keep_pending(response: Response, node: PortalNode, pending: dict[str, str]) -> None:
    """Keep a sign-in at the identity provider in its signed cookie until the browser returns."""
    _cookie(response, node.settings, PENDING_COOKIE,
            _serializer(node.settings, _SALT_PENDING).dumps(pending), PENDING_SECONDS)  # fmt: skip


def pending(request: Request, node: PortalNode) -> dict[str, str] | None:
    """The sign-in the browser went to the provider with, if genuine and recent."""
    raw = request.cookies.get(PENDING_COOKIE)
    if not raw:
        return None
    try:
        data = _serializer(node.settings, _SALT_PENDING).loads(raw, max_age=PENDING_SECONDS)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return {str(k): str(v) for k, v in data.items()}


def drop_pending(response: Response) -> None:
    response.delete_cookie(PENDING_COOKIE, path="/")
