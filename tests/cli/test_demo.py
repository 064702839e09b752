"""`xinyong demo` reaches as far as the platform does: store, city, packs — and repeats."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from xinyong.api.app import create_app
from xinyong.audit.service import entries_for_target
from xinyong.cli.main import app
from xinyong.config import Settings
from xinyong.keys.service import list_keys
from xinyong.store import migrate
from xinyong.store.engine import open_store
from xinyong.store.uow import UnitOfWork

runner = CliRunner()


def test_demo_initialises_generates_and_checks_and_can_run_again(tmp_path: Path) -> None:
    env = {"XINYONG_DATA_DIR": str(tmp_path), "XINYONG_DATABASE_URL": None}
    for run in range(2):
        result = runner.invoke(app, ["demo", "--subjects", "150", "--no-serve"], env=env)
        assert result.exit_code == 0, result.stderr
        assert f"revision {migrate.head()}" in result.stdout
        assert "ingest summary" in result.stdout
        # The regenerated city is byte for byte the same: the second run applies nothing.
        assert ("already applied" in result.stdout) == (run == 1)
        for pack in ("national", "shandong", "rongcheng", "fuzhou"):
            assert f"policy pack ok: {pack}@" in result.stdout
        # Three weeks ago the notices, today the listings; run again, nothing changes.
        assert result.stdout.count("lists run on") == 2
        assert result.stdout.count("nothing to do") == (2 if run == 1 else 0)
        assert re.search(r"\S{18} flight_ticket +restrict +no_flights", result.stdout)
        # Every subject graded by each national model; the quarter's round drawn once.
        assert "enterprise_risk" in result.stdout
        assert "tax_credit" in result.stdout
        assert ("verify it: xinyong inspect verify 1" in result.stdout) == (run == 0)
        # The invited company's walk: an objection its department upholds, and a repair.
        assert re.search(r"the company objected to record:\S+; \S+ decided: upheld", result.stdout)
        repaired = re.search(r"applied to repair record:\S+; \S+ decided: approved", result.stdout)
        assert (repaired is not None) == (run == 0)  # repaired once; nothing left the second time
    walked = re.search(r"portal account of (\S{18})", result.stdout)
    assert walked is not None
    with open_store(Settings(data_dir=tmp_path).store_url) as store, UnitOfWork(store) as uow:
        events = entries_for_target(uow.connection, f"subject:{walked[1]}")
        desks = [k for k in list_keys(store) if k.principal.name.startswith("demo desk")]
    # Through the pages: the agent signed in on each run, and the department's desk keys of
    # the walk are revoked once it is done.
    assert sum(e.action == "account.sign_in" for e in events) >= 2
    assert desks
    assert all(k.revoked_at is not None for k in desks)
    verified = runner.invoke(app, ["inspect", "verify", "1"], env=env)
    assert verified.exit_code == 0, verified.stderr
    assert "re-derives exactly" in verified.stdout
    manifest = json.loads((tmp_path / "demo-city" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["subjects"] == 150
    assert (tmp_path / "xinyong.db").is_file()
    assert (tmp_path / "demo-city" / "noise.json").is_file()


def test_the_demo_keys_it_prints_work_and_a_rerun_revokes_them(tmp_path: Path) -> None:
    env = {"XINYONG_DATA_DIR": str(tmp_path), "XINYONG_DATABASE_URL": None}
    first = runner.invoke(app, ["demo", "--subjects", "150", "--no-serve"], env=env)
    assert first.exit_code == 0, first.stderr
    keys = re.findall(r"(xy_[A-Za-z0-9]+_[A-Za-z0-9_-]+)", first.stdout)
    assert len(set(keys)) == 4
    suggested = re.search(r"Bearer (xy_\S+)' \S+/api/v1/batches/(\d+)", first.stdout)
    assert suggested is not None
    settings = Settings(data_dir=tmp_path)
    with TestClient(create_app(settings)) as client:
        headers = {"Authorization": f"Bearer {suggested[1]}"}
        batch = client.get(f"/api/v1/batches/{suggested[2]}", headers=headers)
        assert batch.status_code == 200
        assert batch.json()["department"] == "samr"
        # The department key reads its own batches only: batch 1 is the police's persons.
        assert client.get("/api/v1/batches/1", headers=headers).status_code == 403
    account = re.search(r"portal account of (\S{18}) .*login (\S+), password (\S+)", first.stdout)
    assert account is not None
    assert _signs_in(settings, account[2], account[3]) == account[1]
    second = runner.invoke(app, ["demo", "--subjects", "150", "--no-serve"], env=env)
    assert second.exit_code == 0, second.stderr
    with TestClient(create_app(settings)) as client:
        stale = client.get("/api/v1/catalog", headers=headers)
        assert (stale.status_code, stale.json()["code"]) == (401, "api-key-revoked")
    again = re.search(r"login (\S+), password (\S+)", second.stdout)
    assert again is not None
    assert again[2] != account[3]  # a fresh password each run: the printed one stops working
    assert _signs_in(settings, account[2], account[3]) is None
    assert _signs_in(settings, again[1], again[2]) == account[1]


def _signs_in(settings: Settings, login: str, password: str) -> str | None:
    """The subject code /me shows after signing in with these, or None when refused."""
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/signin").text)
        assert token is not None
        signed = client.post("/signin", data={"login": login, "password": password,
                                              "csrf": token[1]}, follow_redirects=False)  # fmt: skip
        if signed.status_code != 303:
            return None
        found = re.search(r'<p class="code">(\S{18})', client.get("/me").text)
        return found[1] if found else None
