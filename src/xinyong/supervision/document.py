"""A plan as a published document (JSON): the plan, and the population it was drawn from.

Publishing the population with the plan is what lets anyone re-derive it:
``xinyong inspect verify plan.json`` needs nothing else. Entities appear by
code, grade and region only. Plain Python, like :mod:`.model`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from xinyong.supervision.model import Assignment, Entity, Inspector, Plan

FORMAT = "xinyong.inspection-plan/1"


def population_document(
    entities: Collection[Entity],
    inspectors: Collection[Inspector],
    history: Collection[tuple[str, str]],
) -> dict[str, Any]:
    return {
        "entities": [[e.code, e.grade, e.region] for e in sorted(entities)],
        "inspectors": [[i.id, i.region] for i in sorted(inspectors)],
        "history": [list(pair) for pair in sorted(history)],
    }


def plan_document(plan: Plan) -> dict[str, Any]:
    return {
        "period": plan.period,
        "sector": plan.sector,
        "seed": plan.seed,
        "population_hash": plan.population_hash,
        "shares": dict(plan.shares),
        "team_size": plan.team_size,
        "assignments": [
            [a.entity.code, a.entity.grade, a.entity.region, list(a.inspectors)]
            for a in plan.assignments
        ],
    }


def published(
    plan: Mapping[str, Any], population: Mapping[str, Any], **meta: Any
) -> dict[str, Any]:
    """The whole document: format, metadata (plan id, policy …), plan and population."""
    return {"format": FORMAT, **meta, "plan": dict(plan), "population": dict(population)}


def read_document(
    doc: Mapping[str, Any],
) -> tuple[Plan, list[Entity], list[Inspector], set[tuple[str, str]]]:
    """The plan and population of a published document; ``ValueError`` if it is not one."""
    if doc.get("format") != FORMAT:
        raise ValueError(f"not an inspection plan document (format {doc.get('format')!r})")
    try:
        p, pop = doc["plan"], doc["population"]
        plan = Plan(
            period=str(p["period"]),
            sector=str(p["sector"]),
            seed=int(p["seed"]),
            population_hash=str(p["population_hash"]),
            shares=tuple(sorted((str(g), float(v)) for g, v in p["shares"].items())),
            team_size=int(p["team_size"]),
            assignments=tuple(
                Assignment(Entity(str(c), str(g), str(r)), tuple(str(i) for i in team))
                for c, g, r, team in p["assignments"]
            ),
        )
        entities = [Entity(str(c), str(g), str(r)) for c, g, r in pop["entities"]]
        inspectors = [Inspector(str(i), str(r)) for i, r in pop["inspectors"]]
        history = {(str(i), str(e)) for i, e in pop["history"]}
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"the plan document is incomplete or malformed: {exc}") from exc
    return plan, entities, inspectors, history
