"""The noise report is exact: ledger, totals and what re-reading the files finds all agree."""

from __future__ import annotations

import csv
import json
import unicodedata
from collections import Counter
from typing import Any

from stdnum.cn import uscc

from tests.synth.conftest import manifest
from tests.synth.reading import (
    PLACEHOLDER,
    code_cell,
    data_rows,
    detect,
    is_person_row,
    ric_is_valid,
)
from xinyong.synth.service import GenerationReport


def ledger(report: GenerationReport) -> list[dict[str, str]]:
    with (report.out / "noise-rows.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def noise_json(report: GenerationReport) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((report.out / "noise.json").read_text(encoding="utf-8"))
    return data


def test_noise_json_totals_equal_the_ledger(noisy: GenerationReport) -> None:
    data, rows = noise_json(noisy), ledger(noisy)
    assert data["totals"] == {
        **dict.fromkeys(data["totals"], 0),
        **Counter(r["kind"] for r in rows),
    }
    for path, counts in data["files"].items():
        assert counts == Counter(r["kind"] for r in rows if r["file"] == path)
    assert data["by_class"] == dict(Counter(r["class"] for r in rows))
    assert all(count > 0 for count in data["totals"].values()), data["totals"]


def test_re_reading_the_files_finds_exactly_the_reported_noise(noisy: GenerationReport) -> None:
    reported = {(r["file"], int(r["data_row"]), r["kind"]) for r in ledger(noisy)}
    assert len(reported) == len(ledger(noisy))  # one line per row and kind
    found = set()
    for entry in manifest(noisy)["files"]:
        rows = data_rows(noisy.out, entry)
        found |= {(entry["path"], number, kind) for number, kind in detect(entry, rows)}
    assert sorted(found - reported) == []
    assert sorted(reported - found) == []


def test_check_digit_noise_counts_equal_codes_failing_stdnum(noisy: GenerationReport) -> None:
    totals = noise_json(noisy)["files"]
    for entry in manifest(noisy)["files"]:
        failing: Counter[str] = Counter()
        for row in data_rows(noisy.out, entry):
            person = is_person_row(entry, row)
            _, raw = code_cell(entry, row, person)
            code = "".join(raw.split()).upper()  # what stdnum.compact would do, less full width
            code = code.translate({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}).upper()
            if not code or code == PLACEHOLDER:
                continue
            if person and not ric_is_valid(code):
                failing["ric-check-digit"] += 1
            if not person and not uscc.is_valid(code):
                failing["uscc-check-digit"] += 1
        reported = totals.get(entry["path"], {})
        for kind in ("ric-check-digit", "uscc-check-digit"):
            assert failing[kind] == reported.get(kind, 0), (entry["path"], kind)


def test_physical_rows_follow_the_header_and_title(noisy: GenerationReport) -> None:
    header_rows = {e["path"]: e["header_row"] for e in manifest(noisy)["files"]}
    for row in ledger(noisy):
        assert int(row["physical_row"]) == int(row["data_row"]) + header_rows[row["file"]]


def test_no_row_carries_two_errors(noisy: GenerationReport) -> None:
    errors = Counter((r["file"], r["data_row"]) for r in ledger(noisy) if r["class"] == "error")
    assert errors
    assert max(errors.values()) == 1


def test_placeholder_codes_are_legit_and_only_on_individual_businesses(
    noisy: GenerationReport,
) -> None:
    rows = [r for r in ledger(noisy) if r["kind"] == "placeholder-code"]
    assert rows
    assert {r["class"] for r in rows} == {"legit"}
    for entry in manifest(noisy)["files"]:
        kind_at = entry["headers"].index(entry["kind_column"]) if entry["kind_column"] else None
        for row in data_rows(noisy.out, entry):
            if PLACEHOLDER in row:
                assert kind_at is not None, entry["path"]
                assert row[kind_at] == "个体工商户", entry["path"]


def test_noise_zero_injects_nothing_and_every_code_is_valid(clean: GenerationReport) -> None:
    assert {r["class"] for r in ledger(clean)} <= {"legit"}
    assert noise_json(clean)["by_class"] == {"error": 0, "fixable": 0, "legit": len(ledger(clean))}
    for entry in manifest(clean)["files"]:
        rows = data_rows(clean.out, entry)
        found = {kind for _, kind in detect(entry, rows)}
        assert found <= {"placeholder-code"}, (entry["path"], found)


def _normal_code(raw: str) -> str:
    return "".join(unicodedata.normalize("NFKC", raw).split()).upper()


def test_consequences_are_exactly_the_rows_of_subjects_no_file_registers(
    noisy: GenerationReport,
) -> None:
    # Re-derive from the files alone: a subject is registered by a valid code in
    # a registration file; a clean row elsewhere about anyone else is refused.
    files = manifest(noisy)["files"]
    registered: set[str] = set()
    for entry in files:
        if not any(item.startswith("reg.") for item in entry["items"]):
            continue
        for row in data_rows(noisy.out, entry):
            person = is_person_row(entry, row)
            code = _normal_code(code_cell(entry, row, person)[1])
            if ric_is_valid(code) if person else uscc.is_valid(code):
                registered.add(code)
    with (noisy.out / "consequences.csv").open(encoding="utf-8", newline="") as fh:
        reported = {(r["file"], int(r["data_row"]), r["kind"]) for r in csv.DictReader(fh)}
    expected = set()
    for entry in files:
        if any(item.startswith("reg.") for item in entry["items"]):
            continue
        for number, row in enumerate(data_rows(noisy.out, entry), start=1):
            person = is_person_row(entry, row)
            code = _normal_code(code_cell(entry, row, person)[1])
            valid = ric_is_valid(code) if person else uscc.is_valid(code)
            item = (
                row[entry["headers"].index(entry["item_column"])] if entry["item_column"] else None
            )
            known_item = item is None or item in entry["item_labels"].values()
            if valid and known_item and code not in registered:
                expected.add((entry["path"], number, "unknown-subject"))
    assert expected, "the noisy city should leave some subjects unregistered"
    assert sorted(reported - expected) == []
    assert sorted(expected - reported) == []
    totals = noise_json(noisy)["consequences"]["totals"]
    assert totals == {"unknown-subject": len(reported)}
