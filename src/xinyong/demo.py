"""The demo as one use case: initialise a store, generate a small city, check the packs.

``xinyong demo`` (and ``make demo``) call :func:`run_demo`. Later capabilities
add their steps here (ingest, lists, serving), so the demo always shows how far
the platform reaches. It writes only under the data directory.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from xinyong.config import Settings
from xinyong.ingest.model import BatchReport
from xinyong.ingest.service import Upload, ingest_file
from xinyong.keys.service import create_key, list_keys, revoke_key
from xinyong.policy.service import PackCheck, check_packs, node_pack
from xinyong.registry.model import InitReport
from xinyong.registry.service import initialise_node
from xinyong.store.engine import open_store
from xinyong.synth.service import GenerationReport, generate_city, ingest_order
from xinyong.synth.spec import CitySpec

DEMO_SUBJECTS = 2_000
DEMO_SEED = 2026
DEMO_NOISE = 0.02
DEMO_KEYS = (
    ("demo operator", "operator", None),
    ("demo market regulation", "department", "samr"),
    ("demo checker", "checker", None),
    ("demo public", "public", None),
)
"""(name, role, department) of the keys the demo hands out, new on every run."""


@dataclass(frozen=True)
class DemoKey:
    name: str
    role: str
    department: str | None
    key: str  # the plaintext, shown once


@dataclass(frozen=True)
class DemoReport:
    init: InitReport
    generation: GenerationReport
    packs: list[PackCheck]
    batches: list[BatchReport]
    keys: list[DemoKey]


def run_demo(
    settings: Settings,
    now: datetime,
    *,
    subjects: int = DEMO_SUBJECTS,
    progress: Callable[[int], None] | None = None,
) -> DemoReport:
    """Run every step the platform has so far, over a city of ``subjects`` subjects.

    The city goes to ``<data_dir>/demo-city`` and is regenerated on every run
    (same seed, same bytes), so the demo can be repeated without clean-up: the
    second run's files are the same files, which the ingest recognises and skips.
    """
    init = initialise_node(settings)
    spec = CitySpec(subjects=subjects, seed=DEMO_SEED, noise=DEMO_NOISE)
    generation = generate_city(spec, settings.data_dir / "demo-city", force=True, progress=progress)
    packs = check_packs(settings)
    batches = ingest_city(settings, generation.out, now)
    return DemoReport(init, generation, packs, batches, issue_demo_keys(settings, now))


def issue_demo_keys(settings: Settings, now: datetime) -> list[DemoKey]:
    """Fresh demo keys; the previous run's demo keys are revoked (their secrets were printed)."""
    issued = []
    with open_store(settings.store_url) as store:
        for old in list_keys(store):
            if old.principal.name in {name for name, _, _ in DEMO_KEYS} and not old.revoked:
                revoke_key(store, old.principal.prefix, actor="demo", now=now)
        for name, role, department in DEMO_KEYS:
            jurisdiction = settings.jurisdiction if department else None
            _, plaintext = create_key(
                store,
                name=name,
                role=role,
                department=department,
                jurisdiction=jurisdiction,
                actor="demo",
                now=now,
            )
            issued.append(DemoKey(name, role, department, plaintext))
    return issued


def ingest_city(settings: Settings, city: Path, now: datetime) -> list[BatchReport]:
    """Every department file of a generated city, registration files first (subjects first)."""
    manifest = json.loads((city / "manifest.json").read_text(encoding="utf-8"))
    # A small city leaves some department files empty; a department sends nothing then.
    files = ingest_order([e for e in manifest["files"] if e["rows"]])
    pack = node_pack(settings)
    reports = []
    with open_store(settings.store_url) as store:
        for entry in files:
            upload = Upload(entry["path"], (city / entry["path"]).read_bytes(), entry["department"])
            reports.append(
                ingest_file(
                    store,
                    pack,
                    upload,
                    now,
                    quarantine_dir=settings.data_dir / "quarantine",
                    actor="demo",
                )
            )
    return reports
