"""Limits that protect a node: requests per key (429) and request-body size (413).

The rate limit is a token bucket per API key, in this process's memory: a
key earns ``rate`` tokens a second up to ``burst`` and spends one per
request. State is lost on restart and not shared between replicas (N replicas
allow N times the rate), which is enough to stop a runaway client; a
cluster-wide quota would live in front of the replicas.

The body limit is an ASGI middleware: a declared ``Content-Length`` over the
limit is refused before routing (so before authentication, and without
reading the body), and a body without one is counted as it streams in.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xinyong.api.errors import RateLimitedError, RequestTooLargeError
from xinyong.api.problems import ErrorResponse, problem_response


class RateLimiter:
    """A token bucket per key: ``rate`` requests a second on average, ``burst`` at once.

    ``clock`` is a monotonic clock in seconds (injectable for tests). Safe to
    call from the thread pool that runs FastAPI's sync dependencies.
    """

    def __init__(
        self,
        rate: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key → (tokens, at)
        self.max_keys = max_keys
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """Spend a token of ``key``: 0.0 when allowed, else the seconds until one is earned."""
        with self._lock:
            now = self._clock()
            if len(self._buckets) >= self.max_keys:
                self._forget_full(now)
            tokens, at = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - at) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        """Drop the buckets that have refilled: a full bucket is the same as none.

        Keys are API key prefixes, or client addresses for the portal's search,
        of which there is no end; without this the table would grow with every
        address ever seen.
        """
        refill = self.burst / self.rate
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < refill}

    def check(self, key: str) -> None:
        """Raise :class:`RateLimitedError` (429, with Retry-After) when ``key`` is over its rate."""
        seconds = self.wait(key)
        if seconds > 0:
            retry_after = max(1, math.ceil(seconds))
            raise RateLimitedError(
                prefix=key, rate=self.rate, burst=self.burst, retry_after=retry_after
            )


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with a 413 problem."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = _content_length(headers)
        if declared is not None and declared > self.max_bytes:
            response = problem_response(
                RequestTooLargeError(limit=self.max_bytes),
                headers,
                scope.get("path", ""),
                extra_headers={"Connection": "close"},
            )
            await response(scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # The app's HTTPException handler renders it; FastAPI's body
                    # parsing lets only HTTPExceptions through.
                    raise ErrorResponse(RequestTooLargeError(limit=self.max_bytes))
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except ErrorResponse as err:
            # Read outside the app's handlers (e.g. by another middleware).
            if started or not isinstance(err.error, RequestTooLargeError):
                raise
            response = problem_response(err.error, headers, scope.get("path", ""))
            await response(scope, receive, send)


def _content_length(headers: Headers) -> int | None:
    value = headers.get("content-length")
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None
