"""Check decisions: which joint sanctions or rewards apply to a subject for one matter.

This module owns the rule that turns list entries into measures: a list entry
reaches a measure through a memorandum that names the entry's list, when the
measure covers the matter, both are in force on the day, and the measure
reaches the subject as it was found (itself, or as a listed legal person's
legal representative). It compiles a pack once into a :class:`MeasureTable`
and decides each check from the hits of :mod:`xinyong.checks.index`.

Plain Python: no SQL, no HTTP, no clock (``today`` is an argument). It imports
only the pack's model and the standard library (the index only for typing).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Literal

from xinyong.policy.model import Pack, Reach

if TYPE_CHECKING:
    from xinyong.checks.index import CheckIndex, Hit

Outcome = Literal["proceed", "restrict", "favour"]


class UnknownMatterError(ValueError):
    """The matter asked about is not one the pack defines (a check cannot be decided)."""

    def __init__(self, matter: str, known: Iterable[str]) -> None:
        self.matter = matter
        self.known = tuple(sorted(known))
        super().__init__(
            f"unknown matter {matter!r}: the policy pack defines "
            + (", ".join(self.known) or "no matters")
        )


@dataclass(frozen=True, slots=True)
class AppliedMeasure:
    """适用措施 (applied measure): one sanction or reward with the basis it applies on.

    Cites the measure's own legal basis, the memorandum that links the list to
    it, and the list entry (with the last day it applies) that triggered it.
    ``under_objection``: the subject disputes the entry or a record it rests
    on; the entry still stands until the objection is decided, and the
    checking department is told so.
    """

    measure: str
    kind: str
    name_zh: str
    name_en: str
    legal_basis: str
    department: str
    memorandum: str
    memorandum_basis: str
    entry_id: int
    list_code: str
    until: date | None
    via: str | None
    under_objection: bool = False  # the entry, or a record it rests on, is disputed


@dataclass(frozen=True, slots=True)
class Decision:
    """核查结果 (check decision): restrict if any sanction applies, else favour if any reward does."""

    outcome: Outcome
    measures: tuple[AppliedMeasure, ...]


PROCEED = Decision("proceed", ())
"""The decision for a subject no measure reaches (shared: nine checks in ten)."""


@dataclass(frozen=True, slots=True)
class _Rule:
    """A measure as one memorandum applies it, in force from ``valid_from`` to ``valid_to``."""

    measure: str
    sanction: bool
    cited: tuple[str, str, str, str, str, str, str, str]  # AppliedMeasure's first 8 fields
    valid_from: date
    valid_to: date | None

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


_Rules = Mapping[tuple[str, bool], tuple[_Rule, ...]]  # (list code, reached via a representative)


class MeasureTable:
    """措施表 (measure table): a pack's memoranda and measures, by matter, list and reach.

    Compiled once per pack; a measure's validity here is the days on which both
    it and its memorandum are in force (``Dated.in_force`` of each).
    """

    __slots__ = ("_by_matter",)

    def __init__(self, by_matter: Mapping[str, _Rules]) -> None:
        self._by_matter = by_matter

    @classmethod
    def compile(cls, pack: Pack) -> MeasureTable:
        measures = {m.code: m for m in pack.measures}
        table: dict[str, dict[tuple[str, bool], list[_Rule]]] = {m.code: {} for m in pack.matters}
        for memo in pack.memoranda:
            for code in memo.measures:
                measure = measures[code]  # the pack's rules guarantee the reference
                start = max(memo.valid_from, measure.valid_from)
                ends = [d for d in (memo.valid_to, measure.valid_to) if d is not None]
                end = min(ends) if ends else None
                if end is not None and end < start:
                    continue  # never both in force
                rule = _Rule(
                    measure.code,
                    measure.kind == "sanction",
                    (
                        measure.code,
                        measure.kind,
                        measure.name.zh,
                        measure.name.en,
                        measure.legal_basis,
                        measure.department,
                        memo.code,
                        memo.legal_basis,
                    ),
                    start,
                    end,
                )
                reached = [Reach(r) for r in measure.reaches]
                for matter in measure.matters:
                    rules = table[matter]  # likewise guaranteed
                    for list_code in memo.lists:
                        if Reach.SUBJECT in reached:
                            rules.setdefault((list_code, False), []).append(rule)
                        if Reach.LEGAL_REPRESENTATIVE in reached:
                            rules.setdefault((list_code, True), []).append(rule)
        return cls(
            {
                matter: {key: tuple(found) for key, found in rules.items()}
                for matter, rules in table.items()
            }
        )

    @property
    def matters(self) -> frozenset[str]:
        return frozenset(self._by_matter)

    def rules_for(self, matter: str) -> _Rules:
        """The rules of one matter; raises :class:`UnknownMatterError` for a matter not in the pack."""
        try:
            return self._by_matter[matter]
        except KeyError:
            raise UnknownMatterError(matter, self._by_matter) from None


def decide(table: MeasureTable, hits: Sequence[Hit], matter: str, today: date) -> Decision:
    """The measures that apply to the hits of one check for ``matter`` on ``today``.

    Basis: each memorandum names the lists and measures agreed (e.g. 发改财金〔2016〕141号);
    each measure its own legal basis and whom it reaches (PRODUCT.md: no one but the
    subject and, for a legal person, the representatives the law names).
    """
    rules = table.rules_for(matter)
    return _decide(rules, hits, today) if hits else PROCEED


def _decide(rules: _Rules, hits: Sequence[Hit], today: date) -> Decision:
    applied: list[AppliedMeasure] = []
    sanction = reward = False
    for hit in hits:
        found = rules.get((hit.list_code, hit.via is not None))
        if not found:
            continue
        seen: set[str] = set()
        for rule in found:
            # A measure two memoranda link to the same list applies once, on the first basis.
            if rule.measure in seen or not rule.in_force(today):
                continue
            seen.add(rule.measure)
            applied.append(
                AppliedMeasure(*rule.cited, hit.entry_id, hit.list_code, hit.until, hit.via)
            )
            if rule.sanction:
                sanction = True
            else:
                reward = True
    if sanction:
        return Decision("restrict", tuple(applied))
    if reward:
        return Decision("favour", tuple(applied))
    return PROCEED


def check_many(
    index: CheckIndex, table: MeasureTable, codes: Iterable[str], matter: str, today: date
) -> list[Decision]:
    """One decision per code, in order: :func:`decide` on :meth:`CheckIndex.lookup` of each."""
    rules = table.rules_for(matter)
    lookup = index.lookup
    decisions = []
    for code in codes:
        hits = lookup(code, today)
        decisions.append(_decide(rules, hits, today) if hits else PROCEED)
    return decisions


def marked(decision: Decision, disputed: frozenset[int]) -> Decision:
    """The decision with each measure whose entry is in ``disputed`` marked under objection."""
    if not disputed or not any(m.entry_id in disputed for m in decision.measures):
        return decision
    measures = tuple(
        replace(m, under_objection=True) if m.entry_id in disputed else m for m in decision.measures
    )
    return Decision(decision.outcome, measures)
