"""Every pack error names the file, the key path and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from xinyong.policy.errors import PackError, PackNotFoundError
from xinyong.policy.loader import load_pack

from .conftest import WritePack, city_meta

PENALTY_LIKE = """
[[catalog]]
code = "{code}"
name = {{ zh = "条目", en = "Item" }}
category = "{category}"
subject_kinds = ["legal"]
departments = ["{department}"]
legal_basis = "test basis"
polarity = "neutral"
disclosure = {{ legal = "public" }}
valid_from = 2024-01-01
{extra}
"""


def item(
    code: str = "test.item", category: str = "penalty", department: str = "samr", extra: str = ""
) -> str:
    return PENALTY_LIKE.format(code=code, category=category, department=department, extra=extra)


def problems(pack_root: Path, code: str = "testcity") -> list[tuple[str, str, str]]:
    with pytest.raises(PackError) as caught:
        load_pack(code, [pack_root])
    return [(p.where, p.code, p.message) for p in caught.value.problems]


def test_a_prohibited_category_is_refused_naming_the_item(
    write_pack: WritePack, pack_root: Path
) -> None:
    write_pack(
        "testcity", **{"pack.toml": city_meta(), "catalog.toml": item("belief.record", "religion")}
    )
    [(where, code, message)] = problems(pack_root)
    assert where == "testcity/catalog.toml: catalog[belief.record].category"
    assert code == "pack-prohibited-category"
    assert "religion" in message
    assert "cannot record" in message


@pytest.mark.parametrize(
    "category",
    [
        "political_opinion",
        "religion",
        "ethnicity",
        "health",
        "speech",
        "online_expression",
        "association",
        "biometrics",
        "location_tracking",
    ],
)
def test_every_prohibited_category_is_refused(
    write_pack: WritePack, pack_root: Path, category: str
) -> None:
    write_pack("testcity", **{"pack.toml": city_meta(), "catalog.toml": item("x.y", category)})
    assert [c for _, c, _ in problems(pack_root)] == ["pack-prohibited-category"]


def test_a_category_outside_the_closed_list_is_refused(
    write_pack: WritePack, pack_root: Path
) -> None:
    write_pack(
        "testcity",
        **{"pack.toml": city_meta(), "catalog.toml": item("metro.fare", "metro_behaviour")},
    )
    [(where, code, message)] = problems(pack_root)
    assert (where, code) == (
        "testcity/catalog.toml: catalog[metro.fare].category",
        "pack-invalid-value",
    )
    assert "closed catalog list" in message


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("religion", "宗教信仰"),
        ("face_image", "人脸照片"),
        ("gps_trace", "定位"),
        ("party_membership", "党派"),
    ],
)
def test_a_payload_field_cannot_smuggle_a_prohibited_category(
    write_pack: WritePack, pack_root: Path, field: str, label: str
) -> None:
    payload = f'payload = [{{ name = "{field}", label = {{ zh = "{label}", en = "x" }}, type = "string" }}]'
    write_pack("testcity", **{"pack.toml": city_meta(), "catalog.toml": item(extra=payload)})
    [(where, code, message)] = problems(pack_root)
    assert where == "testcity/catalog.toml: catalog[test.item].payload[0].name"
    assert code == "pack-prohibited-field"
    assert field in message


def test_all_problems_are_reported_at_once(write_pack: WritePack, pack_root: Path) -> None:
    bad = (
        item("a.one", "religion")
        + item("a.two", department="nowhere")
        + item("a.three", extra="colour = 1")
    )
    write_pack("testcity", **{"pack.toml": city_meta(), "catalog.toml": bad})
    found = {(where, code) for where, code, _ in problems(pack_root)}
    assert found == {
        ("testcity/catalog.toml: catalog[a.one].category", "pack-prohibited-category"),
        ("testcity/catalog.toml: catalog[a.three].colour", "pack-unknown-key"),
    }
    # references are checked once the shapes are sound
    write_pack("testcity", **{"catalog.toml": item("a.two", department="nowhere")})
    [(where, code, message)] = problems(pack_root)
    assert (where, code) == (
        "testcity/catalog.toml: catalog[a.two].departments[0]",
        "pack-unknown-reference",
    )
    assert "'nowhere'" in message
    assert "samr" in message


def test_toml_syntax_error_names_file_and_line(write_pack: WritePack, pack_root: Path) -> None:
    write_pack("testcity", **{"pack.toml": city_meta(), "lists.toml": "[[lists]\ncode = 1\n"})
    [(where, code, message)] = problems(pack_root)
    assert where.endswith("testcity/lists.toml")
    assert code == "pack-syntax"
    assert "line 1" in message


def test_wrong_type_says_what_it_got(write_pack: WritePack, pack_root: Path) -> None:
    write_pack(
        "testcity",
        **{"pack.toml": city_meta() + '\n[objections]\ndecide_within_working_days = "soon"\n'},
    )
    [(where, code, message)] = problems(pack_root)
    assert where == "testcity/pack.toml: objections.decide_within_working_days"
    assert code == "pack-type"
    assert "'soon'" in message


def test_missing_required_key(write_pack: WritePack, pack_root: Path) -> None:
    text = item().replace('legal_basis = "test basis"\n', "")
    write_pack("testcity", **{"pack.toml": city_meta(), "catalog.toml": text})
    assert problems(pack_root) == [
        (
            "testcity/catalog.toml: catalog[test.item].legal_basis",
            "pack-missing-key",
            "Field required",
        )
    ]


def test_dates_out_of_order(write_pack: WritePack, pack_root: Path) -> None:
    write_pack(
        "testcity",
        **{"pack.toml": city_meta(), "catalog.toml": item(extra="valid_to = 2020-01-01")},
    )
    [(where, code, message)] = problems(pack_root)
    assert (where, code) == ("testcity/catalog.toml: catalog[test.item]", "pack-invalid-value")
    assert "before valid_from" in message


def test_overlapping_disclosure_regimes(write_pack: WritePack, pack_root: Path) -> None:
    regime = """
    [[disclosure_periods]]
    code = "local"
    legal_basis = "x"
    valid_from = 2025-01-01
    minor = { publish = false, max_months = 0 }
    general = { min_months = 3, max_months = 12 }
    serious = { min_months = 12, max_months = 36 }
    """
    write_pack("testcity", **{"pack.toml": city_meta(), "disclosure.toml": regime})
    found = problems(pack_root)
    assert {code for _, code, _ in found} == {"pack-overlap"}
    # the local regime starts inside the national 2019 one, and Order 36 starts inside it
    assert {where for where, _, _ in found} == {
        "testcity/disclosure.toml: disclosure_periods[local].valid_from",
        "national/disclosure.toml: disclosure_periods[order36].valid_from",
    }


def test_duplicate_codes_in_one_file(write_pack: WritePack, pack_root: Path) -> None:
    write_pack("testcity", **{"pack.toml": city_meta(), "catalog.toml": item() + item()})
    [(where, code, _)] = problems(pack_root)
    assert (where, code) == ("testcity/catalog.toml: catalog[test.item]", "pack-duplicate-code")


def test_a_section_defined_in_two_files(write_pack: WritePack, pack_root: Path) -> None:
    write_pack(
        "testcity", **{"pack.toml": city_meta(), "a.toml": item("a.x"), "b.toml": item("b.x")}
    )
    [(where, code, message)] = problems(pack_root)
    assert (where, code) == ("testcity/b.toml: catalog", "pack-duplicate-code")
    assert "a.toml" in message


def test_unknown_references_across_sections(write_pack: WritePack, pack_root: Path) -> None:
    rules = """
    [[memoranda]]
    code = "memo"
    name = { zh = "备忘录", en = "Memo" }
    legal_basis = "x"
    lists = ["no_such_list"]
    measures = ["no_flights"]
    valid_from = 2024-01-01
    """
    write_pack("testcity", **{"pack.toml": city_meta(), "rules.toml": rules})
    [(where, code, message)] = problems(pack_root)
    assert (where, code) == (
        "testcity/rules.toml: memoranda[memo].lists[0]",
        "pack-unknown-reference",
    )
    assert "no_such_list" in message


def test_inspection_shares_name_grades_of_their_model(
    write_pack: WritePack, pack_root: Path
) -> None:
    rules = """
    [[inspection]]
    code = "sampling"
    name = { zh = "抽查", en = "Sampling" }
    legal_basis = "x"
    model = "enterprise_risk"
    shares = { A = 0.05, E = 0.5 }
    sectors = { enterprises = ["91"] }
    valid_from = 2024-01-01
    """
    write_pack("testcity", **{"pack.toml": city_meta(), "rules.toml": rules})
    [(where, code, message)] = problems(pack_root)
    assert (where, code) == (
        "testcity/rules.toml: inspection[sampling].shares.E",
        "pack-unknown-reference",
    )
    assert "A, B, C, D" in message
    write_pack("testcity", **{"rules.toml": rules.replace("E = 0.5", "D = 1.5")})
    [(where, code, message)] = problems(pack_root)
    assert where.startswith("testcity/rules.toml: inspection[sampling]")
    assert "between 0 and 1" in message
    write_pack("testcity", **{"rules.toml": rules.replace('["91"]', '["9"]')})
    [(where, code, message)] = problems(pack_root)
    assert "two characters" in message


def test_unknown_parent(write_pack: WritePack, pack_root: Path) -> None:
    write_pack("testcity", **{"pack.toml": city_meta(extends="atlantis")})
    [(where, code, message)] = problems(pack_root)
    assert (where, code) == ("testcity/pack.toml: meta.extends", "pack-extends")
    assert "atlantis" in message


def test_inheritance_cycle(write_pack: WritePack, pack_root: Path) -> None:
    write_pack("alpha", **{"pack.toml": city_meta("alpha", extends="beta", level="city")})
    write_pack("beta", **{"pack.toml": city_meta("beta", extends="alpha", level="province")})
    [(_, code, message)] = problems(pack_root, "alpha")
    assert code == "pack-extends"
    assert "cycle" in message


def test_a_province_cannot_extend_a_city(write_pack: WritePack, pack_root: Path) -> None:
    write_pack(
        "testprov", **{"pack.toml": city_meta("testprov", extends="rongcheng", level="province")}
    )
    [(where, code, _)] = problems(pack_root, "testprov")
    assert (where, code) == ("testprov/pack.toml: meta.level", "pack-extends")


def test_removing_what_the_parent_lacks(write_pack: WritePack, pack_root: Path) -> None:
    write_pack("testcity", **{"pack.toml": city_meta() + '\n[remove]\nlists = ["no_such_list"]\n'})
    [(where, code, message)] = problems(pack_root)
    assert (where, code) == ("testcity/pack.toml: remove.lists", "pack-remove")
    assert "no_such_list" in message


def test_a_pack_without_meta(write_pack: WritePack, pack_root: Path) -> None:
    write_pack("testcity", **{"pack.toml": "", "catalog.toml": item()})
    [(where, code, _)] = problems(pack_root)
    assert (where, code) == (str(pack_root / "testcity" / "pack.toml"), "pack-missing-key")


def test_an_unknown_pack_lists_the_available_ones(pack_root: Path) -> None:
    with pytest.raises(PackNotFoundError) as caught:
        load_pack("atlantis", [pack_root])
    assert caught.value.code == "pack-not-found"
    assert "rongcheng" in str(caught.value)


def test_points_rules_of_a_model_that_could_both_match_one_record_are_refused(
    write_pack: WritePack, pack_root: Path
) -> None:
    rules = """
    [[scoring]]
    code = "city_points"
    name = { zh = "积分", en = "Points" }
    subject_kinds = ["natural"]
    legal_basis = "x"
    base = 100
    floor = 0
    ceiling = 200
    valid_from = 2024-01-01
    bands = [{ grade = "A", min = 100 }, { grade = "B", min = 0 }]
    points = [
      { item = "adm.penalty", severity = "serious", points = -30 },
      { item = "adm.penalty", points = -10 },
    ]
    """
    write_pack("testcity", **{"pack.toml": city_meta(), "rules.toml": rules})
    [(where, _code, message)] = problems(pack_root)
    assert where.startswith("testcity/rules.toml: scoring[city_points]")
    assert "overlap" in message
    assert "count twice" in message
    distinct = rules.replace('{ item = "adm.penalty", points = -10 }',
                             '{ item = "adm.penalty", severity = "general", points = -10 }')  # fmt: skip
    write_pack("testcity", **{"rules.toml": distinct})
    model = next(
        m for m in load_pack("testcity", [pack_root]).pack.scoring if m.code == "city_points"
    )
    assert [r.severity for r in model.points] == ["serious", "general"]
