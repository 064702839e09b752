"""Documentation that tests keep honest."""

from __future__ import annotations

import ast
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


def _marked(path: Path) -> list[str]:
    """The literal strings a module marks for translation (``gettext_noop``, however imported)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {a.asname or a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
             and node.module == "xinyong.i18n" for a in node.names if a.name == "gettext_noop"}  # fmt: skip
    return [node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in names and node.args and isinstance(node.args[0], ast.Constant)]  # fmt: skip


def test_every_string_marked_for_translation_has_chinese_with_the_same_fields() -> None:
    """Refusal reasons of the domain rules included: each is said in the reader's language."""
    zh = catalog("zh-CN")
    marked = {(m, str(p)) for p in (ROOT / "src/xinyong").rglob("*.py") for m in _marked(p)}
    assert len(marked) > 100  # the scan finds the marked strings at all
    for message, where in sorted(marked):
        assert message in zh, f"{where}: no zh-CN translation for {message!r}"
        fields = set(re.findall(r"{(\w+)", message))
        assert set(re.findall(r"{(\w+)", zh[message])) == fields, f"{where}: {message!r}"


def test_error_codes_are_unique() -> None:
    codes = [cls.code for cls in error_classes()]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)


def test_readme_shows_the_two_commands_and_links_the_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme
    assert "make test" in readme
    for name in documents():
        assert f"docs/{name}" in readme
