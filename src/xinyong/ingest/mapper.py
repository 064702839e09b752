"""Applying a department mapping: header → column positions, row → :class:`RawRecord`.

Owns choosing the mapping for a file (by its header, among those the
department may use) and reading cells through the mapping's sources: column
variants, constants, value maps, unit scales and "no value" markers. It does
not judge values (that is :mod:`xinyong.ingest.validate`): an unmapped label
passes through, so validation can name it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from xinyong.ingest.errors import (
    MappingColumnsError,
    MappingDepartmentError,
    UnknownLayoutError,
    UnknownMappingError,
)
from xinyong.ingest.model import Cell, RawRecord, Registration
from xinyong.ingest.readers import header_key
from xinyong.policy.mapping import Mapping, SeverityRule, Source


def allowed_for(mapping: Mapping, department: str) -> bool:
    return not mapping.departments or department in mapping.departments


def recognises(mapping: Mapping, header: Sequence[str]) -> bool:
    keys = {header_key(h) for h in header}
    return all(header_key(column) in keys for column in mapping.signature)


def choose_mapping(
    mappings: Sequence[Mapping],
    header: Sequence[str],
    department: str,
    *,
    file: str,
    name: str | None = None,
) -> Mapping:
    """The mapping named, or the most specific one whose signature the header carries.

    Department-specific mappings win over the national layouts; among equals,
    the longer signature wins. A mapping of another department is refused.
    """
    if name is not None:
        found = next((m for m in mappings if m.code == name), None)
        if found is None:
            raise UnknownMappingError(mapping=name, known=", ".join(m.code for m in mappings))
        if not allowed_for(found, department):
            raise MappingDepartmentError(
                file=file,
                mapping=found.code,
                allowed=", ".join(found.departments),
                department=department,
            )
        return found
    candidates = [m for m in mappings if recognises(m, header)]
    mine = [m for m in candidates if allowed_for(m, department)]
    if not mine and candidates:
        other = candidates[0]
        raise MappingDepartmentError(
            file=file,
            mapping=other.code,
            allowed=", ".join(other.departments),
            department=department,
        )
    if not mine:
        shown = ", ".join(h for h in header[:12] if h) + (" …" if len(header) > 12 else "")
        raise UnknownLayoutError(file=file, headers=shown[:500] or "none")
    return max(mine, key=lambda m: (bool(m.departments), len(m.signature)))


class _Getter:
    """Reads one source from a row. Called ~10 times per row, so the source's
    settings are copied into slots once rather than looked up on the model, and
    a column read as it is (no default, map, empty marks or scale) takes a
    shorter path."""

    __slots__ = ("column", "constant", "default", "empty", "get", "index", "map", "scale")

    def __init__(self, index: int | None, source: Source) -> None:
        self.index = index
        self.column = -1 if index is None else index
        self.constant: Any = source.value
        self.default = source.default
        self.empty = frozenset(source.empty)
        self.map = source.map
        self.scale = source.scale
        plain = index is not None and self.default is None and not self.empty
        plain = plain and not self.map and self.scale is None
        self.get: Callable[[Sequence[Cell]], Any] = self._plain if plain else self._full

    def _plain(self, row: Sequence[Cell]) -> Any:
        column = self.column
        value: Any = row[column] if column < len(row) else None
        if value.__class__ is str:
            value = value.strip()
        return None if value is None or value == "" else value

    def _full(self, row: Sequence[Cell]) -> Any:
        index = self.index
        if index is None:
            value: Any = self.constant
        else:
            value = row[index] if index < len(row) else None
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            value = self.default
            if value is None:
                return None
        if isinstance(value, str):
            if value in self.empty:
                return None
            value = self.map.get(value, value)
        if self.scale is not None:
            return _scaled(value, self.scale)
        return value


def _scaled(value: Any, scale: float) -> Any:
    try:
        scaled = Decimal(str(value)) * Decimal(str(scale))
    except InvalidOperation:
        return value  # validation reports the number that is not one
    return scaled.normalize() if scaled == scaled.to_integral() else scaled


class CompiledMapping:
    """A mapping bound to one file's header: reads rows into raw records quickly."""

    def __init__(self, mapping: Mapping, header: Sequence[str], *, file: str) -> None:
        self.mapping = mapping
        self.header = tuple(header)
        self._positions = {header_key(h): i for i, h in reversed(list(enumerate(header)))}
        required = {
            "subject_code": mapping.subject_code,
            "subject_name": mapping.subject_name,
            "item": mapping.item,
            "document_number": mapping.document_number,
            "decided_on": mapping.decided_on,
        }
        missing = [
            " / ".join(src.columns())
            for src in required.values()
            if src.column is not None and self._index(src) is None
        ]
        if missing:
            raise MappingColumnsError(file=file, mapping=mapping.code, missing=", ".join(missing))
        self._codes = [self._getter(Source(column=c)) for c in mapping.subject_code.columns()]
        if mapping.subject_code.value is not None:
            self._codes = [self._getter(mapping.subject_code)]
        self._kind = self._optional(mapping.subject_kind)
        self._name = self._getter(mapping.subject_name)
        self._item = self._getter(mapping.item)
        self._document = self._getter(mapping.document_number)
        self._decided = self._getter(mapping.decided_on)
        self._occurred = self._optional(mapping.occurred_on)
        self._action = self._optional(mapping.action)
        self._payload = {
            code: [(name, self._getter(src)) for name, src in spec.payload.items()]
            for code, spec in mapping.items.items()
        }
        self._severity = {
            code: (spec.severity.value if spec.severity else None, spec.severity_rules)
            for code, spec in mapping.items.items()
        }
        registration = mapping.registration
        self._registration = (
            None
            if registration is None
            else (
                self._optional(registration.legal_rep_name),
                self._optional(registration.legal_rep_code),
                self._optional(registration.established_on),
                self._optional(registration.status),
            )
        )

    def _index(self, src: Source) -> int | None:
        for column in src.columns():
            index = self._positions.get(header_key(column))
            if index is not None:
                return index
        return None

    def _getter(self, src: Source) -> _Getter:
        if src.column is None:
            return _Getter(None, src)
        index = self._index(src)
        # A payload column the file lacks reads as empty; validation knows what is required.
        return _Getter(len(self.header) + 10**6 if index is None else index, src)

    def _optional(self, src: Source | None) -> _Getter | None:
        return None if src is None else self._getter(src)

    def raw(self, row: Sequence[Cell]) -> dict[str, str]:
        """The row as the department wrote it (header → text), for the quarantine."""
        out: dict[str, str] = {}
        for i, name in enumerate(self.header):
            value = row[i] if i < len(row) else None
            out[name or f"column {i + 1}"] = "" if value is None else str(value)
        for i in range(len(self.header), len(row)):
            if row[i] not in (None, ""):
                out[f"column {i + 1}"] = str(row[i])
        return out

    def record(self, row: Sequence[Cell]) -> RawRecord:
        code = ""
        for getter in self._codes:
            value = getter.get(row)
            if value not in (None, ""):
                code = str(value)
                break
        item = str(self._item.get(row) or "")
        payload: dict[str, Any] = {}
        for name, getter in self._payload.get(item, ()):
            value = getter.get(row)
            if value is not None:
                payload[name] = value
        kind = None if self._kind is None else self._kind.get(row)
        default, rules = self._severity.get(item, (None, []))
        return RawRecord(
            subject_code=code,
            subject_name=str(self._name.get(row) or ""),
            catalog_item=item,
            document_number=str(self._document.get(row) or ""),
            decided_on=self._decided.get(row),
            occurred_on=None if self._occurred is None else self._occurred.get(row),
            payload=payload,
            severity=_severity(rules, payload, kind) or default,
            kind_hint=kind if kind in ("legal", "natural") else None,
            action=str((self._action.get(row) if self._action else None) or "report"),
            registration=self._read_registration(row),
        )

    def _read_registration(self, row: Sequence[Cell]) -> Registration | None:
        if self._registration is None:
            return None
        name, code, established, status = (g.get(row) if g else None for g in self._registration)
        return Registration(
            legal_rep_name=str(name) if name else None,
            legal_rep_code=str(code) if code else None,
            established_on=established,
            status=str(status or "active"),
        )


def _severity(rules: list[SeverityRule], payload: dict[str, Any], kind: str | None) -> str | None:
    for rule in rules:
        if rule.subject_kind is not None and rule.subject_kind.value != kind:
            continue
        value = payload.get(rule.field)
        if value is None:
            continue
        if rule.contains is not None and rule.contains in str(value):
            return rule.level.value
        if rule.one_of and str(value) in rule.one_of:
            return rule.level.value
        number = _number(value)
        if number is None:
            continue
        if rule.at_most is not None and number <= rule.at_most:
            return rule.level.value
        if rule.at_least is not None and number >= rule.at_least:
            return rule.level.value
    return None


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
