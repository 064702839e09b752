"""Shipped packs load, inherit and differ as the pilot cities do."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from xinyong.config import Settings
from xinyong.policy.diff import diff_packs
from xinyong.policy.loader import available_packs, load_pack
from xinyong.policy.model import Category, Scope, Severity, SubjectKind
from xinyong.policy.service import check_packs

from .conftest import WritePack, city_meta


def test_every_shipped_pack_is_valid(tmp_path: Path) -> None:
    results = check_packs(Settings(data_dir=tmp_path))
    assert {r.code for r in results} >= {"national", "shandong", "rongcheng", "fuzhou"}
    assert [(r.code, r.problems) for r in results if not r.ok] == []


def test_city_inherits_the_national_catalog_through_its_province() -> None:
    national = load_pack("national").pack
    rongcheng = load_pack("rongcheng")
    assert rongcheng.chain == ("rongcheng", "shandong", "national")
    assert [m.code for m in rongcheng.ancestors] == ["shandong", "national"]
    assert rongcheng.ancestors[0].extends == "national"
    assert [i.code for i in rongcheng.pack.catalog] == [i.code for i in national.catalog]
    # the province's objection deadline reaches the city; untouched keys stay national
    assert rongcheng.pack.objections.decide_within_working_days == 7
    assert (
        rongcheng.pack.objections.extended_working_days == national.objections.extended_working_days
    )


def test_a_child_entry_merges_over_the_parent_entry_of_the_same_code() -> None:
    national = {entry.code: entry for entry in load_pack("national").pack.lists}
    city = {entry.code: entry for entry in load_pack("rongcheng").pack.lists}
    volunteers = city["long_serving_volunteers"]
    assert volunteers.rule.sum_at_least == {"hours": 200}
    assert national["long_serving_volunteers"].rule.sum_at_least == {"hours": 300}
    # keys the city did not restate are inherited
    assert volunteers.name == national["long_serving_volunteers"].name
    assert volunteers.legal_basis == national["long_serving_volunteers"].legal_basis


def test_pilot_cities_differ_in_scales_lists_and_measures() -> None:
    rongcheng = load_pack("rongcheng").pack
    fuzhou = load_pack("fuzhou").pack
    rc = {m.code: m for m in rongcheng.scoring}["rongcheng_personal"]
    fz = {m.code: m for m in fuzhou.scoring}["fuzhou_jasmine"]
    assert (rc.base, rc.bands[0].grade, rc.bands[0].min) == (1000, "AAA", 1050)
    assert (fz.base, fz.floor, fz.ceiling) == (500, 0, 1000)
    assert "model_enterprises" not in {entry.code for entry in rongcheng.lists}
    assert "long_serving_volunteers" not in {entry.code for entry in fuzhou.lists}
    assert "deposit_waiver" in {m.code for m in rongcheng.measures}
    assert "deposit_waiver" not in {m.code for m in fuzhou.measures}


def test_diff_shows_what_a_city_changes() -> None:
    rows = diff_packs(load_pack("national").pack, load_pack("rongcheng").pack)
    found = {(r.section, r.key): (r.left, r.right) for r in rows}
    assert found[("lists", "model_enterprises")] == ("present", "—")
    assert found[("scoring", "rongcheng_personal")] == ("—", "present")
    assert found[("objections", "decide_within_working_days")] == ("5", "7")
    assert found[("lists", "long_serving_volunteers.rule.sum_at_least.hours")] == ("300.0", "200.0")
    assert ("catalog", "adm.penalty") not in found


def test_national_disclosure_periods_follow_order_36_from_april_2026() -> None:
    regimes = load_pack("national").pack.disclosure_periods
    on = {r.code: r for r in regimes}
    before, after = on["ndrc_2019_527"], on["order36"]
    assert before.in_force(date(2026, 3, 31))
    assert not after.in_force(date(2026, 3, 31))
    assert after.in_force(date(2026, 4, 1))
    assert not before.in_force(date(2026, 4, 1))
    assert (before.serious.min_months, after.serious.min_months) == (6, 12)
    assert (after.general.min_months, after.general.max_months) == (3, 12)
    assert after.minor.publish is False


def test_persons_penalties_are_not_public_but_defaulters_are() -> None:
    pack = load_pack("national").pack
    penalty, defaulter = pack.item("adm.penalty"), pack.item("jud.defaulter")
    assert penalty is not None
    assert defaulter is not None
    assert penalty.disclosure[SubjectKind.NATURAL] is Scope.SHARED
    assert defaulter.disclosure[SubjectKind.NATURAL] is Scope.PUBLIC
    assert penalty.severities == [Severity.MINOR, Severity.GENERAL, Severity.SERIOUS]


def test_every_catalog_item_uses_an_allowed_category_and_cites_a_basis() -> None:
    for code in available_packs():
        for item in load_pack(code).pack.catalog:
            assert Category(item.category)
            assert item.legal_basis.strip()


def test_digest_changes_with_content_and_only_with_content(
    write_pack: WritePack, pack_root: Path
) -> None:
    write_pack("testcity", **{"pack.toml": city_meta()})
    first = load_pack("testcity", [pack_root]).digest
    assert load_pack("testcity", [pack_root]).digest == first
    write_pack(
        "testcity",
        **{"pack.toml": city_meta() + "\n[objections]\ndecide_within_working_days = 9\n"},
    )
    assert load_pack("testcity", [pack_root]).digest != first


def test_an_extra_pack_directory_wins_over_a_shipped_pack_of_the_same_code(
    write_pack: WritePack, pack_root: Path
) -> None:
    write_pack("fuzhou", **{"pack.toml": city_meta("fuzhou")})
    loaded = load_pack("fuzhou", [pack_root])
    assert loaded.pack.meta.name.en == "Test City"
    assert all(f.is_relative_to(pack_root) or "national" in f.parts for f in loaded.files)
