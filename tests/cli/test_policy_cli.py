"""`xinyong policy …` as a user runs it: exit codes and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from xinyong.cli.main import app

runner = CliRunner()


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_check_with_no_argument_checks_every_shipped_pack() -> None:
    code, out, _ = invoke("policy", "check")
    assert code == 0
    for pack in ("national", "shandong", "rongcheng", "fuzhou"):
        assert f"ok   {pack}@" in out


def test_check_fails_with_every_problem_listed(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "pack.toml").write_text(
        '[meta]\ncode = "broken"\nname = { zh = "坏", en = "Broken" }\nlevel = "city"\n'
        'version = "1"\nextends = "national"\n[objections]\ndecide_within_working_days = 0\ncolour = 1\n',
        encoding="utf-8",
    )
    code, out, _ = invoke(
        "policy", "check", "broken", env={"XINYONG_PACK_DIRS": json.dumps([str(tmp_path)])}
    )
    assert code == 1
    assert "fail broken: 2 problem(s)" in out
    assert "broken/pack.toml: objections.decide_within_working_days" in out
    assert "broken/pack.toml: objections.colour" in out


def test_show_json_is_the_resolved_pack() -> None:
    code, out, _ = invoke("policy", "show", "rongcheng", "--json")
    assert code == 0
    pack = json.loads(out)
    assert pack["meta"]["extends"] == "shandong"
    assert any(item["code"] == "adm.penalty" for item in pack["catalog"])


def test_show_renders_a_section_table() -> None:
    code, out, _ = invoke("policy", "show", "fuzhou", "--section", "scoring")
    assert code == 0
    assert "fuzhou_jasmine" in out
    assert "enterprise_risk" in out


def test_diff_compares_two_jurisdictions_side_by_side() -> None:
    code, out, _ = invoke("policy", "diff", "rongcheng", "fuzhou")
    assert code == 0
    assert "rongcheng vs fuzhou" in out
    assert "deposit_waiver" in out
    assert "library_deposit_waiver" in out


def test_an_unknown_pack_is_one_clear_line() -> None:
    code, out, err = invoke("policy", "show", "atlantis")
    assert code == 1
    assert out == ""
    assert err.strip().splitlines() == [err.strip()]
    assert err.startswith("error[pack-not-found]: policy pack 'atlantis' not found")


def test_an_unknown_section_is_one_clear_line() -> None:
    code, _, err = invoke("policy", "show", "national", "--section", "weather")
    assert code == 1
    assert err.startswith("error[invalid-input]: unknown section 'weather'")
