"""A scoring model, made ready to run: its rules as rows, its numbers in hundredths.

The engine (:mod:`.expr`) joins records to :func:`rule_rows`; this module
holds what is plain arithmetic about a model. Scores are computed in integer
hundredths of a point ("centipoints") so that DuckDB, Spark and Python add
them up identically: a float sum depends on the order of its terms, an
integer sum does not.

When a record counts (the window): on evaluation day ``as_of`` a record
decided on ``d`` counts under a rule with ``window_months = w`` when
``add_months(as_of, -w) < d <= as_of`` and ``d`` is on or after the model's
``valid_from``; it stops counting on :func:`leaves_on`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from xinyong.clock import add_months
from xinyong.policy.model import Pack, ScoringModel

CENTI = 100


def centi(points: float) -> int:
    """Points as integer hundredths (policy points have at most two decimals)."""
    return round(points * CENTI)


def points_of(centipoints: int) -> float:
    return centipoints / CENTI


@dataclass(frozen=True, slots=True)
class RuleRow:
    """One points rule of a model on one evaluation day, as the engine joins it."""

    rule_no: int
    item: str
    severity: str | None
    category: str
    points: int  # centipoints per record
    since: date  # first decision date that counts on this day
    cap: int | None  # centipoints, either sign
    window_months: int | None


def since_for(model: ScoringModel, window_months: int | None, as_of: date) -> date:
    """The first decision date a rule counts on ``as_of`` (see the module docstring)."""
    if window_months is None:
        return model.valid_from
    return max(model.valid_from, add_months(as_of, -window_months) + timedelta(days=1))


def leaves_on(decided_on: date, window_months: int) -> date:
    """The first day on which a record decided on ``decided_on`` no longer counts.

    The smallest day ``x`` with ``add_months(x, -w) >= decided_on``. Month ends
    make it differ from ``add_months(decided_on, w)`` by up to three days
    (decided 31 January, a one-month window: it counts through 28 February
    and leaves on 1 March, since ``add_months(1 March, -1)`` is 1 February).
    """
    day = add_months(decided_on, window_months) - timedelta(days=3)
    while add_months(day, -window_months) < decided_on:
        day += timedelta(days=1)
    return day


def rule_rows(model: ScoringModel, pack: Pack, as_of: date) -> list[RuleRow]:
    """The model's points rules on ``as_of``, numbered in the pack's order."""
    rows = []
    for no, rule in enumerate(model.points):
        item = pack.item(rule.item)
        rows.append(
            RuleRow(
                rule_no=no,
                item=rule.item,
                severity=rule.severity.value if rule.severity is not None else None,
                category=item.category if item is not None else "",
                points=centi(rule.points),
                since=since_for(model, rule.window_months, as_of),
                cap=centi(rule.cap) if rule.cap is not None else None,
                window_months=rule.window_months,
            )
        )
    return rows


def clip(value: int, cap: int | None) -> int:
    """``value`` held within ``[-cap, cap]`` (no cap: as it is)."""
    return value if cap is None else max(-cap, min(cap, value))


def bounded(model: ScoringModel, centipoints: int) -> int:
    """The score between the model's floor and ceiling."""
    return max(centi(model.floor), min(centi(model.ceiling), centipoints))


def rule_label(rule: RuleRow) -> str:
    """A rule as a reason code names it: ``item`` or ``item/severity``."""
    return rule.item if rule.severity is None else f"{rule.item}/{rule.severity}"
