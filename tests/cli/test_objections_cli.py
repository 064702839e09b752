"""`xinyong objections list|show|decide|extend|escalate`, as the operator runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.lists.helpers import COMPANY, at, court_defaulter, registration
from xinyong.cli.main import app
from xinyong.config import Settings
from xinyong.ingest.service import ingest_records
from xinyong.policy.service import node_pack
from xinyong.rights.objections import Target
from xinyong.rights.service import file_objection
from xinyong.store.engine import open_store
from xinyong.store.queries import records
from xinyong.store.uow import UnitOfWork

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, store_url: str) -> dict[str, str | None]:
    """A Rongcheng node where the company objected to its court record on 30 September 2026."""
    url = None if store_url.startswith("sqlite") else store_url
    env = {"XINYONG_DATA_DIR": str(tmp_path / "data"), "XINYONG_DATABASE_URL": url,
           "XINYONG_JURISDICTION": "rongcheng", "XINYONG_LOCALE": "en", "COLUMNS": "200"}  # fmt: skip
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    settings = Settings(data_dir=tmp_path / "data", database_url=url, jurisdiction="rongcheng")
    with open_store(settings.store_url) as store:
        pack = node_pack(settings)
        ingest_records(store, pack, "samr", [registration()], at(2026, 9, 1), limit=10)
        ingest_records(store, pack, "court", [court_defaulter()], at(2026, 9, 29), limit=10)
        with UnitOfWork(store, read_only=True) as uow:
            found = records.find_current_by_document(uow.connection, "rongcheng", "court",
                                                     "（2026）鲁1082执100号")  # fmt: skip
        assert found is not None
        file_objection(store, pack, subject_code=COMPANY, target=Target.RECORD,
                       item=found.record_id, reasons="已履行完毕", actor=f"subject:{COMPANY}",
                       now=at(2026, 9, 30))  # fmt: skip
    return env


def invoke(env: dict[str, str | None], *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_the_operator_lists_shows_and_decides_an_objection(env: dict[str, str | None]) -> None:
    code, out, _ = invoke(env, "objections", "list", "--state", "open")
    assert code == 0
    assert COMPANY in out
    assert "2026-10-15 overdue" in out  # seven working days (Shandong) past National Day
    code, out, _ = invoke(env, "objections", "show", "1")
    assert (code, "已履行完毕" in out, "decided by court by 2026-10-15" in out) == (0, True, True)
    code, out, _ = invoke(
        env, "objections", "decide", "1", "uphold", "--reason", "经复核，记录无误"
    )
    assert code == 0
    assert "upheld on" in out
    assert "经复核，记录无误" in out
    code, out, err = invoke(env, "objections", "decide", "1", "revoke", "--reason", "再议")
    assert code != 0
    assert "already upheld" in err
    assert len(err.strip().splitlines()) == 1  # one clear line, no traceback


def test_escalate_hands_overdue_objections_to_the_operator_once(env: dict[str, str | None]) -> None:
    assert invoke(env, "objections", "escalate")[1].startswith(
        "escalated 1 overdue objection(s): 1"
    )
    assert invoke(env, "objections", "escalate")[1].startswith("escalated 0")


def test_a_correction_must_be_a_json_object(env: dict[str, str | None]) -> None:
    code, _, err = invoke(env, "objections", "decide", "1", "correct", "--reason", "更正",
                          "--correction", "[1, 2]")  # fmt: skip
    assert code == 2
    assert "JSON object" in err
    code, _, err = invoke(env, "objections", "decide", "1", "correct", "--reason", "更正",
                          "--correction", '{"no_such_field": 1}')  # fmt: skip
    assert code != 0
    assert "no_such_field is not a field of jud.defaulter" in err
