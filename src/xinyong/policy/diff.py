"""Side-by-side comparison of two resolved packs, entry by entry.

Pure: takes two packs, returns rows. Coded sections are matched by code, so a
reader sees "this list exists only in A" and "this band differs" rather than a
text diff of TOML files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xinyong.policy.model import KEYED_SECTIONS, Pack

MISSING = "—"


@dataclass(frozen=True)
class DiffRow:
    """One difference: a key path and its value in each pack (``—`` when absent)."""

    section: str
    key: str
    left: str
    right: str


def diff_packs(left: Pack, right: Pack) -> list[DiffRow]:
    """Every difference between ``left`` and ``right`` except identity (``meta``)."""
    a = left.model_dump(mode="json", exclude={"meta"})
    b = right.model_dump(mode="json", exclude={"meta"})
    rows: list[DiffRow] = []
    for section in a.keys() | b.keys():
        if section in KEYED_SECTIONS:
            rows.extend(_keyed(section, a.get(section) or [], b.get(section) or []))
        else:
            rows.extend(_values(section, "", a.get(section), b.get(section)))
    return sorted(rows, key=lambda r: (r.section, r.key))


def _keyed(section: str, left: list[dict[str, Any]], right: list[dict[str, Any]]) -> list[DiffRow]:
    by_code_a = {e["code"]: e for e in left}
    by_code_b = {e["code"]: e for e in right}
    rows: list[DiffRow] = []
    for code in by_code_a.keys() | by_code_b.keys():
        ea, eb = by_code_a.get(code), by_code_b.get(code)
        if ea is None or eb is None:
            present = "present" if ea is not None else MISSING
            other = "present" if eb is not None else MISSING
            rows.append(DiffRow(section, code, present, other))
        else:
            rows.extend(_values(section, code, ea, eb))
    return rows


def _values(section: str, key: str, left: Any, right: Any) -> list[DiffRow]:
    if left == right:
        return []
    if isinstance(left, dict) and isinstance(right, dict):
        rows: list[DiffRow] = []
        for sub in left.keys() | right.keys():
            path = f"{key}.{sub}" if key else str(sub)
            rows.extend(_values(section, path, left.get(sub), right.get(sub)))
        return rows
    return [DiffRow(section, key, _show(left), _show(right))]


def _show(value: Any) -> str:
    if value is None:
        return MISSING
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return "; ".join(
            ", ".join(f"{k}={v}" for k, v in v.items() if v is not None) for v in value
        )
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
