"""Helpers to write throw-away packs next to the shipped ones."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

WritePack = Callable[..., Path]


@pytest.fixture
def pack_root(tmp_path: Path) -> Path:
    root = tmp_path / "packs"
    root.mkdir()
    return root


@pytest.fixture
def write_pack(pack_root: Path) -> WritePack:
    """write_pack("city", **{"pack.toml": "...", "rules.toml": "..."}) → the pack directory."""

    def write(code: str, **files: str) -> Path:
        directory = pack_root / code
        directory.mkdir(exist_ok=True)
        for name, text in files.items():
            (directory / name).write_text(textwrap.dedent(text), encoding="utf-8")
        return directory

    return write


def city_meta(code: str = "testcity", extends: str = "national", level: str = "city") -> str:
    return f"""
    [meta]
    code = "{code}"
    name = {{ zh = "测试市", en = "Test City" }}
    level = "{level}"
    version = "1"
    extends = "{extends}"
    """
