"""`xinyong evaluate`, `xinyong explain` and `xinyong inspect roster|plan|verify` as an operator runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.evaluation.helpers import build_city
from tests.lists.helpers import COMPANY, PERSON
from xinyong.cli.main import app
from xinyong.config import Settings
from xinyong.policy.service import node_pack
from xinyong.store.engine import open_store

runner = CliRunner()
Env = dict[str, str | None]
ROSTER = """id,name,region,department
w-1,王一,371002,samr
w-2,王二,371003,samr
w-3,王三,371083,samr
r-1,荣一,371082,samr
"""


@pytest.fixture
def env(tmp_path: Path, store_url: str) -> Env:
    url = None if store_url.startswith("sqlite") else store_url
    env = {"XINYONG_DATA_DIR": str(tmp_path / "data"), "XINYONG_DATABASE_URL": url,
           "XINYONG_JURISDICTION": "rongcheng", "XINYONG_LOCALE": "en", "COLUMNS": "200"}  # fmt: skip
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    settings = Settings(data_dir=tmp_path / "data", database_url=url, jurisdiction="rongcheng")
    with open_store(settings.store_url) as store:
        build_city((settings, store, node_pack(settings)))
    return env


def invoke(env: Env, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_evaluate_stores_a_run_per_model_and_prints_the_grade_distribution(env: Env) -> None:
    code, out, _ = invoke(env, "evaluate", "--on", "2026-10-15")
    assert code == 0
    assert "enterprise_risk" in out
    assert "tax_credit" in out
    assert "rongcheng_personal" in out
    assert "D 1 (100%)" in out  # the one company, graded D by the credit-risk class
    code, out, _ = invoke(
        env, "explain", COMPANY, "--model", "enterprise_risk", "--on", "2026-10-15"
    )
    assert code == 0
    assert "30 D" in out
    assert "the same as run" in out  # the answer matches the stored run
    assert "jud.defaulter" in out
    assert "rule_cap" in out


def test_explain_shows_each_line_and_the_days_the_score_changes(env: Env) -> None:
    code, out, _ = invoke(env, "explain", PERSON, "--on", "2026-10-15")
    assert code == 0
    assert "1007 A" in out
    assert "not yet in a stored run" in out
    assert "what changes it" in out
    assert "2027-01-15" in out


def test_unknown_models_engines_and_codes_are_one_line_errors(env: Env) -> None:
    code, _, err = invoke(env, "evaluate", "--model", "nope")
    assert code == 1
    assert "evaluation-model-unknown" in err
    assert "Traceback" not in err
    code, _, err = invoke(env, "evaluate", "--engine", "polars")
    assert code == 1
    assert "evaluation-engine-unavailable" in err
    code, _, err = invoke(env, "explain", "12345")
    assert code == 1
    assert len(err.strip().splitlines()) == 1


def test_a_plan_is_drawn_published_and_verified_and_a_tampered_one_is_caught(
    env: Env, tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert invoke(env, "inspect", "roster", str(roster))[1].startswith("roster: 4 inspectors added")
    code, _, err = invoke(env, "inspect", "plan", "--period", "2026Q4", "--sector", "enterprises")
    assert code == 1
    assert "run evaluate first" in err
    invoke(env, "evaluate", "--model", "enterprise_risk", "--on", "2026-10-15")
    out_file = tmp_path / "plan.json"
    code, out, _ = invoke(env, "inspect", "plan", "--period", "2026Q4", "--sector", "enterprises",
                          "--seed", "42", "--out", str(out_file))  # fmt: skip
    assert code == 0
    assert "seed 42" in out
    doc = json.loads(out_file.read_text(encoding="utf-8"))
    [(entity, grade, region, team)] = doc["plan"]["assignments"]
    assert (entity, grade, region) == (COMPANY, "D", "371082")
    assert "r-1" not in team
    assert len(team) == 2
    code, out, _ = invoke(env, "inspect", "verify", "1")
    assert code == 0
    assert "re-derives exactly" in out
    assert invoke(env, "inspect", "verify", str(out_file))[0] == 0
    others = sorted({"w-1", "w-2", "w-3"} - set(team))
    doc["plan"]["assignments"][0][3] = sorted([team[0], others[0]])
    out_file.write_text(json.dumps(doc), encoding="utf-8")
    code, out, _ = invoke(env, "inspect", "verify", str(out_file))
    assert code == 1
    assert "differs" in out
    assert COMPANY in out
    code, _, err = invoke(env, "inspect", "plan", "--period", "2026Q4", "--sector", "enterprises")
    assert code == 1
    assert "inspection-plan-exists" in err


def test_the_next_round_does_not_send_the_same_inspectors_again(env: Env, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    invoke(env, "inspect", "roster", str(roster))
    invoke(env, "evaluate", "--model", "enterprise_risk", "--on", "2026-10-15")
    code, _, _ = invoke(env, "inspect", "plan", "--period", "2026Q4", "--sector", "enterprises")
    assert code == 0
    # Three inspectors outside the company's region; two inspected it in 2026Q4,
    # so for 2027Q1 one is left without a conflict, and the team is two.
    code, _, err = invoke(env, "inspect", "plan", "--period", "2027Q1", "--sector", "enterprises")
    assert code == 1
    assert "inspection-plan-impossible" in err
    assert "1 inspector(s) without a conflict" in err


def test_a_bad_roster_row_is_named(env: Env, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,region,department\nx-1,某,999999,samr\n", encoding="utf-8")
    code, _, err = invoke(env, "inspect", "roster", str(roster))
    assert code == 1
    assert "roster row 1" in err
    assert "999999" in err
