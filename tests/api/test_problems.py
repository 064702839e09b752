"""Every error answers RFC 9457 problem+json with a stable ``type`` per code."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from http import HTTPStatus
from typing import Any

import httpx
import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from starlette.datastructures import Headers

from tests.api.conftest import File, KeyFor, app_for, bearer
from tests.store.helpers import USCC
from xinyong.api.problems import PROBLEM_JSON, ProblemDetails, locale_of
from xinyong.config import Settings
from xinyong.i18n import translate
from xinyong.keys.errors import KeyMissingError
from xinyong.keys.model import Role
from xinyong.keys.service import revoke_key
from xinyong.store.engine import Store

Call = Callable[[TestClient, KeyFor, Store, datetime], httpx.Response]


def _revoked(client: TestClient, key_for: KeyFor, store: Store, now: datetime) -> httpx.Response:
    key = key_for(Role.CHECKER)
    revoke_key(store, key.split("_")[1], actor="test", now=now)
    return client.get("/api/v1/catalog", headers=bearer(key))


def _operator(key_for: KeyFor) -> dict[str, str]:
    return bearer(key_for(Role.OPERATOR))


# name → (request, expected status, expected code, expected instance)
CASES: dict[str, tuple[Call, int, str, str]] = {
    "missing key": (
        lambda c, k, s, n: c.get("/api/v1/catalog"),
        401,
        "api-key-missing",
        "/api/v1/catalog",
    ),
    "malformed key": (
        lambda c, k, s, n: c.get("/api/v1/catalog", headers=bearer("nope")),
        401,
        "api-key-malformed",
        "/api/v1/catalog",
    ),
    "unknown key": (
        lambda c, k, s, n: c.get("/api/v1/catalog", headers=bearer("xy_0123456789_" + "x" * 43)),
        401,
        "api-key-unknown",
        "/api/v1/catalog",
    ),
    "revoked key": (_revoked, 401, "api-key-revoked", "/api/v1/catalog"),
    "unknown route": (
        lambda c, k, s, n: c.get("/api/v1/nowhere", headers=_operator(k)),
        404,
        "route-not-found",
        "/api/v1/nowhere",
    ),
    "wrong method": (
        lambda c, k, s, n: c.delete("/api/v1/catalog", headers=_operator(k)),
        405,
        "method-not-allowed",
        "/api/v1/catalog",
    ),
    "unknown subject": (
        lambda c, k, s, n: c.get("/api/v1/subjects/91110000600037341L", headers=_operator(k)),
        404,
        "subject-not-found",
        "/api/v1/subjects/91110000600037341L",
    ),
    "malformed USCC": (
        lambda c, k, s, n: c.get("/api/v1/subjects/91350100M000100Y44", headers=_operator(k)),
        400,
        "uscc-check-digit",
        "/api/v1/subjects/91350100M000100Y44",
    ),
    "malformed resident ID": (
        lambda c, k, s, n: c.get(
            "/api/v1/subjects/350102198506152340/records", headers=_operator(k)
        ),
        400,
        "resident-id-check-digit",
        "/api/v1/subjects/350102198506152340/records",
    ),
    "invalid query": (
        lambda c, k, s, n: c.get(
            f"/api/v1/subjects/{USCC}/records?limit=0&offset=x", headers=_operator(k)
        ),
        422,
        "request-invalid",
        f"/api/v1/subjects/{USCC}/records",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_error_answers_are_problem_json_with_a_stable_type(
    client: TestClient, key_for: KeyFor, node_store: Store, now: datetime, case: str
) -> None:
    call, status, code, instance = CASES[case]
    response = call(client, key_for, node_store, now)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    ProblemDetails.model_validate(body)  # no field beyond the documented ones
    assert body["type"] == f"https://xinyong.dev/problems/{code}"
    assert body["code"] == code
    assert body["status"] == status
    assert body["title"] == HTTPStatus(status).phrase
    assert body["instance"] == instance
    assert body["detail"]
    assert "Traceback" not in response.text


def test_request_validation_lists_each_field(client: TestClient, key_for: KeyFor) -> None:
    response = client.get(
        f"/api/v1/subjects/{USCC}/records?limit=0&offset=x", headers=_operator(key_for)
    )
    body = response.json()
    assert body["detail"].startswith("2 problem(s) in the request")
    where = {p["where"]: p["code"] for p in body["problems"]}
    assert where == {"query.limit": "greater_than_equal", "query.offset": "int_parsing"}


def test_wrong_method_names_the_allowed_ones(client: TestClient, key_for: KeyFor) -> None:
    response = client.delete("/api/v1/catalog", headers=_operator(key_for))
    assert response.headers["Allow"] == "GET"


def test_zh_accept_language_gives_a_chinese_detail(client: TestClient) -> None:
    response = client.get("/api/v1/catalog", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    detail = response.json()["detail"]
    assert detail == translate(KeyMissingError.message, "zh-CN")
    assert detail != KeyMissingError.message
    assert "密钥" in detail
    assert response.headers["Content-Language"] == "zh-CN"


def test_zh_detail_of_an_error_with_fields(
    client: TestClient, key_for: KeyFor, subject_file: File
) -> None:
    response = client.get(
        "/api/v1/subjects/91350100M000100Y44",
        headers=bearer(key_for(Role.OPERATOR), **{"Accept-Language": "zh"}),
    )
    assert response.json()["detail"] == "校验码应为 3，实际为 4（第 18 位）；请检查代码是否录入有误"


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        ("", "en"),
        ("zh", "zh-CN"),
        ("zh-Hans-CN", "zh-CN"),
        ("en-US,en;q=0.9,zh;q=0.8", "en"),
        ("fr-FR,zh-TW;q=0.5", "zh-CN"),
        ("fr", "en"),
        ("zh;q=bad,en", "en"),
    ],
)
def test_locale_of_accept_language(header: str, locale: str) -> None:
    assert locale_of(Headers({"accept-language": header})) == locale


@pytest.fixture
def failing(node_settings: Settings, now: datetime) -> TestClient:
    """The app with a route that fails unexpectedly (a bug, not a XinyongError)."""
    app = app_for(node_settings, now)
    router = APIRouter()

    @router.get("/api/v1/test-bug")
    async def bug() -> dict[str, Any]:
        raise RuntimeError("secret internals: password=hunter2")

    app.include_router(router)
    return TestClient(app)


def test_an_unexpected_error_is_a_bare_500_logged_once(
    failing: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR), failing:
        response = failing.get("/api/v1/test-bug")
    assert response.status_code == 500
    body = response.json()
    ProblemDetails.model_validate(body)
    assert (body["code"], body["detail"]) == ("xinyong-error", "internal error")
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text
    logged = [r for r in caplog.records if r.exc_info]
    assert len(logged) == 1
    assert "GET /api/v1/test-bug" in logged[0].getMessage()
