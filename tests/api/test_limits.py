"""Rate limit per key (429 with Retry-After) and request-body size limit (413)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from tests.api.conftest import KeyFor, app_for, bearer
from xinyong.api.errors import RateLimitedError
from xinyong.api.limits import BodyLimitMiddleware, RateLimiter
from xinyong.config import Settings
from xinyong.keys.model import Role


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_token_bucket_allows_a_burst_then_the_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(rate=2.0, burst=3, clock=clock)
    assert [limiter.wait("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.wait("a") == pytest.approx(0.5)
    assert limiter.wait("b") == 0.0  # keys have their own buckets
    clock.now += 0.25
    assert limiter.wait("a") == pytest.approx(0.25)
    clock.now += 0.25
    assert limiter.wait("a") == 0.0
    clock.now += 3600  # idle time earns at most `burst` tokens
    assert [limiter.wait("a") for _ in range(4)][-1] > 0


def test_check_raises_with_a_whole_number_of_seconds() -> None:
    limiter = RateLimiter(rate=0.4, burst=1, clock=FakeClock())
    limiter.check("k")
    with pytest.raises(RateLimitedError) as raised:
        limiter.check("k")
    assert raised.value.retry_after == 3  # 2.5 s rounded up
    assert raised.value.status == 429


@pytest.mark.parametrize(("rate", "burst"), [(0.0, 1), (-1.0, 1), (1.0, 0)])
def test_limiter_refuses_nonsense(rate: float, burst: int) -> None:
    with pytest.raises(ValueError, match="rate must be positive"):
        RateLimiter(rate, burst)


@pytest.fixture
def slow(node_settings: Settings, now: datetime) -> Iterator[TestClient]:
    """The app with a rate of one request per 1000 s and bursts of two."""
    settings = node_settings.model_copy(update={"api_rate_per_second": 0.001, "api_rate_burst": 2})
    with TestClient(app_for(settings, now)) as client:
        yield client


def test_over_the_rate_is_429_with_retry_after(slow: TestClient, key_for: KeyFor) -> None:
    key = key_for(Role.CHECKER)
    assert [slow.get("/api/v1/catalog", headers=bearer(key)).status_code for _ in range(2)] == [
        200,
        200,
    ]
    response = slow.get("/api/v1/catalog", headers=bearer(key))
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1000"
    body = response.json()
    assert body["type"] == "https://xinyong.dev/problems/rate-limited"
    assert "retry in 1000 s" in body["detail"]
    # Another key has its own bucket; the health check needs none.
    assert slow.get("/api/v1/catalog", headers=bearer(key_for(Role.PUBLIC))).status_code == 200
    assert slow.get("/api/v1/health").status_code == 200


@pytest.fixture
def small(node_settings: Settings, now: datetime) -> Iterator[TestClient]:
    """The app with a 100-byte body limit and a route that reads a JSON body."""
    settings = node_settings.model_copy(update={"api_max_upload_bytes": 100})
    app = app_for(settings, now)
    router = APIRouter()

    @router.post("/api/v1/test-echo")
    async def echo(body: dict[str, Any]) -> dict[str, Any]:
        return body

    app.include_router(router)
    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize("path", ["/api/v1/catalog", "/api/v1/nowhere", "/api/v1/test-echo"])
def test_a_declared_body_over_the_limit_is_413_before_routing(small: TestClient, path: str) -> None:
    # No key and a path that has no POST or no route at all: the size is refused first.
    response = small.post(path, content=b"x" * 101)
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "request-too-large"
    assert "100 bytes" in body["detail"]


def test_a_body_at_the_limit_passes(small: TestClient) -> None:
    payload = b'{"a": "' + b"x" * 91 + b'"}'
    assert len(payload) == 100
    response = small.post(
        "/api/v1/test-echo", content=payload, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200


def test_a_streamed_body_is_counted_while_it_arrives(small: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"a": "'
        for _ in range(10):
            yield b"x" * 20
        yield b'"}'

    # A generator body is sent chunked, without Content-Length.
    response = small.post(
        "/api/v1/test-echo", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request-too-large"


async def _reads_body(scope: Scope, receive: Receive, send: Send) -> None:
    body = await Request(scope, receive).body()
    await JSONResponse({"length": len(body)})(scope, receive, send)


def test_the_middleware_alone_refuses_a_streamed_body_read_outside_the_app() -> None:
    client = TestClient(BodyLimitMiddleware(_reads_body, max_bytes=10))

    def chunks() -> Iterator[bytes]:
        yield b"x" * 6
        yield b"x" * 6

    response = client.post("/anything", content=chunks())
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert client.post("/anything", content=b"x" * 10).json() == {"length": 10}


def test_refilled_buckets_are_forgotten_but_a_spent_one_is_kept() -> None:
    clock = FakeClock()
    limiter = RateLimiter(rate=1.0, burst=2, clock=clock, max_keys=3)
    for key in ("a", "b"):
        limiter.wait(key)
    clock.now += 1.5
    assert [limiter.wait("busy") for _ in range(3)][-1] > 0  # "busy" has spent its burst
    clock.now += 1.0  # "a" and "b" have refilled (2 s since their last use); "busy" has not
    assert limiter.wait("new") == 0.0
    assert set(limiter._buckets) == {"busy", "new"}
    assert limiter.wait("busy") == 0.0  # one token earned in the second that passed
    assert limiter.wait("busy") > 0  # its state survived the pruning: no way around the limit
