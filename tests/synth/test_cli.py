"""`xinyong generate` as a user runs it: a summary on success, one red line on a bad argument."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xinyong.cli.main import app

runner = CliRunner()


def test_generate_writes_a_city_and_prints_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "city"
    args = ["generate", "--subjects", "300", "--seed", "9", "--noise", "0.05", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "psb/persons.csv" in result.stdout
    assert "duplicate-row" in result.stdout
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["subjects"], manifest["seed"], manifest["as_of"]) == (300, 9, "2026-06-30")
    again = runner.invoke(app, [*args, "--force"])
    assert again.exit_code == 0, again.output
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == manifest


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        (["--subjects", "0"], "generate-subject-count"),
        (["--subjects", "-5"], "generate-subject-count"),
        (["--subjects", "10", "--noise", "1.5"], "generate-noise-rate"),
        (["--subjects", "10", "--noise", "-0.1"], "generate-noise-rate"),
        (["--subjects", "10", "--region", "999900"], "generate-unknown-region"),
        (["--subjects", "10", "--region", "371002"], "generate-unknown-region"),
        (["--subjects", "10", "--as-of", "2026-02-30"], "generate-as-of"),
    ],
)
def test_a_bad_argument_is_one_line_with_its_code(
    tmp_path: Path, extra: list[str], code: str
) -> None:
    result = runner.invoke(app, ["generate", "--out", str(tmp_path / "city"), *extra])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error[{code}]:")
    assert result.stderr.strip().count("\n") == 0
    assert "Traceback" not in result.output
    assert not (tmp_path / "city").exists()


def test_a_non_empty_output_directory_needs_force(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["generate", "--subjects", "10", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("error[generate-output-not-empty]:")
    assert "Traceback" not in result.output
    forced = runner.invoke(app, ["generate", "--subjects", "10", "--out", str(tmp_path), "--force"])
    assert forced.exit_code == 0, forced.output
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"  # not ours: kept
