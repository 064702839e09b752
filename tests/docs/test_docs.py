"""Documentation that tests keep honest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xinyong.docs_gen import DOCS, documents
from xinyong.errors import error_classes
from xinyong.i18n import catalog

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(documents()))
def test_generated_docs_are_current(name: str) -> None:
    committed = (DOCS / name).read_text(encoding="utf-8")
    assert committed == documents()[name], f"docs/{name} is stale: run `make docs`"


def test_every_error_message_has_a_chinese_translation_with_the_same_fields() -> None:
    zh = catalog("zh-CN")
    for cls in error_classes():
        assert cls.message in zh, f"{cls.code}: no zh-CN translation for {cls.message!r}"
        fields = set(re.findall(r"{(\w+)", cls.message))
        assert set(re.findall(r"{(\w+)", zh[cls.message])) == fields, cls.code


def test_error_codes_are_unique() -> None:
    codes = [cls.code for cls in error_classes()]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)


def test_readme_shows_the_two_commands_and_links_the_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme
    assert "make test" in readme
    for name in documents():
        assert f"docs/{name}" in readme
