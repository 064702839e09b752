"""Rows on their way to a batch: one row of a file or one JSON record, after mapping.

A :class:`Row` is what the checks take. JSON records are read here into the
same :class:`~xinyong.ingest.model.RawRecord` a mapping produces.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from xinyong.ingest.errors import MalformedLineError, PayloadUnknownFieldError, TextCharacterError
from xinyong.ingest.model import Action, RawRecord, Registration, RowProblem

_REGISTRATION_FIELDS = frozenset(f.name for f in dataclasses.fields(Registration))
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
"""Characters no store can hold: NUL (PostgreSQL text) and lone surrogates (not UTF-8)."""


@dataclass(frozen=True)
class Row:
    number: int
    raw: RawRecord | None
    problems: tuple[RowProblem, ...]
    # What the row's quarantine copy is made from (its cells, or its JSON object),
    # turned into one by the batch's ``describe`` for rejected rows only: most
    # rows are accepted and never need it.
    source: Any


def json_row(item: tuple[int, Any]) -> Row:
    """A JSON Lines line or an API record, numbered, as a row."""
    number, value = item
    if not isinstance(value, Mapping):
        error = MalformedLineError(detail=str(value))
        problem = RowProblem(None, error.code, error.render())
        return Row(number, None, (problem,), {"line": _storable(_text(value))})
    original = {_storable(k): _storable(_text(v)) for k, v in value.items()}
    # JSON escapes (\u0000, \ud800) carry what the readers refuse in raw bytes;
    # stored, they crash PostgreSQL or the UTF-8 encoder mid-batch: refuse the row.
    bad = _unstorable(value)
    if bad is not None:
        text_error = TextCharacterError(field=bad[0], character=bad[1])
        problem = RowProblem(bad[0], text_error.code, text_error.render())
        return Row(number, None, (problem,), original)
    raw, problems = _json_record(value)
    return Row(number, raw, problems, original)


def _json_record(value: Mapping[str, Any]) -> tuple[RawRecord, tuple[RowProblem, ...]]:
    payload = value.get("payload")
    item = str(value.get("catalog_item") or "")
    given = value.get("registration")
    if not isinstance(given, Mapping):
        given = {}
    registration = _registration(given) if given else None
    problems: list[RowProblem] = []
    # Only the registration's own fields are read (Registration(**given) raised
    # TypeError on any other key); the rest is refused, like a payload field outside the item.
    for key in sorted(str(k) for k in given if k not in _REGISTRATION_FIELDS):
        error = PayloadUnknownFieldError(field=f"registration.{key}", item=item)
        problems.append(RowProblem(f"registration.{key}", error.code, error.render()))
    raw = RawRecord(
        subject_code=str(value.get("subject_code") or ""),
        subject_name=str(value.get("subject_name") or ""),
        catalog_item=item,
        document_number=str(value.get("document_number") or ""),
        decided_on=value.get("decided_on"),
        occurred_on=value.get("occurred_on"),
        payload=dict(payload) if isinstance(payload, Mapping) else {},
        severity=value.get("severity"),
        polarity=value.get("polarity"),
        action=str(value.get("action") or Action.REPORT.value),
        registration=registration,
    )
    return raw, tuple(problems)


def _registration(value: Mapping[str, Any]) -> Registration:
    """A registration from JSON, typed as the CSV mapper types one (text, or a date cell)."""

    def text(key: str) -> str | None:
        found = value.get(key)
        return None if found is None or found == "" else _text(found)

    established = value.get("established_on")
    if not isinstance(established, str | int | float) or isinstance(established, bool):
        established = None if established is None else _text(established)
    return Registration(
        legal_rep_name=text("legal_rep_name"),
        legal_rep_code=text("legal_rep_code"),
        established_on=established,
        status=text("status") or "active",
    )


def _unstorable(value: Any) -> tuple[str, str] | None:
    """(key path, code point as U+hhhh) of the first unstorable character in a JSON value, or None.

    Iterative: json.loads accepts nesting close to the recursion limit.
    """
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            found = _UNSTORABLE.search(item)
            if found is not None:
                return path or "value", f"U+{ord(found[0]):04X}"
        elif isinstance(item, Mapping):
            for key, child in reversed(list(item.items())):
                named = _storable(f"{path}.{key}" if path else str(key))
                stack.append((named, child))
                stack.append((named, str(key)))  # a key is text too
        elif isinstance(item, list | tuple):
            stack.extend((f"{path}[{i}]", child) for i, child in reversed(list(enumerate(item))))
    return None


def _storable(text: str) -> str:
    return _UNSTORABLE.sub("\ufffd", str(text))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
