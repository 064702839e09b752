"""`xinyong init` and `xinyong subject show` as an operator runs them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.store.helpers import USCC
from xinyong.cli.main import app
from xinyong.config import Settings
from xinyong.registry.model import LegalRepresentative, Profession, SubjectRegistration
from xinyong.registry.service import record_profession, register_subject
from xinyong.store import migrate
from xinyong.store.engine import open_store
from xinyong.store.queries import reference
from xinyong.store.uow import UnitOfWork

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, store_url: str) -> dict[str, str | None]:
    """A fresh data dir; on SQLite the store is its default file, on PostgreSQL the URL."""
    data = tmp_path / "data"
    url = None if store_url.startswith("sqlite") else store_url
    return {"XINYONG_DATA_DIR": str(data), "XINYONG_DATABASE_URL": url, "XINYONG_LOCALE": "en"}


def _settings(env: dict[str, str | None]) -> Settings:
    return Settings(
        data_dir=Path(env["XINYONG_DATA_DIR"] or ""), database_url=env["XINYONG_DATABASE_URL"]
    )


def invoke(env: dict[str, str | None], *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_init_on_a_fresh_data_dir_then_again(env: dict[str, str | None]) -> None:
    code, out, err = invoke(env, "init")
    assert (code, err) == (0, "")
    assert f"schema: created at revision {migrate.head()}" in out
    assert "jurisdiction: national" in out
    assert "departments: samr, tax, court" in out
    if env["XINYONG_DATABASE_URL"] is None:
        assert (Path(env["XINYONG_DATA_DIR"] or "") / "xinyong.db").is_file()
    code, out, err = invoke(env, "init")
    assert (code, err) == (0, "")
    assert f"schema: already at revision {migrate.head()}" in out


def test_init_registers_a_city_under_its_province_and_the_nation(
    env: dict[str, str | None],
) -> None:
    code, out, err = invoke({**env, "XINYONG_JURISDICTION": "rongcheng"}, "init")
    assert (code, err) == (0, "")
    assert "jurisdiction: rongcheng" in out
    with open_store(_settings(env).store_url) as store, UnitOfWork(store, read_only=True) as uow:
        stored = {j.code: j for j in reference.jurisdictions(uow.connection)}
        city_departments = reference.departments_of(uow.connection, "rongcheng")
    assert {code: j.parent_code for code, j in stored.items()} == {
        "national": None,
        "shandong": "national",
        "rongcheng": "shandong",
    }
    assert (stored["rongcheng"].level, stored["rongcheng"].region_code) == ("city", "371082")
    assert (stored["rongcheng"].pack_version or "").startswith("rongcheng@2026.04+")
    assert "samr" in {d.code for d in city_departments}


def test_init_masks_the_password(env: dict[str, str | None]) -> None:
    url = env["XINYONG_DATABASE_URL"]
    if url is None:
        code, out, _ = invoke(env, "init")
        assert code == 0
        assert f"store: sqlite:///{Path(env['XINYONG_DATA_DIR'] or '').resolve()}" in out
        return
    with_password = url.replace("xinyong@", "xinyong:s3cret@", 1)
    code, out, _ = invoke({**env, "XINYONG_DATABASE_URL": with_password}, "init")
    assert code == 0  # the test server trusts local connections, password or not
    assert "s3cret" not in out
    assert "xinyong:***@" in out


def test_subject_show_of_a_registered_subject(env: dict[str, str | None], now: datetime) -> None:
    assert invoke(env, "init")[0] == 0
    settings = _settings(env)
    with open_store(settings.store_url) as store:
        register_subject(
            UnitOfWork(store),
            SubjectRegistration(USCC, "福州示例科技有限公司", LegalRepresentative("张三")),
            now,
        )
        record_profession(
            UnitOfWork(store), USCC, Profession("agency", now.date(), "market", "fuzhou")
        )
    code, out, err = invoke(env, "subject", "show", USCC.lower())
    assert (code, err) == (0, "")
    assert USCC in out
    assert "福州示例科技有限公司" in out
    assert "张三" in out
    assert "福建省 福州市" in out
    assert "agency" in out
    assert "current records: none" in out


def test_subject_show_of_an_unknown_code_is_one_line(env: dict[str, str | None]) -> None:
    assert invoke(env, "init")[0] == 0
    code, out, err = invoke(env, "subject", "show", USCC)
    assert (code, out) == (1, "")
    assert err.strip().splitlines() == [
        f"error[subject-not-found]: no subject with code {USCC} is registered"
    ]


def test_subject_show_of_a_malformed_code_names_its_error(env: dict[str, str | None]) -> None:
    assert invoke(env, "init")[0] == 0
    code, out, err = invoke(env, "subject", "show", "91350100M000100Y44")
    assert (code, out) == (1, "")
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error[uscc-check-digit]:")


def test_subject_show_before_init_says_to_run_init(env: dict[str, str | None]) -> None:
    code, _, err = invoke(env, "subject", "show", USCC)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error[store-not-initialised]:")
    assert "xinyong init" in lines[0]


def test_init_and_an_operators_read_of_a_person_are_in_the_audit_log(
    env: dict[str, str | None], now: datetime
) -> None:
    from tests.store.helpers import RESIDENT_ID
    from xinyong.audit.service import entries_for_target, verify_log

    assert invoke(env, "init")[0] == 0
    settings = _settings(env)
    with open_store(settings.store_url) as store:
        register_subject(UnitOfWork(store), SubjectRegistration(RESIDENT_ID, "李小明"), now)
        register_subject(UnitOfWork(store), SubjectRegistration(USCC, "福州示例科技有限公司"), now)
    assert invoke(env, "subject", "show", RESIDENT_ID)[0] == 0
    assert invoke(env, "subject", "show", USCC)[0] == 0
    with open_store(settings.store_url) as store, UnitOfWork(store, read_only=True) as uow:
        [init] = entries_for_target(uow.connection, "jurisdiction:national")
        person = entries_for_target(uow.connection, f"subject:{RESIDENT_ID}")
        company = entries_for_target(uow.connection, f"subject:{USCC}")
    assert (init.action, init.actor) == ("node.init", "cli")
    assert "samr" in init.detail["departments"]
    assert [(e.action, e.actor) for e in person] == [("subject.read", "cli")]
    assert company == []  # a legal person's registration is public
    assert verify_log(settings.store_url).ok
