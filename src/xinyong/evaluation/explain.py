"""Why a score is what it is, and what will change it.

An explanation is assembled from what the engine computed for one subject
(:func:`xinyong.evaluation.expr.matched` and :func:`~xinyong.evaluation.expr.breakdown`);
it adds nothing but subtractions, so its lines sum to the score by
construction: base + each record's points + each cap's cut + the floor's or
ceiling's cut = score. Reason codes:

- ``record``: one record under one rule, with the day it stops counting;
- ``rule_cap``: points a rule's cap holds back (its records earned more);
- ``category_cap``: the same for a cap on a catalog category;
- ``floor`` / ``ceiling``: what the model's bounds hold back.

Lines are ordered by the size of their contribution, largest first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinyong.evaluation.rules import RuleRow, leaves_on, points_of, rule_label
from xinyong.policy.model import ScoringModel

MAX_CHANGES = 5  # upcoming days on which the score changes, at most


@dataclass(frozen=True)
class Reason:
    code: str
    points: float
    rule: str | None = None
    record_id: str | None = None
    version: int | None = None
    decided_on: date | None = None
    leaves_on: date | None = None  # first day the record no longer counts


@dataclass(frozen=True)
class Change:
    """On ``on`` the records ``leaving`` leave their windows; the score becomes ``score``."""

    on: date
    leaving: tuple[str, ...]
    score: float
    grade: str


@dataclass(frozen=True)
class Explanation:
    base: float
    score: float
    reasons: tuple[Reason, ...]
    changes: tuple[Change, ...] = ()

    @property
    def total(self) -> float:
        """Base plus every line: equal to the score (held by tests)."""
        return points_of(round(self.base * 100) + sum(round(r.points * 100) for r in self.reasons))


def reasons(
    model: ScoringModel,
    rules: Sequence[RuleRow],
    score: int,
    matched: Iterable[Mapping[str, Any]],
    per_rule: Iterable[Mapping[str, Any]],
    per_category: Iterable[Mapping[str, Any]],
) -> list[Reason]:
    """The lines of one subject's score (centipoints in, points out), largest first."""
    by_no = {r.rule_no: r for r in rules}
    lines: list[tuple[int, Reason]] = []
    for row in matched:
        rule = by_no[row["rule_no"]]
        leaves = leaves_on(row["decided_on"], rule.window_months) if rule.window_months else None
        lines.append(
            (
                row["points"],
                Reason("record", points_of(row["points"]), rule_label(rule), row["record_id"],
                       row["version"], row["decided_on"], leaves),
            )
        )  # fmt: skip
    earned = 0
    for row in per_rule:
        if (cut := row["capped"] - row["raw"]) != 0:
            rule = by_no[row["rule_no"]]
            lines.append((cut, Reason("rule_cap", points_of(cut), rule_label(rule))))
    for row in per_category:
        earned += row["capped"]
        if (cut := row["capped"] - row["summed"]) != 0:
            lines.append((cut, Reason("category_cap", points_of(cut), row["category"])))
    bound = score - (round(model.base * 100) + earned)
    if bound != 0:
        lines.append((bound, Reason("floor" if bound > 0 else "ceiling", points_of(bound))))
    lines.sort(key=lambda line: (-abs(line[0]), line[1].code, line[1].record_id or ""))
    return [reason for _, reason in lines]


def leave_days(lines: Iterable[Reason], after: date) -> list[tuple[date, tuple[str, ...]]]:
    """The next days (at most :data:`MAX_CHANGES`) on which records leave, and which."""
    days: dict[date, list[str]] = {}
    for line in lines:
        if line.code == "record" and line.leaves_on is not None and line.leaves_on > after:
            days.setdefault(line.leaves_on, []).append(line.record_id or "")
    return [(day, tuple(sorted(ids))) for day, ids in sorted(days.items())[:MAX_CHANGES]]
