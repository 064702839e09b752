"""Ground truth: every subject carries a valid code and can be rebuilt from (seed, index)."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

from stdnum.cn import uscc

from tests.synth.conftest import NOISY
from tests.synth.reading import org_code_valid, ric_problem
from xinyong.synth.ids import subject_rng
from xinyong.synth.organisations import Organisations
from xinyong.synth.people import People
from xinyong.synth.regions import load_region
from xinyong.synth.service import GenerationReport


def truth(out: Path) -> list[dict[str, str]]:
    with (out / "truth" / "subjects.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_person_id_passes_stdnum(noisy: GenerationReport) -> None:
    persons = [s for s in truth(noisy.out) if s["kind"] == "natural_person"]
    assert len(persons) == noisy.persons == 1400
    problems = {s["code"]: p for s in persons if (p := ric_problem(s["code"]))}
    assert problems == {}


def test_every_uscc_passes_stdnum_and_its_organisation_code_check(noisy: GenerationReport) -> None:
    organisations = [s for s in truth(noisy.out) if s["kind"] == "legal_person"]
    assert len(organisations) == noisy.legal_persons == 600
    assert [s["code"] for s in organisations if not uscc.is_valid(s["code"])] == []
    assert [s["code"] for s in organisations if not org_code_valid(s["code"])] == []
    assert {s["code"][:2] for s in organisations} == {s["type"] for s in organisations}


def test_codes_are_unique(noisy: GenerationReport) -> None:
    codes = [s["code"] for s in truth(noisy.out)]
    assert len(codes) == len(set(codes))


def test_legal_representatives_are_generated_adults(noisy: GenerationReport) -> None:
    subjects = truth(noisy.out)
    births = {
        s["code"]: date.fromisoformat(s["date"]) for s in subjects if s["kind"] == "natural_person"
    }
    for s in subjects:
        if s["kind"] == "legal_person":
            born = births[s["legal_representative_code"]]
            assert date.fromisoformat(s["date"]).year - born.year >= 18, s


def test_persons_are_plausible(noisy: GenerationReport) -> None:
    persons = [s for s in truth(noisy.out) if s["kind"] == "natural_person"]
    for s in persons:
        assert date(1940, 1, 1) <= date.fromisoformat(s["date"]) <= date(2006, 12, 31)
        assert s["code"][6:14] == s["date"].replace("-", "")
        assert s["sex"] == ("男" if int(s["code"][16]) % 2 else "女")
        assert s["region"] in {"371002", "371003", "371082", "371083"}
        assert 2 <= len(s["name"]) <= 4
    # Weihai and the codes its places had before 1987 (烟台 370620…, 372102…).
    home = sum(s["code"][:4] in {"3710", "3706", "3721", "3790"} for s in persons)
    assert 0.6 < home / len(persons) < 0.95
    professionals = Counter(s["professions"] for s in persons if s["professions"])
    assert {"teacher", "doctor", "civil_servant"} <= set(professionals)


def test_legal_person_types_are_weighted_like_a_city(noisy: GenerationReport) -> None:
    types = Counter(s["type"] for s in truth(noisy.out) if s["kind"] == "legal_person")
    assert types["92"] > types["91"] > types["93"] > 0
    assert types["92"] + types["91"] > 0.8 * sum(types.values())
    assert {"12", "51", "52"} <= set(types)


def test_subject_i_is_rebuilt_from_seed_and_index_alone(noisy: GenerationReport) -> None:
    region = load_region("3710", NOISY.as_of.year)
    people = People(region, NOISY.seed, NOISY.as_of)
    organisations = Organisations(region, people, NOISY.seed, NOISY.as_of)
    rows = truth(noisy.out)
    for index in (1999, 1005, 0, 2, 1337, 5):  # out of order, with an empty cache
        rng = subject_rng(NOISY.seed, index)
        made = people.make(index, rng) if rows[index]["kind"] == "natural_person" else None
        if made is not None:
            assert (made.code, made.name, made.birth.isoformat()) == (
                rows[index]["code"], rows[index]["name"], rows[index]["date"]
            )  # fmt: skip
            continue
        organisation = organisations.make(index, rng)
        assert (organisation.code, organisation.name, organisation.representative.code) == (
            rows[index]["code"], rows[index]["name"], rows[index]["legal_representative_code"]
        )  # fmt: skip
