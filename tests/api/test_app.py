"""``create_app``: no side effects until started, OpenAPI and docs, health, lifespan."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import app_for
from xinyong.api.app import create_app
from xinyong.config import Settings
from xinyong.store.errors import StoreNotInitialisedError


def test_creating_the_app_opens_nothing(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "missing")
    create_app(settings)
    assert not (tmp_path / "missing").exists()


def test_starting_on_an_uninitialised_store_fails_clearly(tmp_path: Path, now: datetime) -> None:
    with (
        pytest.raises(StoreNotInitialisedError),
        TestClient(app_for(Settings(data_dir=tmp_path), now)),
    ):
        pass


def test_openapi_and_docs(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    assert set(schema["paths"]) >= {
        "/api/v1/health",
        "/api/v1/catalog",
        "/api/v1/subjects/{code}",
        "/api/v1/subjects/{code}/records",
    }
    assert set(schema["components"]["securitySchemes"]) == {"bearer", "apiKey"}
    subject = schema["paths"]["/api/v1/subjects/{code}"]["get"]
    assert subject["responses"]["404"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}
    }
    assert {"bearer": []} in subject["security"]
    assert "security" not in schema["paths"]["/api/v1/health"]["get"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "/api/openapi.json" in docs.text


def test_health_needs_no_key(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_the_store_is_disposed_on_shutdown(node_settings: Settings, now: datetime) -> None:
    app = app_for(node_settings, now)
    with TestClient(app):
        store = app.state.node.store
        assert store.engine.pool.checkedin() >= 1  # opening checked the schema revision
    # Disposing replaced the pool with a new, empty one.
    assert store.engine.pool.checkedin() == 0
