"""Rules that span sections of a pack: references resolve, regimes don't overlap,
no payload field smuggles in a prohibited category.

Pure functions over a validated :class:`Pack`; they return every problem found
(location, problem code, message) so the loader can report them all at once.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence

from xinyong.policy.model import (
    PROHIBITED_CATEGORIES,
    PROHIBITED_FIELD_TERMS,
    Dated,
    Pack,
)

Loc = tuple[str | int, ...]
Found = tuple[Loc, str, str]


def reference_problems(pack: Pack) -> list[Found]:
    """Everything wrong between sections of ``pack``; empty when it is sound."""
    return [
        *_catalog(pack),
        *_lists(pack),
        *_measures(pack),
        *_scoring(pack),
        *_inspection(pack),
        *_mappings(pack),
        *_overlaps("disclosure_periods", pack.disclosure_periods),
    ]


def _unknown(loc: Loc, what: str, code: str, known: set[str]) -> Found:
    hint = ", ".join(sorted(known)) or "none defined"
    return loc, "pack-unknown-reference", f"unknown {what} {code!r}; known: {hint}"


def prohibited_term(field_name: str) -> str | None:
    """The prohibited category a field name points at, if any (whole words only)."""
    words = [w for w in re.split(r"[_\W]+", field_name.lower()) if w]
    for term, category in PROHIBITED_FIELD_TERMS.items():
        if term.isascii():
            if term in words:
                return category
        elif term in field_name:
            return category
    return None


def _catalog(pack: Pack) -> Iterator[Found]:
    departments = {d.code for d in pack.departments}
    for i, item in enumerate(pack.catalog):
        for j, dept in enumerate(item.departments):
            if dept not in departments:
                yield _unknown(("catalog", i, "departments", j), "department", dept, departments)
        seen: set[str] = set()
        for j, field in enumerate(item.payload):
            if field.name in seen:
                yield (
                    ("catalog", i, "payload", j, "name"),
                    "pack-duplicate-code",
                    f"payload field {field.name!r} is defined twice",
                )
            seen.add(field.name)
            for text in (field.name, field.label.zh, field.label.en):
                category = prohibited_term(text)
                if category:
                    yield (
                        ("catalog", i, "payload", j, "name"),
                        "pack-prohibited-field",
                        f"payload field {field.name!r} ({text}) would record "
                        f"{PROHIBITED_CATEGORIES[category]}, a prohibited category",
                    )
                    break
        if item.severities and item.period_months is None and not pack.disclosure_periods:
            yield (
                ("catalog", i, "severities"),
                "pack-missing-key",
                "severities need [[disclosure_periods]] or a fixed period_months",
            )


def _lists(pack: Pack) -> Iterator[Found]:
    items = {i.code: i for i in pack.catalog}
    departments = {d.code for d in pack.departments}
    for i, entry in enumerate(pack.lists):
        for j, code in enumerate(entry.rule.items):
            item = items.get(code)
            if item is None:
                yield _unknown(("lists", i, "rule", "items", j), "catalog item", code, set(items))
            elif not set(entry.subject_kinds) & set(item.subject_kinds):
                yield (
                    ("lists", i, "rule", "items", j),
                    "pack-invalid-value",
                    f"item {code!r} is never about the subject kinds this list takes",
                )
            elif entry.rule.min_severity and not item.severities:
                yield (
                    ("lists", i, "rule", "min_severity"),
                    "pack-invalid-value",
                    f"item {code!r} has no severities, so min_severity cannot apply",
                )
        fields = {f.name for code in entry.rule.items if code in items for f in items[code].payload}
        for name in sorted(entry.rule.payload_fields() - fields):
            yield (
                ("lists", i, "rule"),
                "pack-unknown-reference",
                f"rule reads payload field {name!r}, which its items do not have",
            )
        for j, dept in enumerate(entry.rule.departments):
            if dept not in departments:
                yield _unknown(
                    ("lists", i, "rule", "departments", j), "department", dept, departments
                )


def _measures(pack: Pack) -> Iterator[Found]:
    departments = {d.code for d in pack.departments}
    matters = {m.code for m in pack.matters}
    lists = {entry.code for entry in pack.lists}
    measures = {m.code for m in pack.measures}
    for i, measure in enumerate(pack.measures):
        if measure.department not in departments:
            yield _unknown(
                ("measures", i, "department"), "department", measure.department, departments
            )
        for j, matter in enumerate(measure.matters):
            if matter not in matters:
                yield _unknown(("measures", i, "matters", j), "matter", matter, matters)
    for i, memo in enumerate(pack.memoranda):
        for j, code in enumerate(memo.lists):
            if code not in lists:
                yield _unknown(("memoranda", i, "lists", j), "list", code, lists)
        for j, code in enumerate(memo.measures):
            if code not in measures:
                yield _unknown(("memoranda", i, "measures", j), "measure", code, measures)


def _scoring(pack: Pack) -> Iterator[Found]:
    items = {i.code for i in pack.catalog}
    for i, model in enumerate(pack.scoring):
        for j, rule in enumerate(model.points):
            if rule.item not in items:
                yield _unknown(
                    ("scoring", i, "points", j, "item"), "catalog item", rule.item, items
                )


def _inspection(pack: Pack) -> Iterator[Found]:
    """Inspection shares name a scoring model, and grades that model's bands give."""
    models = {m.code: m for m in pack.scoring}
    for i, policy in enumerate(pack.inspection):
        model = models.get(policy.model)
        if model is None:
            yield _unknown(("inspection", i, "model"), "scoring model", policy.model, set(models))
            continue
        grades = {band.grade for band in model.bands}
        for grade in sorted(set(policy.shares) - grades):
            yield _unknown(("inspection", i, "shares", grade), "grade", grade, grades)


def _mappings(pack: Pack) -> Iterator[Found]:
    """Mappings name real departments, catalog items, payload fields and severities."""
    items = {i.code: i for i in pack.catalog}
    departments = {d.code for d in pack.departments}
    for i, mapping in enumerate(pack.mappings):
        for j, dept in enumerate(mapping.departments):
            if dept not in departments:
                yield _unknown(("mappings", i, "departments", j), "department", dept, departments)
        named = set(mapping.item.map.values()) | {mapping.item.value or ""} - {""}
        for code in sorted(named - set(mapping.items)):
            yield (
                ("mappings", i, "item"),
                "pack-unknown-reference",
                f"item {code!r} is produced by `item` but has no entry under `items`",
            )
        for code, spec in mapping.items.items():
            item = items.get(code)
            if item is None:
                yield _unknown(("mappings", i, "items", code), "catalog item", code, set(items))
                continue
            fields = {f.name for f in item.payload}
            for name in sorted(set(spec.payload) - fields):
                yield _unknown(("mappings", i, "items", code, "payload"), "payload field",
                               name, fields)  # fmt: skip
            for k, rule in enumerate(spec.severity_rules):
                if rule.field not in fields:
                    yield _unknown(("mappings", i, "items", code, "severity_rules", k),
                                   "payload field", rule.field, fields)  # fmt: skip
            levels = {rule.level for rule in spec.severity_rules} | (
                {spec.severity} if spec.severity else set()
            )
            for level in sorted(levels - set(item.severities)):
                yield (
                    ("mappings", i, "items", code),
                    "pack-invalid-value",
                    f"severity {level.value!r} is not one item {code!r} allows",
                )
            if item.severities and spec.severity is None:
                yield (
                    ("mappings", i, "items", code, "severity"),
                    "pack-missing-key",
                    f"item {code!r} needs a default severity for rows no rule matches",
                )


def _overlaps(section: str, regimes: Sequence[Dated]) -> Iterator[Found]:
    ordered = sorted(enumerate(regimes), key=lambda pair: pair[1].valid_from)
    for (_, earlier), (j, later) in itertools.pairwise(ordered):
        if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
            yield (
                (section, j, "valid_from"),
                "pack-overlap",
                f"starts {later.valid_from} while the previous regime is still in force "
                f"(valid_to {earlier.valid_to or 'open'})",
            )
