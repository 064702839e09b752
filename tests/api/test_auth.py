"""Authentication (401), roles (403) and the role matrix of the read endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends
from fastapi.testclient import TestClient

from tests.api.conftest import KeyFor, app_for, bearer
from tests.store.helpers import USCC
from xinyong.api.auth import require
from xinyong.config import Settings
from xinyong.keys.model import Principal, Role
from xinyong.keys.service import revoke_key
from xinyong.store.engine import Store

READ_ENDPOINTS = {
    "catalog": "/api/v1/catalog",
    "subject": f"/api/v1/subjects/{USCC}",
    "records": f"/api/v1/subjects/{USCC}/records",
    "published list": "/api/v1/lists/judgment_defaulters/entries",
    "unpublished list": "/api/v1/lists/long_serving_volunteers/entries",
}
# The exact answer each role gets from each read endpoint. Every role reads
# the first four (what it sees differs, see test_disclosure and test_lists); an
# unpublished list does not exist for agencies and the public. A change to who
# may read must change this table.
EXPECTED = {(role, endpoint): 200 for role in Role for endpoint in READ_ENDPOINTS} | {
    (Role.AGENCY, "unpublished list"): 404,
    (Role.PUBLIC, "unpublished list"): 404,
}


def _code(response_json: dict[str, object]) -> object:
    return response_json["code"]


@pytest.mark.parametrize("endpoint", sorted(READ_ENDPOINTS))
def test_no_key_is_401_with_a_bearer_challenge(client: TestClient, endpoint: str) -> None:
    response = client.get(READ_ENDPOINTS[endpoint])
    assert response.status_code == 401
    assert _code(response.json()) == "api-key-missing"
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="xinyong"'


def test_a_non_bearer_authorization_is_a_missing_key(client: TestClient, key_for: KeyFor) -> None:
    response = client.get(
        "/api/v1/catalog", headers={"Authorization": f"Token {key_for(Role.PUBLIC)}"}
    )
    assert (response.status_code, _code(response.json())) == (401, "api-key-missing")


def test_bearer_and_x_api_key_both_authenticate(client: TestClient, key_for: KeyFor) -> None:
    key = key_for(Role.PUBLIC)
    assert client.get("/api/v1/catalog", headers=bearer(key)).status_code == 200
    assert client.get("/api/v1/catalog", headers={"X-API-Key": key}).status_code == 200


@pytest.mark.parametrize(
    ("sent", "code"),
    [
        ("not-a-key", "api-key-malformed"),
        ("xy_short_secret", "api-key-malformed"),
        ("xy_abcdefghij_" + "s" * 43, "api-key-unknown"),
    ],
)
def test_malformed_and_unknown_keys_are_401(
    client: TestClient, key_for: KeyFor, sent: str, code: str
) -> None:
    key_for(Role.OPERATOR)  # a key exists, but not this one
    response = client.get("/api/v1/catalog", headers=bearer(sent))
    assert (response.status_code, _code(response.json())) == (401, code)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="xinyong", error="invalid_token"'


def test_a_known_prefix_with_a_wrong_secret_is_unknown_not_revoked(
    client: TestClient, key_for: KeyFor, node_store: Store, now: datetime
) -> None:
    key = key_for(Role.OPERATOR)
    forged = key[:-4] + ("aaaa" if not key.endswith("aaaa") else "bbbb")
    assert _code(client.get("/api/v1/catalog", headers=bearer(forged)).json()) == "api-key-unknown"
    revoke_key(node_store, key.split("_")[1], actor="test", now=now)
    # Only the holder of the right secret learns that the key was revoked.
    assert _code(client.get("/api/v1/catalog", headers=bearer(forged)).json()) == "api-key-unknown"


def test_a_revoked_key_is_refused_from_the_next_request(
    client: TestClient, key_for: KeyFor, node_store: Store, now: datetime
) -> None:
    key = key_for(Role.DEPARTMENT)
    assert client.get("/api/v1/catalog", headers=bearer(key)).status_code == 200
    revoke_key(node_store, key.split("_")[1], actor="test", now=now)
    response = client.get("/api/v1/catalog", headers=bearer(key))
    assert (response.status_code, _code(response.json())) == (401, "api-key-revoked")
    assert "2026-03-02" in response.json()["detail"]
    assert "invalid_token" in response.headers["WWW-Authenticate"]


@pytest.mark.parametrize(("role", "endpoint"), sorted(EXPECTED))
def test_read_endpoint_role_matrix(
    client: TestClient, key_for: KeyFor, subject_file: object, role: Role, endpoint: str
) -> None:
    response = client.get(READ_ENDPOINTS[endpoint], headers=bearer(key_for(role)))
    assert response.status_code == EXPECTED[(role, endpoint)], response.text


# require() is what every endpoint uses to admit roles; an endpoint for some
# roles only arrives with the upload routes, so a route is mounted here.
ADMITTED = (Role.OPERATOR, Role.DEPARTMENT)


@pytest.fixture
def guarded(node_settings: Settings, now: datetime) -> TestClient:
    app = app_for(node_settings, now)
    router = APIRouter()

    @router.get("/api/v1/test-guarded")
    async def guarded_route(
        principal: Annotated[Principal, Depends(require(*ADMITTED))],
    ) -> dict[str, str]:
        return {"role": principal.role.value}

    app.include_router(router)
    return TestClient(app)


@pytest.mark.parametrize("role", list(Role))
def test_require_admits_its_roles_and_refuses_others_with_403(
    guarded: TestClient, key_for: KeyFor, role: Role
) -> None:
    with guarded:
        response = guarded.get("/api/v1/test-guarded", headers=bearer(key_for(role)))
    if role in ADMITTED:
        assert (response.status_code, response.json()) == (200, {"role": role.value})
    else:
        assert response.status_code == 403
        body = response.json()
        assert body["code"] == "role-forbidden"
        assert body["detail"] == (
            f"a {role.value} key may not use this endpoint; it needs one of: operator, department"
        )


def test_require_needs_a_role() -> None:
    with pytest.raises(ValueError, match="at least one role"):
        require()
