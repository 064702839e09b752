"""`xinyong demo` reaches as far as the platform does: store, city, packs — and repeats."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from xinyong.cli.main import app
from xinyong.store import migrate

runner = CliRunner()


def test_demo_initialises_generates_and_checks_and_can_run_again(tmp_path: Path) -> None:
    env = {"XINYONG_DATA_DIR": str(tmp_path), "XINYONG_DATABASE_URL": None}
    for run in range(2):
        result = runner.invoke(app, ["demo", "--subjects", "150"], env=env)
        assert result.exit_code == 0, result.stderr
        assert f"revision {migrate.head()}" in result.stdout
        assert "ingest summary" in result.stdout
        # The regenerated city is byte for byte the same: the second run applies nothing.
        assert ("already applied" in result.stdout) == (run == 1)
        for pack in ("national", "shandong", "rongcheng", "fuzhou"):
            assert f"policy pack ok: {pack}@" in result.stdout
    manifest = json.loads((tmp_path / "demo-city" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["subjects"] == 150
    assert (tmp_path / "xinyong.db").is_file()
    assert (tmp_path / "demo-city" / "noise.json").is_file()
