"""`xinyong lists run|show|entry|remove` as an operator runs them, on records sent as JSON."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.lists.helpers import COMPANY, REP, at, court_defaulter, registration
from xinyong.cli.main import app
from xinyong.config import Settings
from xinyong.ingest.service import ingest_records
from xinyong.policy.service import node_pack
from xinyong.store.engine import open_store

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, store_url: str) -> dict[str, str | None]:
    url = None if store_url.startswith("sqlite") else store_url
    env = {"XINYONG_DATA_DIR": str(tmp_path / "data"), "XINYONG_DATABASE_URL": url,
           "XINYONG_JURISDICTION": "rongcheng", "XINYONG_LOCALE": "en", "COLUMNS": "200"}  # fmt: skip
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    settings = Settings(data_dir=tmp_path / "data", database_url=url, jurisdiction="rongcheng")
    with open_store(settings.store_url) as store:
        pack = node_pack(settings)
        ingest_records(store, pack, "samr", [registration()], at(2026, 9, 1), limit=10)
        ingest_records(store, pack, "court", [court_defaulter()], at(2026, 9, 29), limit=10)
    return env


def invoke(env: dict[str, str | None], *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_run_notifies_then_lists_and_a_second_run_changes_nothing(
    env: dict[str, str | None],
) -> None:
    code, out, _ = invoke(env, "lists", "run", "--on", "2026-09-30")
    assert code == 0
    assert "judgment_defaulters" in out
    code, out, _ = invoke(env, "lists", "show", "judgment_defaulters", "--state", "notified")
    assert COMPANY in out
    assert "2026-10-10" in out  # the last day to object
    code, out, _ = invoke(env, "lists", "run", "--on", "2026-10-11")
    assert (code, "judgment_defaulters" in out) == (0, True)
    code, out, _ = invoke(env, "lists", "run", "--on", "2026-10-11")
    assert "nothing to do" in out
    code, out, _ = invoke(env, "lists", "entry", "1")
    assert "notified → listed" in out
    assert "告知书" in out


def test_remove_needs_a_reason_and_says_what_it_did(env: dict[str, str | None]) -> None:
    invoke(env, "lists", "run", "--on", "2026-09-30")
    code, _, err = invoke(env, "lists", "remove", "1", "--reason", " ")
    assert code == 1
    assert err.startswith("error[list-removal-reason]")
    code, out, _ = invoke(env, "lists", "remove", "1", "--reason", "异议成立")
    assert (code, "removed entry 1 from judgment_defaulters" in out) == (0, True)


def test_an_unknown_list_is_one_line(env: dict[str, str | None]) -> None:
    code, _out, err = invoke(env, "lists", "show", "nope")
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith("error[list-unknown]")


def test_check_shows_the_decision_and_each_measure_with_its_basis(
    env: dict[str, str | None],
) -> None:
    invoke(env, "lists", "run", "--on", "2026-09-30")
    code, out, _ = invoke(env, "check", COMPANY, "--matter", "flight_ticket")
    assert (code, out.startswith("proceed")) == (0, True)  # notified is not listed
    invoke(env, "lists", "run", "--on", "2026-10-11")
    code, out, _ = invoke(env, "check", COMPANY, "--matter", "flight_ticket")
    assert out.startswith("restrict")
    assert "no_flights" not in out  # names, not codes, for people
    assert "限制乘坐飞机" in out
    assert "judgment_defaulters #1" in out
    code, out, _ = invoke(env, "check", REP, "--matter", "flight_ticket")
    assert "representative of " + COMPANY in out
    code, _out, err = invoke(env, "check", COMPANY, "--matter", "moon_landing")
    assert (code, err.startswith("error[check-unknown-matter]")) == (1, True)
    code, _out, err = invoke(env, "check", COMPANY[:-1] + "0", "--matter", "flight_ticket")
    assert (code, err.count("\n")) == (1, 1)
