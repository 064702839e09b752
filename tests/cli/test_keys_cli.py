"""`xinyong keys create|list|revoke` and `xinyong serve` as an operator runs them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xinyong.cli.main import app
from xinyong.config import Settings
from xinyong.keys.service import authenticate
from xinyong.store.engine import open_store

runner = CliRunner()
KEY = re.compile(r"^xy_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$")


@pytest.fixture
def env(tmp_path: Path, store_url: str) -> dict[str, str | None]:
    data = tmp_path / "data"
    url = None if store_url.startswith("sqlite") else store_url
    return {
        "XINYONG_DATA_DIR": str(data),
        "XINYONG_DATABASE_URL": url,
        "XINYONG_LOCALE": "en",
        "COLUMNS": "160",  # wide enough that the key table keeps each row on one line
    }


def invoke(env: dict[str, str | None], *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def node(env: dict[str, str | None]) -> dict[str, str | None]:
    code, _, err = invoke(env, "init")
    assert (code, err) == (0, "")
    return env


def _settings(env: dict[str, str | None]) -> Settings:
    return Settings(
        data_dir=Path(env["XINYONG_DATA_DIR"] or ""), database_url=env["XINYONG_DATABASE_URL"]
    )


def test_create_prints_the_key_once_with_a_warning(node: dict[str, str | None]) -> None:
    code, out, err = invoke(node, "keys", "create", "--name", "portal", "--role", "public")
    assert code == 0
    assert KEY.match(out.strip()), out  # stdout holds the key alone, for KEY=$(…)
    assert out.count("xy_") == 1
    assert "cannot be shown again" in err
    assert f"created API key {out.split('_')[1]} (portal, public)" in err
    with open_store(_settings(node).store_url) as store:
        assert authenticate(store, out.strip()).name == "portal"
    # Listing never shows it again.
    code, listing, _ = invoke(node, "keys", "list")
    assert code == 0
    assert out.strip() not in listing
    assert out.strip().split("_", 2)[2] not in listing


def test_list_then_revoke(node: dict[str, str | None]) -> None:
    code, none, _ = invoke(node, "keys", "list")
    assert (code, none.strip()) == (0, "no API keys yet; create one with `xinyong keys create`")
    _, ops, _ = invoke(node, "keys", "create", "--name", "ops", "--role", "operator")
    _, dept, err = invoke(
        node, "keys", "create", "--name", "tax-upload", "--role", "department",
        "--department", "tax",
    )  # fmt: skip
    assert "(tax-upload, department for national/tax)" in err
    ops_prefix, dept_prefix = ops.split("_")[1], dept.split("_")[1]

    code, listing, _ = invoke(node, "keys", "list")
    assert code == 0
    for header in ("prefix", "name", "role", "department", "created", "revoked"):
        assert header in listing
    ops_line = next(line for line in listing.splitlines() if ops_prefix in line)
    dept_line = next(line for line in listing.splitlines() if dept_prefix in line)
    assert "operator" in ops_line
    assert "national/tax" in dept_line
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", ops_line)

    code, out, err = invoke(node, "keys", "revoke", ops_prefix)
    assert (code, err) == (0, "")
    assert f"revoked API key {ops_prefix} (ops)" in out
    _, listing, _ = invoke(node, "keys", "list")
    ops_line = next(line for line in listing.splitlines() if ops_prefix in line)
    assert len(re.findall(r"\d{4}-\d\d-\d\d \d\d:\d\d", ops_line)) == 2  # created and revoked

    code, _, err = invoke(node, "keys", "revoke", ops_prefix)
    assert code == 1
    assert err.startswith("error[api-key-already-revoked]:")
    code, _, err = invoke(node, "keys", "revoke", "nosuchkey0")
    assert (code, err.split(":")[0]) == (1, "error[api-key-not-found]")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--role", "department"], "key-department-required"),
        (["--role", "department", "--department", "nowhere"], "key-department-unknown"),
        (["--role", "checker", "--department", "tax"], "key-department-not-allowed"),
    ],
)
def test_department_scope_errors_are_one_line(
    node: dict[str, str | None], args: list[str], code: str
) -> None:
    exit_code, out, err = invoke(node, "keys", "create", "--name", "k", *args)
    assert (exit_code, out) == (1, "")
    assert err.startswith(f"error[{code}]:")
    assert len(err.strip().splitlines()) == 1


def test_an_unknown_role_is_refused_by_the_parser(node: dict[str, str | None]) -> None:
    exit_code, _, err = invoke(node, "keys", "create", "--name", "k", "--role", "root")
    assert exit_code == 2
    assert "root" in err


def test_keys_need_an_initialised_store(env: dict[str, str | None]) -> None:
    exit_code, _, err = invoke(env, "keys", "list")
    assert exit_code == 1
    assert err.startswith("error[store-not-initialised]:")


def test_serve_checks_the_node_before_starting(env: dict[str, str | None]) -> None:
    exit_code, _, err = invoke(env, "serve", "--port", "8765")
    assert exit_code == 1
    assert err.startswith("error[store-not-initialised]:")
