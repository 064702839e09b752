"""Signing in through an OpenID Connect provider: code flow with PKCE, a verified ID token, a linked account.

The provider is :mod:`tests.fakes.oidc_provider`, served over real HTTP on
127.0.0.1; the portal talks to it with Authlib exactly as to a real one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests.api.conftest import File, app_for
from tests.fakes.oidc_provider import CLIENT_ID, CLIENT_SECRET, FakeProvider
from tests.serving import served
from xinyong.audit.service import entries_for_target
from xinyong.config import Settings
from xinyong.rights.account_service import invite_account, link_account
from xinyong.store.engine import Store
from xinyong.store.uow import UnitOfWork
from xinyong.web.session import PENDING_COOKIE

CALLBACK = "https://testserver/signin/oidc/callback"
EN = {"Accept-Language": "en"}


@pytest.fixture
def provider() -> Iterator[FakeProvider]:
    fake = FakeProvider(redirect_uri=CALLBACK)
    with served(fake.app) as url:
        fake.issuer = url
        yield fake


@pytest.fixture
def portal(
    node_settings: Settings, node_store: Store, subject_file: File, now: datetime,
    provider: FakeProvider,
) -> Iterator[TestClient]:  # fmt: skip
    invite_account(node_store, subject_code=subject_file.company, login="company-agent",
                   password="correct horse battery", agent="张三", actor="operator", now=now)  # fmt: skip
    link_account(node_store, "company-agent", issuer=provider.issuer, subject="agent-0001",
                 actor="operator", now=now)  # fmt: skip
    settings = node_settings.model_copy(update={
        "oidc_issuer": provider.issuer, "oidc_client_id": CLIENT_ID,
        "oidc_client_secret": CLIENT_SECRET, "oidc_label": "政务服务平台"})  # fmt: skip
    with TestClient(app_for(settings, now), base_url="https://testserver") as client:
        yield client


def _token(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _to_provider(portal: TestClient) -> Response:
    page = portal.get("/signin", headers=EN).text
    assert "Sign in with 政务服务平台" in page
    return portal.post("/signin/oidc", data={"csrf": _token(page)}, follow_redirects=False)


def _round_trip(portal: TestClient) -> Response:
    """Out to the provider and back: the callback's answer."""
    away = _to_provider(portal)
    assert away.status_code == 303
    back = httpx.get(away.headers["location"], follow_redirects=False)
    assert back.status_code == 302
    callback = urlsplit(back.headers["location"])
    return portal.get(f"{callback.path}?{callback.query}", headers=EN, follow_redirects=False)


def _refusals(store: Store) -> list[dict[str, object]]:
    with UnitOfWork(store, read_only=True) as uow:
        return [e.detail for e in entries_for_target(uow.connection, "account:unknown")
                if e.action == "account.refused"]  # fmt: skip


def test_a_linked_agent_signs_in_at_the_provider_and_reads_the_companys_own_file(
    portal: TestClient, provider: FakeProvider, node_store: Store, subject_file: File
) -> None:
    answer = _round_trip(portal)
    assert (answer.status_code, answer.headers["location"]) == (303, "/me")
    asked = provider.seen[-1]
    assert asked["code_challenge_method"] == "S256"
    assert asked["nonce"]
    assert asked["state"]
    assert provider.token_requests[-1][
        "code_verifier"
    ]  # the provider checked it against the challenge
    assert PENDING_COOKIE not in portal.cookies  # the state, nonce and verifier are spent
    mine = portal.get("/me", headers=EN)
    assert mine.status_code == 200
    assert subject_file.company in mine.text
    with UnitOfWork(node_store, read_only=True) as uow:
        events = entries_for_target(uow.connection, f"subject:{subject_file.company}")
    signed = [e for e in events if e.action == "account.sign_in"]
    assert signed[-1].detail["via"] == "oidc"


@pytest.mark.parametrize(("fault", "caught"), [
    ("signature", "BadSignatureError"), ("nonce", "nonce"), ("audience", "aud"),
    ("expired", "exp")])  # fmt: skip
def test_an_id_token_that_does_not_verify_signs_no_one_in(
    portal: TestClient, provider: FakeProvider, node_store: Store, fault: str, caught: str
) -> None:
    provider.faults = {fault}
    answer = _round_trip(portal)
    assert answer.status_code == 401
    assert "could not be completed" in answer.text
    assert portal.get("/me", follow_redirects=False).status_code == 303
    reason = str(_refusals(node_store)[-1]["reason"])
    assert reason.startswith("ID token")
    assert caught in reason


def test_a_provider_that_names_another_issuer_is_not_trusted(
    portal: TestClient, provider: FakeProvider
) -> None:
    provider.faults = {"issuer"}
    answer = _to_provider(portal)
    assert answer.status_code == 502
    assert not provider.seen  # the browser was never sent there


def test_a_callback_with_another_state_or_from_another_browser_is_refused(
    portal: TestClient, provider: FakeProvider, node_store: Store
) -> None:
    away = _to_provider(portal)
    back = urlsplit(httpx.get(away.headers["location"], follow_redirects=False).headers["location"])
    code = parse_qs(back.query)["code"][0]
    forged = portal.get(f"{back.path}?code={code}&state=forged", follow_redirects=False)
    assert forged.status_code == 401
    assert _refusals(node_store)[-1]["reason"] == "state does not match"
    assert not provider.token_requests  # the code was never traded
    stranger = TestClient(portal.app, base_url="https://testserver")  # no pending sign-in
    assert stranger.get(f"{back.path}?{back.query}", follow_redirects=False).status_code == 401
    assert portal.get("/me", follow_redirects=False).status_code == 303


def test_an_unlinked_identity_or_a_refusal_at_the_provider_signs_no_one_in(
    portal: TestClient, provider: FakeProvider, node_store: Store
) -> None:
    provider.user = "someone-not-linked"
    assert _round_trip(portal).status_code == 401
    assert _refusals(node_store)[-1]["reason"] == "not linked"
    provider.user = None  # the user said no at the provider
    assert _round_trip(portal).status_code == 401
    assert portal.get("/me", follow_redirects=False).status_code == 303


def test_without_a_provider_the_sign_in_page_offers_passwords_only(
    node_settings: Settings, now: datetime
) -> None:
    with TestClient(app_for(node_settings, now), base_url="https://testserver") as client:
        page = client.get("/signin", headers=EN).text
        assert "/signin/oidc" not in page
        sent = client.post("/signin/oidc", data={"csrf": _token(page)}, follow_redirects=False)
        assert (sent.status_code, sent.headers["location"]) == (303, "/signin")
