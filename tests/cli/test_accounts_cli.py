"""`xinyong accounts invite|link|reset`: the operator opens, links and resets subjects' portal accounts."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.store.helpers import USCC
from xinyong.cli.main import app
from xinyong.config import Settings
from xinyong.registry.model import SubjectRegistration
from xinyong.registry.service import register_subject
from xinyong.rights.account_service import LocalAuthenticator, provider_sign_in
from xinyong.rights.errors import SignInRefusedError
from xinyong.store.engine import open_store
from xinyong.store.uow import UnitOfWork

runner = CliRunner()
ISSUER = "https://id.example.gov.cn"


@pytest.fixture
def env(tmp_path: Path, store_url: str) -> dict[str, str | None]:
    url = None if store_url.startswith("sqlite") else store_url
    env = {"XINYONG_DATA_DIR": str(tmp_path / "data"), "XINYONG_DATABASE_URL": url,
           "XINYONG_LOCALE": "en", "COLUMNS": "200"}  # fmt: skip
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    with open_store(_settings(env).store_url) as store:
        register_subject(UnitOfWork(store), SubjectRegistration(USCC, "福州示例科技有限公司"),
                         datetime.now(UTC))  # fmt: skip
    return env


def _settings(env: dict[str, str | None]) -> Settings:
    return Settings(
        data_dir=Path(str(env["XINYONG_DATA_DIR"])), database_url=env["XINYONG_DATABASE_URL"]
    )


def test_an_invited_account_signs_in_with_the_password_shown_once(
    env: dict[str, str | None],
) -> None:
    made = runner.invoke(app, ["accounts", "invite", USCC, "fz-agent", "--agent", "李四"], env=env)
    assert made.exit_code == 0, made.stderr
    password = re.search(r"password \(shown once\): (\S+)", made.stdout)
    assert password is not None
    with open_store(_settings(env).store_url) as store:
        auth = LocalAuthenticator(store)
        assert auth.authenticate("fz-agent", password[1], datetime.now(UTC)).agent == "李四"
    again = runner.invoke(app, ["accounts", "invite", USCC, "fz-agent"], env=env)
    assert again.exit_code != 0
    assert "taken" in again.stderr


def test_reset_reads_the_new_password_from_stdin_and_link_admits_the_provider_sub(
    env: dict[str, str | None],
) -> None:
    assert runner.invoke(app, ["accounts", "invite", USCC, "fz-agent"], env=env).exit_code == 0
    reset = runner.invoke(app, ["accounts", "reset", "fz-agent", "--password-stdin"],
                          input="a long new password\n", env=env)  # fmt: skip
    assert reset.exit_code == 0, reset.stderr
    assert "shown once" not in reset.stdout
    linked = runner.invoke(app, ["accounts", "link", "fz-agent", "--issuer", ISSUER,
                                 "--sub", "u-42"], env=env)  # fmt: skip
    assert linked.exit_code == 0, linked.stderr
    now = datetime.now(UTC)
    with open_store(_settings(env).store_url) as store:
        assert LocalAuthenticator(store).authenticate("fz-agent", "a long new password", now)
        assert provider_sign_in(store, issuer=ISSUER, subject="u-42", now=now).login == "fz-agent"
        with pytest.raises(SignInRefusedError):
            LocalAuthenticator(store).authenticate("fz-agent", "short", now)
    short = runner.invoke(app, ["accounts", "reset", "fz-agent", "--password-stdin"], input="short\n",
                          env=env)  # fmt: skip
    assert short.exit_code != 0
    assert "at least" in short.stderr
    assert len(short.stderr.strip().splitlines()) == 1  # one clear line, no traceback
