"""Signing subjects in through an OpenID Connect provider (Authlib), beside local accounts.

Real deployments do not keep passwords: a person or a company's agent signs
in at the government's identity provider, which sends them back with a code.
This is the authorisation-code flow with PKCE (S256) and a nonce, as
OpenID Connect Core 1.0 and RFC 7636 describe it, in Authlib's client:

1. :meth:`OidcSignIn.begin` reads the provider's discovery document, and
   gives the address to send the browser to, with a :class:`Pending` that
   the browser keeps (in a signed cookie) until it comes back: the state,
   the nonce and the PKCE verifier.
2. :meth:`OidcSignIn.finish` checks the returned state against it, trades
   the code (with the verifier) for tokens, and verifies the ID token:
   signature by the provider's published keys, issuer, audience, expiry
   and nonce. The verified (issuer, ``sub``) names the account, linked
   beforehand by the operator (:func:`~xinyong.rights.account_service.link_account`);
   nothing else the provider sends (a name, an e-mail) finds an account.

Either way in, the portal gets the same :class:`~xinyong.rights.accounts.Identity`
and starts the same session. Every refusal is audited with what failed;
the subject is told only that it did not work.
"""

from __future__ import annotations

import hmac
import warnings
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, NoReturn, Protocol

import httpx
from authlib.integrations.base_client import OAuthError
from authlib.integrations.base_client.sync_app import BaseApp, OAuth2Mixin
from authlib.integrations.base_client.sync_openid import OpenIDMixin
from joserfc.errors import JoseError

from xinyong.rights.account_service import provider_sign_in, refuse_provider_answer
from xinyong.rights.accounts import Identity
from xinyong.rights.errors import ProviderSignInError, ProviderUnavailableError
from xinyong.store.engine import Store

with warnings.catch_warnings():
    # Authlib 1.9 prefers the httpx2 fork and warns when it falls back to httpx,
    # which it still supports and which the rest of the stack uses.
    warnings.filterwarnings("ignore", message="The httpx module is deprecated")
    from authlib.integrations.httpx_client import OAuth2Client

DISCOVERY = "/.well-known/openid-configuration"
TIMEOUT_SECONDS = 10.0
_CLIENT_KWARGS = {"scope": "openid", "code_challenge_method": "S256", "timeout": TIMEOUT_SECONDS}


@dataclass(frozen=True)
class Pending:
    """What the browser carries from the provider's door back to the callback (signed)."""

    state: str
    nonce: str
    code_verifier: str
    redirect_uri: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


class ProviderSignIn(Protocol):
    """A sign-in that goes by way of the browser to somewhere else and back."""

    label: str

    def begin(self, redirect_uri: str) -> tuple[str, Pending]: ...

    def finish(self, pending: Pending, *, code: str, state: str, now: datetime) -> Identity: ...


class _NoTokenKeeping:
    """Authlib's apps hand refreshed tokens to their framework; the portal keeps none."""

    @staticmethod
    def update_token(*_args: object, **_kwargs: object) -> None:
        return None


class _Client(OAuth2Mixin, OpenIDMixin, BaseApp):  # type: ignore[misc]
    """Authlib's OpenID client over httpx, as its framework integrations compose it."""

    client_cls = OAuth2Client


class OidcSignIn:
    """The node's client at one OpenID Connect provider (discovery read once, on first use)."""

    def __init__(
        self,
        store: Store,
        *,
        issuer: str,
        client_id: str,
        client_secret: str | None,
        label: str = "identity provider",
    ) -> None:
        self.store = store
        self.issuer = issuer.rstrip("/")
        self.label = label
        self._client = _Client(
            _NoTokenKeeping(),
            name="oidc",
            client_id=client_id,
            client_secret=client_secret,
            server_metadata_url=self.issuer + DISCOVERY,
            client_kwargs=_CLIENT_KWARGS,
        )

    def _metadata(self) -> dict[str, Any]:
        try:
            metadata: dict[str, Any] = self._client.load_server_metadata()
        except (httpx.HTTPError, ValueError) as err:
            raise ProviderUnavailableError() from err
        if metadata.get("issuer", "").rstrip("/") != self.issuer:
            # OpenID Connect Discovery 1.0, 4.3: the document must name the issuer asked.
            raise ProviderUnavailableError()
        return metadata

    def begin(self, redirect_uri: str) -> tuple[str, Pending]:
        """Where to send the browser, and what it must bring back."""
        self._metadata()
        try:
            made = self._client.create_authorization_url(redirect_uri=redirect_uri)
        except (httpx.HTTPError, RuntimeError) as err:
            raise ProviderUnavailableError() from err
        pending = Pending(made["state"], made["nonce"], made["code_verifier"], redirect_uri)
        return str(made["url"]), pending

    def finish(self, pending: Pending, *, code: str, state: str, now: datetime) -> Identity:
        """The identity of a verified answer; refused (and audited) for any other."""
        if not state or not hmac.compare_digest(state, pending.state):
            self._refuse("state does not match", now)
        metadata = self._metadata()
        try:
            token = self._client.fetch_access_token(
                redirect_uri=pending.redirect_uri, code=code, code_verifier=pending.code_verifier
            )
        except httpx.HTTPError as err:
            raise ProviderUnavailableError() from err
        except OAuthError as err:
            self._refuse(f"token endpoint: {err.error}", now)
        claims_options = {
            "iss": {"essential": True, "value": metadata["issuer"]},
            "aud": {"essential": True, "value": self._client.client_id},
        }
        try:
            claims = self._client.parse_id_token(token, nonce=pending.nonce,
                                                 claims_options=claims_options, leeway=60)  # fmt: skip
        except (JoseError, ValueError, KeyError) as err:
            self._refuse(f"ID token: {type(err).__name__}: {err}", now)
        except httpx.HTTPError as err:
            raise ProviderUnavailableError() from err
        if claims is None or not claims.get("sub"):
            self._refuse("no ID token", now)
        return provider_sign_in(self.store, issuer=self.issuer, subject=str(claims["sub"]), now=now)

    def _refuse(self, reason: str, now: datetime) -> NoReturn:
        refuse_provider_answer(self.store, issuer=self.issuer, reason=reason, now=now)
        raise ProviderSignInError()
