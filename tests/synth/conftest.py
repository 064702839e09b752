"""Small generated cities shared by the synth tests (generated once per session)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from xinyong.synth.service import GenerationReport, generate_city
from xinyong.synth.spec import CitySpec

NOISY = CitySpec(subjects=2000, seed=11, noise=0.08, xlsx_part_rows=25, chunk_subjects=700)
CLEAN = CitySpec(subjects=1000, seed=5, noise=0.0)


@pytest.fixture(scope="session")
def noisy(tmp_path_factory: pytest.TempPathFactory) -> GenerationReport:
    return generate_city(NOISY, tmp_path_factory.mktemp("noisy") / "city", workers=1)


@pytest.fixture(scope="session")
def clean(tmp_path_factory: pytest.TempPathFactory) -> GenerationReport:
    return generate_city(CLEAN, tmp_path_factory.mktemp("clean") / "city", workers=1)


def manifest(report: GenerationReport) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((report.out / "manifest.json").read_text(encoding="utf-8"))
    return data
