"""Same arguments, same bytes: across runs, across worker counts; another seed, other bytes."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from xinyong.synth.service import generate_city
from xinyong.synth.spec import CitySpec

SPEC = CitySpec(subjects=900, seed=3, noise=0.1, xlsx_part_rows=10, chunk_subjects=300)


def fingerprint(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def test_two_runs_write_byte_identical_files(tmp_path: Path) -> None:
    first = fingerprint(generate_city(SPEC, tmp_path / "a", workers=1).out)
    second = fingerprint(generate_city(SPEC, tmp_path / "b", workers=1).out)
    assert any(name.endswith(".xlsx") for name in first)  # XLSX too: fixed creation date
    assert first == second


def test_worker_processes_do_not_change_the_bytes(tmp_path: Path) -> None:
    alone = fingerprint(generate_city(SPEC, tmp_path / "a", workers=1).out)
    together = fingerprint(generate_city(SPEC, tmp_path / "b", workers=2).out)
    assert alone == together
    assert not (tmp_path / "b" / ".chunks").exists()


def test_another_seed_gives_another_city(tmp_path: Path) -> None:
    first = fingerprint(generate_city(SPEC, tmp_path / "a", workers=1).out)
    other = fingerprint(generate_city(replace(SPEC, seed=4), tmp_path / "b", workers=1).out)
    assert first["truth/subjects.csv"] != other["truth/subjects.csv"]
    assert first["psb/persons.csv"] != other["psb/persons.csv"]


def test_the_noise_rate_spoils_rows_but_does_not_change_the_city(tmp_path: Path) -> None:
    noisy = generate_city(SPEC, tmp_path / "a", workers=1).out
    clean = generate_city(replace(SPEC, noise=0.0), tmp_path / "b", workers=1).out
    assert fingerprint(noisy)["truth/subjects.csv"] == fingerprint(clean)["truth/subjects.csv"]
