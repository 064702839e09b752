"""`xinyong consents list|revoke`: the operator sees a subject's consents and revokes one at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.store.helpers import USCC
from xinyong.cli.main import app
from xinyong.config import Settings
from xinyong.keys.service import create_key
from xinyong.policy.service import node_pack
from xinyong.registry.model import SubjectRegistration
from xinyong.registry.service import register_subject
from xinyong.rights.consent_service import grant_consent
from xinyong.store.engine import open_store
from xinyong.store.uow import UnitOfWork

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, store_url: str) -> dict[str, str | None]:
    url = None if store_url.startswith("sqlite") else store_url
    env = {"XINYONG_DATA_DIR": str(tmp_path / "data"), "XINYONG_DATABASE_URL": url,
           "XINYONG_LOCALE": "en", "COLUMNS": "200"}  # fmt: skip
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    settings = Settings(data_dir=tmp_path / "data", database_url=url)
    now = datetime.now(UTC)
    with open_store(settings.store_url) as store:
        register_subject(UnitOfWork(store), SubjectRegistration(USCC, "福州示例科技有限公司"), now)
        agency, _ = create_key(store, name="某银行", role="agency", actor="test", now=now)
        grant_consent(store, node_pack(settings), subject_code=USCC, agency_prefix=agency.prefix,
                      purpose="loan_application", until=(now + timedelta(days=30)).date(),
                      granted_by=f"subject:{USCC}", now=now)  # fmt: skip
    return env


def test_list_then_revoke_takes_effect_at_once(env: dict[str, str | None]) -> None:
    listed = runner.invoke(app, ["consents", "list", USCC], env=env)
    assert listed.exit_code == 0
    assert "loan_application" in listed.stdout
    assert "in force" in listed.stdout
    revoked = runner.invoke(app, ["consents", "revoke", "1"], env=env)
    assert (revoked.exit_code, revoked.stdout.strip()) == (0, "consent 1 revoked")
    assert "revoked" in runner.invoke(app, ["consents", "list", USCC], env=env).stdout
    twice = runner.invoke(app, ["consents", "revoke", "1"], env=env)
    assert twice.exit_code != 0
    assert "already revoked" in twice.stderr
