"""A small OpenID Connect provider, faithful to the parts of the protocol the portal uses.

Why a fake: the identity provider is a boundary we do not own (a
government's unified identity platform), and none runs on this machine.
This one speaks real HTTP and checks what a real one checks: discovery
(OpenID Connect Discovery 1.0), the authorisation request (client,
registered redirect URI, ``response_type=code``, an S256 PKCE challenge and
a nonce), a single-use code bound to that request, client authentication at
the token endpoint (``client_secret_basic``), the PKCE verifier against the
challenge (RFC 7636), and an RS256-signed ID token whose key is published at
``jwks_uri``. The user "signs in" by being named in :attr:`FakeProvider.user`.

:attr:`FakeProvider.faults` makes it misbehave on purpose, one way at a
time, so tests can prove the portal refuses each: ``signature`` (signed by
a key it does not publish), ``nonce``, ``audience``, ``issuer``, ``expired``.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

CLIENT_ID = "xinyong-node"
CLIENT_SECRET = "a-client-secret-for-tests"


@dataclass
class _Grant:
    redirect_uri: str
    nonce: str
    challenge: str
    sub: str
    used: bool = False


@dataclass
class FakeProvider:
    redirect_uri: str
    issuer: str = ""  # set once served
    user: str | None = "agent-0001"  # the `sub` of whoever is signed in at the provider
    faults: set[str] = field(default_factory=set)
    seen: list[dict[str, str]] = field(default_factory=list)  # authorisation requests
    token_requests: list[dict[str, str]] = field(default_factory=list)
    _grants: dict[str, _Grant] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig", "alg": "RS256"})
        self.stranger = RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256"})

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/.well-known/openid-configuration", self._discovery),
            Route("/authorize", self._authorize),
            Route("/token", self._token, methods=["POST"]),
            Route("/jwks", self._jwks),
        ])  # fmt: skip

    def _discovery(self, _request: Request) -> Response:
        issuer = self.issuer + ("/other" if "issuer" in self.faults else "")
        return JSONResponse({
            "issuer": issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        })  # fmt: skip

    def _jwks(self, _request: Request) -> Response:
        return JSONResponse(KeySet([self.key]).as_dict(private=False))

    def _authorize(self, request: Request) -> Response:
        q = dict(request.query_params)
        self.seen.append(q)
        wrong = (
            q.get("client_id") != CLIENT_ID
            or q.get("redirect_uri") != self.redirect_uri
            or q.get("response_type") != "code"
            or "openid" not in q.get("scope", "").split()
            or q.get("code_challenge_method") != "S256"
            or not q.get("code_challenge")
            or not q.get("nonce")
            or not q.get("state")
        )
        if wrong:
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        if self.user is None:
            return RedirectResponse(self.redirect_uri + "?" + urlencode(
                {"error": "access_denied", "state": q["state"]}), status_code=302)  # fmt: skip
        code = secrets.token_urlsafe(16)
        self._grants[code] = _Grant(q["redirect_uri"], q["nonce"], q["code_challenge"], self.user)
        return RedirectResponse(self.redirect_uri + "?" + urlencode(
            {"code": code, "state": q["state"]}), status_code=302)  # fmt: skip

    async def _token(self, request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        self.token_requests.append(form)
        if (
            request.headers.get("authorization")
            != "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        ):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        grant = self._grants.get(form.get("code", ""))
        if (
            form.get("grant_type") != "authorization_code"
            or grant is None
            or grant.used
            or form.get("redirect_uri") != grant.redirect_uri
        ):
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        grant.used = True  # a code is good once
        verifier = form.get("code_verifier", "")
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant.challenge:
            return JSONResponse({"error": "invalid_grant", "error_description": "PKCE"},
                                status_code=400)  # fmt: skip
        return JSONResponse({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                             "expires_in": 300, "id_token": self._id_token(grant)})  # fmt: skip

    def _id_token(self, grant: _Grant) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": grant.sub,
            "aud": "someone-else" if "audience" in self.faults else CLIENT_ID,
            "iat": now - 7200 if "expired" in self.faults else now,
            "exp": now - 3600 if "expired" in self.faults else now + 300,
            "nonce": "a-replayed-nonce" if "nonce" in self.faults else grant.nonce,
            "name": "张三",
        }
        key = self.stranger if "signature" in self.faults else self.key
        return jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)
