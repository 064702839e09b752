"""A small noisy generated city, an initialised store, and the files in ingest order."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from xinyong.config import Settings
from xinyong.policy.loader import LoadedPack
from xinyong.policy.service import node_pack
from xinyong.registry.service import initialise_node
from xinyong.store.engine import Store, open_store
from xinyong.synth.service import GenerationReport, generate_city, ingest_order
from xinyong.synth.spec import CitySpec

CITY = CitySpec(subjects=1500, seed=23, noise=0.06, xlsx_part_rows=400, chunk_subjects=500)
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def city(tmp_path_factory: pytest.TempPathFactory) -> GenerationReport:
    return generate_city(CITY, tmp_path_factory.mktemp("city") / "weihai", workers=1)


def manifest_files(report: GenerationReport) -> list[dict[str, Any]]:
    """Manifest entries, registration files first (subjects before their records)."""
    data = json.loads((report.out / "manifest.json").read_text(encoding="utf-8"))
    files: list[dict[str, Any]] = data["files"]
    return ingest_order(files)


@pytest.fixture
def node(tmp_path: Path, store_url: str) -> Iterator[tuple[Settings, Store, LoadedPack]]:
    """Settings, an open store initialised from the Rongcheng pack, and that pack."""
    settings = Settings(data_dir=tmp_path, database_url=store_url, jurisdiction="rongcheng")
    initialise_node(settings)
    store = open_store(store_url)
    yield settings, store, node_pack(settings)
    store.dispose()
