"""Ingesting the generator's noisy city gives exactly the counts its noise ledger predicts.

The generator reports every spoiled row (noise-rows.csv) and every row that
noise elsewhere makes unacceptable (consequences.csv). From those alone this
test derives, per file, how many rows must be accepted, counted as
duplicates, or rejected under each error code, and compares with what the
ingest did — so an ingest that drops, double-counts or mislabels a row fails.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

from sqlalchemy import func, select

from tests.ingest.conftest import NOW, manifest_files
from xinyong.config import Settings
from xinyong.ingest.service import Upload, ingest_file
from xinyong.policy.loader import LoadedPack
from xinyong.store.engine import Store
from xinyong.store.tables import record, rejected_row, subject
from xinyong.synth.service import GenerationReport

# The generator's names for what it did → the error code an ingest must report.
ERROR_CODE = {
    "uscc-check-digit": "uscc-check-digit",
    "ric-check-digit": "resident-id-check-digit",
    "missing-code": "code-empty",
    "unknown-item": "unknown-item",
    "placeholder-code": "uscc-placeholder",  # lawful, but identifies nobody: held back
    "unknown-subject": "unknown-subject",
}
PRIORITY = ("uscc-check-digit", "ric-check-digit", "missing-code", "unknown-item",
            "placeholder-code", "unknown-subject")  # fmt: skip


def expected_outcomes(report: GenerationReport) -> dict[str, Counter[str]]:
    """file → Counter of 'accepted', 'duplicate' and error codes, from the ledgers."""
    events: defaultdict[tuple[str, int], set[str]] = defaultdict(set)
    for name in ("noise-rows.csv", "consequences.csv"):
        with (report.out / name).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                events[(row["file"], int(row["data_row"]))].add(row["kind"])
    out: dict[str, Counter[str]] = {}
    for entry in manifest_files(report):
        counts: Counter[str] = Counter()
        for number in range(1, entry["rows"] + 1):
            kinds = events.get((entry["path"], number), set())
            main = next((k for k in PRIORITY if k in kinds), None)
            if main is not None:
                counts[ERROR_CODE[main]] += 1
            elif "duplicate-row" in kinds:
                counts["duplicate"] += 1
            else:
                counts["accepted"] += 1
        out[entry["path"]] = counts
    return out


def test_every_file_gets_exactly_the_counts_the_generator_predicts(
    city: GenerationReport, node: tuple[Settings, Store, LoadedPack]
) -> None:
    settings, store, pack = node
    expected = expected_outcomes(city)
    quarantine = settings.data_dir / "quarantine"
    got: dict[str, Counter[str]] = {}
    for entry in manifest_files(city):
        data = (city.out / entry["path"]).read_bytes()
        report = ingest_file(
            store, pack, Upload(entry["path"], data, entry["department"]), NOW,
            quarantine_dir=quarantine,
        )  # fmt: skip
        counts = Counter(report.rejected_by_code)
        counts["accepted"] = report.accepted
        counts["duplicate"] = report.duplicates
        got[entry["path"]] = +counts
        assert report.rows == entry["rows"], entry["path"]
        assert report.corrections == 0
    assert got == {path: +counts for path, counts in expected.items()}
    total = sum((c for c in expected.values()), Counter())
    assert total["unknown-subject"] > 0
    assert total["duplicate"] > 0
    with store.engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(record)).scalar_one()
        assert stored == total["accepted"]
        rejected_rows = conn.execute(
            select(
                func.count(
                    func.distinct(rejected_row.c.batch_id * 10_000_000 + rejected_row.c.row_number)
                )
            )
        ).scalar_one()
        assert rejected_rows == sum(
            n for k, n in total.items() if k not in ("accepted", "duplicate")
        )
        assert conn.execute(select(func.count()).select_from(subject)).scalar_one() > 0


def test_the_same_file_twice_changes_nothing(
    city: GenerationReport, node: tuple[Settings, Store, LoadedPack]
) -> None:
    _, store, pack = node
    entry = manifest_files(city)[0]
    upload = Upload(entry["path"], (city.out / entry["path"]).read_bytes(), entry["department"])
    first = ingest_file(store, pack, upload, NOW)
    with store.engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(record)).scalar_one()
    again = ingest_file(store, pack, upload, NOW)
    assert again.already_applied
    assert again.batch_id == first.batch_id
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(record)).scalar_one() == before


def test_quarantine_lists_every_rejected_row_with_its_code(
    city: GenerationReport, node: tuple[Settings, Store, LoadedPack], tmp_path: Path
) -> None:
    _, store, pack = node
    entry = next(e for e in manifest_files(city) if e["path"] == "psb/persons.csv")
    upload = Upload(entry["path"], (city.out / entry["path"]).read_bytes(), "psb")
    report = ingest_file(store, pack, upload, NOW, quarantine_dir=tmp_path / "q")
    assert report.quarantine is not None
    raw = Path(report.quarantine).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
    with Path(report.quarantine).open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len({r["row"] for r in rows}) == report.rejected
    assert Counter(r["error_code"] for r in rows) == report.rejected_by_code
    assert all(r["公民身份号码"] is not None and r["message"] for r in rows)
