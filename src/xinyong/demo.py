"""The demo as one use case: initialise a store, generate a small city, check the packs.

``xinyong demo`` (and ``make demo``) call :func:`run_demo`. Later capabilities
add their steps here (ingest, lists, serving), so the demo always shows how far
the platform reaches. It writes only under the data directory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from xinyong.config import Settings
from xinyong.policy.service import PackCheck, check_packs
from xinyong.registry.model import InitReport
from xinyong.registry.service import initialise_node
from xinyong.synth.service import GenerationReport, generate_city
from xinyong.synth.spec import CitySpec

DEMO_SUBJECTS = 2_000
DEMO_SEED = 2026
DEMO_NOISE = 0.02


@dataclass(frozen=True)
class DemoReport:
    init: InitReport
    generation: GenerationReport
    packs: list[PackCheck]


def run_demo(
    settings: Settings,
    *,
    subjects: int = DEMO_SUBJECTS,
    progress: Callable[[int], None] | None = None,
) -> DemoReport:
    """Run every step the platform has so far, over a city of ``subjects`` subjects.

    The city goes to ``<data_dir>/demo-city`` and is regenerated on every run
    (same seed, same bytes), so the demo can be repeated without clean-up.
    """
    init = initialise_node(settings)
    spec = CitySpec(subjects=subjects, seed=DEMO_SEED, noise=DEMO_NOISE)
    generation = generate_city(spec, settings.data_dir / "demo-city", force=True, progress=progress)
    return DemoReport(init, generation, check_packs(settings))
