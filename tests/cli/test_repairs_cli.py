"""`xinyong repairs list|decide|notify`, as the operator runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.lists.helpers import COMPANY, at, penalty, registration
from xinyong.cli.main import app
from xinyong.config import Settings
from xinyong.ingest.service import ingest_records
from xinyong.policy.service import node_pack
from xinyong.rights.repair_service import apply_for_repair
from xinyong.store.engine import open_store
from xinyong.store.queries import records
from xinyong.store.uow import UnitOfWork

runner = CliRunner()
FINE = "荣市监罚〔2025〕2号"


@pytest.fixture
def env(tmp_path: Path, store_url: str) -> dict[str, str | None]:
    """A Rongcheng node where the company applied to repair a 2025 penalty."""
    url = None if store_url.startswith("sqlite") else store_url
    env = {"XINYONG_DATA_DIR": str(tmp_path / "data"), "XINYONG_DATABASE_URL": url,
           "XINYONG_JURISDICTION": "rongcheng", "XINYONG_LOCALE": "en", "COLUMNS": "200"}  # fmt: skip
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    settings = Settings(data_dir=tmp_path / "data", database_url=url, jurisdiction="rongcheng")
    with open_store(settings.store_url) as store:
        pack = node_pack(settings)
        ingest_records(store, pack, "samr", [registration()], at(2025, 8, 1), limit=10)
        ingest_records(store, pack, "samr", [penalty(FINE, "general", decided="2025-09-01")],
                       at(2025, 9, 2), limit=10)  # fmt: skip
        with UnitOfWork(store, read_only=True) as uow:
            found = records.find_current_by_document(uow.connection, "rongcheng", "samr", FINE)
        assert found is not None
        apply_for_repair(store, pack, subject_code=COMPANY, record_id=found.record_id,
                         performed="已缴清", committed=True, actor=f"subject:{COMPANY}",
                         now=at(2026, 3, 2))  # fmt: skip
    return env


def test_the_operator_lists_and_decides_a_repair(env: dict[str, str | None]) -> None:
    result = runner.invoke(app, ["repairs", "list"], env=env)
    assert result.exit_code == 0
    assert COMPANY in result.stdout
    assert "2026-03-05 overdue" in result.stdout  # three working days, and today is later
    refused = runner.invoke(app, ["repairs", "decide", "1", "--refuse"], env=env)
    assert refused.exit_code != 0
    assert "written reasons" in refused.stderr
    approved = runner.invoke(app, ["repairs", "decide", "1", "--approve"], env=env)
    assert approved.exit_code == 0
    assert "repair 1: approved" in approved.stdout
    assert runner.invoke(app, ["repairs", "notify"], env=env).stdout.startswith("sent 0")
