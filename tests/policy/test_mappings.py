"""Department mappings in ``mappings/*.toml`` load with the pack and are checked against it."""

from __future__ import annotations

from pathlib import Path

import pytest

from xinyong.policy.errors import PackError
from xinyong.policy.loader import load_pack

from .conftest import WritePack, city_meta

MAPPING = """
code = "{code}"
name = {{ zh = "测试", en = "Test" }}
departments = ["{department}"]
signature = ["文号"]
subject_code = {{ column = "代码" }}
subject_name = {{ column = "名称" }}
item = {{ value = "{item}" }}
document_number = {{ column = "文号" }}
decided_on = {{ column = "日期" }}
[items."{item}"]
{extra}
"""


def mapping(
    code: str = "test_map", department: str = "samr", item: str = "adm.penalty", extra: str = ""
) -> str:
    return MAPPING.format(code=code, department=department, item=item, extra=extra)


def problems(pack_root: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(PackError) as caught:
        load_pack("testcity", [pack_root])
    return [(p.where, p.code, p.message) for p in caught.value.problems]


def test_shipped_mappings_cover_every_generated_department_file() -> None:
    pack = load_pack("national").pack
    assert {m.code for m in pack.mappings} >= {
        "dp_penalty", "dp_license", "psb_persons", "samr_registry", "civil_orgs",
        "samr_credit", "tax_credit", "court_cases", "hrss_records", "civil_records",
        "volunteer_service", "finance_procurement",
    }  # fmt: skip
    # A city inherits the national mappings unchanged.
    assert load_pack("rongcheng").pack.mappings == pack.mappings


def test_a_city_mapping_is_added_beside_the_inherited_ones(
    write_pack: WritePack, pack_root: Path
) -> None:
    directory = write_pack("testcity", **{"pack.toml": city_meta()})
    (directory / "mappings").mkdir()
    (directory / "mappings" / "own.toml").write_text(
        mapping("city_own", extra='severity = "general"'), encoding="utf-8"
    )
    pack = load_pack("testcity", [pack_root]).pack
    assert pack.mapping("city_own") is not None
    assert pack.mapping("dp_penalty") is not None


def test_a_mapping_naming_an_unknown_item_field_or_severity_is_refused(
    write_pack: WritePack, pack_root: Path
) -> None:
    directory = write_pack("testcity", **{"pack.toml": city_meta()})
    (directory / "mappings").mkdir()
    (directory / "mappings" / "bad.toml").write_text(
        mapping(
            "bad_map",
            department="nowhere",
            extra='severity = "minor"\npayload = { colour = { column = "颜色" } }\n'
            'severity_rules = [{ level = "serious", field = "mood", contains = "x" }]',
        ),
        encoding="utf-8",
    )
    found = problems(pack_root)
    where = {w for w, _, _ in found}
    assert where == {
        "testcity/mappings/bad.toml: mappings[bad_map].departments[0]",
        "testcity/mappings/bad.toml: mappings[bad_map].items.adm.penalty.payload",
        "testcity/mappings/bad.toml: mappings[bad_map].items.adm.penalty.severity_rules[0]",
    }
    messages = " | ".join(m for _, _, m in found)
    assert "'nowhere'" in messages
    assert "'colour'" in messages
    assert "'mood'" in messages


def test_a_negative_item_needs_a_default_severity(write_pack: WritePack, pack_root: Path) -> None:
    directory = write_pack("testcity", **{"pack.toml": city_meta()})
    (directory / "mappings").mkdir()
    (directory / "mappings" / "bad.toml").write_text(mapping("no_default"), encoding="utf-8")
    [(where, code, message)] = problems(pack_root)
    assert code == "pack-missing-key"
    assert where.endswith("mappings[no_default].items.adm.penalty.severity")
    assert "default severity" in message


def test_a_source_needs_exactly_one_of_column_or_value(
    write_pack: WritePack, pack_root: Path
) -> None:
    directory = write_pack("testcity", **{"pack.toml": city_meta()})
    (directory / "mappings").mkdir()
    text = mapping("two_sources", extra='severity = "general"').replace(
        'document_number = { column = "文号" }',
        'document_number = { column = "文号", value = "x" }',
    )
    (directory / "mappings" / "bad.toml").write_text(text, encoding="utf-8")
    [(where, code, message)] = problems(pack_root)
    assert code == "pack-invalid-value"
    assert where.endswith("mappings[two_sources].document_number")
    assert "exactly one" in message
