"""`xinyong audit verify` as an operator runs it: OK with the head, or one red line."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, update
from typer.testing import CliRunner

from xinyong.audit.service import append_event
from xinyong.cli.main import app
from xinyong.config import Settings
from xinyong.store import migrate
from xinyong.store.engine import open_store
from xinyong.store.tables import audit_event
from xinyong.store.uow import UnitOfWork

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, store_url: str) -> dict[str, str | None]:
    data = tmp_path / "data"
    url = None if store_url.startswith("sqlite") else store_url
    environment = {
        "XINYONG_DATA_DIR": str(data),
        "XINYONG_DATABASE_URL": url,
        "XINYONG_LOCALE": "en",
    }
    # Only the schema: `xinyong init` itself writes an audit entry, and these
    # tests count entries from an empty log.
    migrate.upgrade(store_url_of(environment))
    return environment


def invoke(env: dict[str, str | None], *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def store_url_of(env: dict[str, str | None]) -> str:
    return Settings(
        data_dir=Path(env["XINYONG_DATA_DIR"] or ""), database_url=env["XINYONG_DATABASE_URL"]
    ).store_url


def append(env: dict[str, str | None], now: datetime, n: int) -> list[str]:
    """Append ``n`` events; returns their hashes."""
    with open_store(store_url_of(env)) as store, UnitOfWork(store) as uow:
        hashes = [
            append_event(
                uow.connection,
                actor="cli:operator",
                action="subject.read",
                target="subject:91350100M000100Y43",
                detail={"fields": ["name", "法定代表人"]},
                now=now,
            ).hash
            for _ in range(n)
        ]
        uow.commit()
    return hashes


def change(env: dict[str, str | None], seq: int, **values: object) -> None:
    with open_store(store_url_of(env)) as store, UnitOfWork(store) as uow:
        where = audit_event.c.seq == seq
        statement = update(audit_event).where(where).values(values) if values else None
        uow.connection.execute(
            statement if statement is not None else delete(audit_event).where(where)
        )
        uow.commit()


def test_an_empty_log_is_ok(env: dict[str, str | None]) -> None:
    code, out, err = invoke(env, "audit", "verify")
    assert (code, err) == (0, "")
    assert out.strip() == f"OK: 0 entries, head seq 0 hash {'0' * 64}"


def test_an_intact_log_is_ok_with_its_head(env: dict[str, str | None], now: datetime) -> None:
    hashes = append(env, now, 3)
    code, out, err = invoke(env, "audit", "verify")
    assert (code, err) == (0, "")
    assert out.strip() == f"OK: 3 entries, head seq 3 hash {hashes[-1]}"


def test_a_broken_log_is_one_red_line_naming_the_link(
    env: dict[str, str | None], now: datetime
) -> None:
    hashes = append(env, now, 3)
    change(env, 2, actor="someone else")
    code, out, err = invoke(env, "audit", "verify")
    assert (code, out) == (1, "")
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error[audit-chain-broken]: audit log broken at seq 2: hash differs")
    assert lines[0].endswith(f"found {hashes[1]} (the entry was changed after it was written)")


def test_a_broken_log_in_chinese(env: dict[str, str | None], now: datetime) -> None:
    append(env, now, 3)
    change(env, 2)
    code, _, err = invoke({**env, "XINYONG_LOCALE": "zh-CN"}, "audit", "verify")
    assert code == 1
    assert "审计日志在序号 3 处断链：seq 不符，应为 2，实为 3（有条目缺失或顺序错乱）" in err


def test_a_cut_off_tail_is_caught_against_the_noted_head(
    env: dict[str, str | None], now: datetime
) -> None:
    hashes = append(env, now, 3)
    noted = f"3:{hashes[-1]}"
    assert invoke(env, "audit", "verify", "--expect-head", noted)[0] == 0
    change(env, 3)
    assert invoke(env, "audit", "verify")[0] == 0  # on its own, a shorter chain is valid
    code, _, err = invoke(env, "audit", "verify", "--expect-head", noted)
    assert code == 1
    assert err.startswith("error[audit-chain-broken]: audit log broken at seq 3: head differs")


def test_a_malformed_head_is_one_line(env: dict[str, str | None]) -> None:
    code, _, err = invoke(env, "audit", "verify", "--expect-head", "3-abc")
    assert code == 1
    assert err.strip().splitlines() == [
        "error[audit-head-format]: a head is written SEQ:HASH, as `xinyong audit verify` "
        "prints it (a whole number, a colon and 64 hexadecimal digits), got '3-abc'"
    ]


def test_verify_before_init_says_to_run_init(tmp_path: Path) -> None:
    code, _, err = invoke({"XINYONG_DATA_DIR": str(tmp_path / "none")}, "audit", "verify")
    assert code == 1
    assert err.startswith("error[store-not-initialised]:")
