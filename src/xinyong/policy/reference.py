"""Readable views of packs and of the pack format, generated from the models.

``section_rows`` feeds ``xinyong policy show``; ``format_reference`` writes
docs/policy-reference.md. Both read the pydantic models, so the documentation
cannot drift from what the loader accepts (a test compares the file).
"""

from __future__ import annotations

import types
import typing
from enum import Enum
from typing import Any

from pydantic import BaseModel

from xinyong.errors import UserInputError
from xinyong.policy.model import PROHIBITED_CATEGORIES, Category, Pack

SECTIONS = (
    "departments",
    "catalog",
    "disclosure_periods",
    "lists",
    "matters",
    "measures",
    "memoranda",
    "scoring",
    "objections",
    "repair",
)


def section_rows(pack: Pack, section: str) -> tuple[list[str], list[list[str]]]:
    """Column headers and rows for one section of a pack."""
    if section not in SECTIONS:
        raise UserInputError(
            detail=f"unknown section {section!r}; choose one of {', '.join(SECTIONS)}"
        )
    value = getattr(pack, section)
    if value is None:
        return ["value"], [["—"]]
    if isinstance(value, BaseModel):
        return ["key", "value"], [[k, _cell(v)] for k, v in value.model_dump(mode="json").items()]
    summary = _SUMMARIES[section]
    return list(summary), [
        [_cell(_pluck(entry, key)) for key in summary.values()] for entry in value
    ]


_SUMMARIES: dict[str, dict[str, str]] = {
    "departments": {"code": "code", "名称": "name.zh", "name": "name.en"},
    "catalog": {
        "code": "code",
        "名称": "name.zh",
        "category": "category",
        "kinds": "subject_kinds",
        "disclosure": "disclosure",
        "severities": "severities",
        "basis": "legal_basis",
    },
    "disclosure_periods": {
        "code": "code",
        "from": "valid_from",
        "to": "valid_to",
        "minor": "minor",
        "general": "general",
        "serious": "serious",
    },
    "lists": {
        "code": "code",
        "名称": "name.zh",
        "kind": "kind",
        "rule": "rule",
        "months": "period_months",
        "objection days": "objection_working_days",
    },
    "matters": {"code": "code", "名称": "name.zh", "name": "name.en"},
    "measures": {
        "code": "code",
        "名称": "name.zh",
        "kind": "kind",
        "department": "department",
        "matters": "matters",
        "reaches": "reaches",
        "basis": "legal_basis",
    },
    "memoranda": {
        "code": "code",
        "名称": "name.zh",
        "lists": "lists",
        "measures": "measures",
        "basis": "legal_basis",
    },
    "scoring": {
        "code": "code",
        "名称": "name.zh",
        "base": "base",
        "floor": "floor",
        "ceiling": "ceiling",
        "bands": "bands",
        "kinds": "subject_kinds",
    },
}


def _pluck(entry: BaseModel, dotted: str) -> Any:
    value: Any = entry.model_dump(mode="json")
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_cell(v)}" for k, v in value.items() if v not in (None, [], {}))
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def format_reference() -> str:
    """The pack-format reference in Markdown, one table per model."""
    lines = [
        "# Policy-pack reference",
        "",
        "Generated from `xinyong.policy.model` by `make docs`; do not edit by hand.",
        "A pack is a directory with `pack.toml` (holding `[meta]`) and any other `*.toml`",
        "files, each contributing whole sections. `meta.extends` names the parent pack;",
        "coded entries merge by `code` and `[remove]` drops parent entries by code.",
        "",
        "Allowed catalog categories: " + ", ".join(f"`{c.value}`" for c in Category) + ".",
        "",
        "Refused categories (no way to record them): "
        + ", ".join(f"`{k}` ({v})" for k, v in PROHIBITED_CATEGORIES.items())
        + ".",
        "",
    ]
    for model in _models(Pack):
        lines += [f"## {model.__name__}", "", (model.__doc__ or "").strip().splitlines()[0], ""]
        lines += ["| key | type | required | description |", "|---|---|---|---|"]
        for name, field in model.model_fields.items():
            required = "yes" if field.is_required() else "no"
            lines.append(
                f"| `{name}` | {_type_name(field.annotation)} | {required} | {field.description or ''} |"
            )
        lines.append("")
    return "\n".join(lines)


def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.append(model)
        for field in model.model_fields.values():
            for inner in _inner_types(field.annotation):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    visit(inner)

    visit(root)
    return seen


def _inner_types(annotation: Any) -> list[Any]:
    args = typing.get_args(annotation)
    if not args:
        return [annotation]
    return [t for arg in args for t in _inner_types(arg)]


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in args if a is not type(None)) + " (optional)" * (
            type(None) in args
        )
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"table {_type_name(args[0])} → {_type_name(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return " \\| ".join(f"`{m.value}`" for m in annotation)
    return getattr(annotation, "__name__", str(annotation))
