"""双随机、一公开: a reproducible inspection plan — which entities, and which inspectors.

Entities are drawn at random within each credit grade, at the grade's share
(lower grades are inspected more often: SAMR's credit-risk classes, see
POLICY-FACTS "Grades and supervision"); each drawn entity gets inspectors
drawn at random among those without a conflict (an inspector of the entity's
own region, or one who inspected it before). Everything random comes from one
published seed and the population's hash, so anyone holding the same
population re-derives the same plan (:func:`verify_plan`). Plain Python: the
service reads grades and inspectors, this module draws.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Entity:
    """A market entity as a plan sees it: its code, grade and region (division code)."""

    code: str
    grade: str
    region: str


@dataclass(frozen=True, order=True)
class Inspector:
    """执法检查人员: one inspector, of a region (division code)."""

    id: str
    region: str


@dataclass(frozen=True)
class Assignment:
    entity: Entity
    inspectors: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """An inspection round: what was drawn, and everything needed to draw it again."""

    period: str
    sector: str
    seed: int
    population_hash: str
    shares: tuple[tuple[str, float], ...]  # (grade, share inspected), as the pack set them
    team_size: int
    assignments: tuple[Assignment, ...]

    def drawn(self, grade: str) -> int:
        return sum(1 for a in self.assignments if a.entity.grade == grade)


class PlanError(ValueError):
    """A plan cannot be drawn as asked (the message says why)."""


def population_hash(
    entities: Iterable[Entity],
    inspectors: Iterable[Inspector],
    history: Iterable[tuple[str, str]] = (),
) -> str:
    """SHA-256 over the sorted entities, inspectors and past inspections the plan was drawn from."""
    digest = hashlib.sha256()
    for entity in sorted(set(entities)):
        digest.update(f"e\t{entity.code}\t{entity.grade}\t{entity.region}\n".encode())
    for inspector in sorted(set(inspectors)):
        digest.update(f"i\t{inspector.id}\t{inspector.region}\n".encode())
    for inspector_id, entity_code in sorted(set(history)):
        digest.update(f"h\t{inspector_id}\t{entity_code}\n".encode())
    return digest.hexdigest()


def quota(share: float, population: int) -> int:
    """How many of ``population`` entities a ``share`` inspects: rounded up, so never fewer."""
    if not 0 <= share <= 1:
        raise PlanError(f"a share must lie between 0 and 1, not {share}")
    return min(population, math.ceil(round(share * population, 9)))


def draw_plan(
    entities: Collection[Entity],
    inspectors: Collection[Inspector],
    shares: Mapping[str, float],
    *,
    seed: int,
    period: str,
    sector: str,
    history: Collection[tuple[str, str]] = (),
    team_size: int = 2,
) -> Plan:
    """Draw the round: per grade, ``quota`` entities; per entity, ``team_size`` inspectors.

    ``history`` holds (inspector id, entity code) of earlier inspections:
    such pairs are conflicts, as is an inspector of the entity's own region.
    A grade the shares do not name is not inspected in this round.
    """
    if team_size < 1:
        raise PlanError("an inspection needs at least one inspector")
    pool = sorted(set(entities))
    staff = sorted(set(inspectors))
    snapshot = population_hash(pool, staff, history)
    rng = random.Random(f"{seed}|{period}|{sector}|{snapshot}")
    chosen: list[Entity] = []
    for grade in sorted(shares):
        graded = [e for e in pool if e.grade == grade]
        chosen += sorted(rng.sample(graded, quota(shares[grade], len(graded))))
    done = set(history)
    load = dict.fromkeys((i.id for i in staff), 0)
    assignments = []
    for entity in chosen:
        free = [i for i in staff if i.region != entity.region and (i.id, entity.code) not in done]
        if len(free) < team_size:
            raise PlanError(
                f"{entity.code}: {len(free)} inspector(s) without a conflict, {team_size} needed"
            )
        # The least-loaded first, ties broken at random: rounds spread over the staff.
        rng.shuffle(free)
        free.sort(key=lambda i: load[i.id])
        team = tuple(sorted(i.id for i in free[:team_size]))
        for inspector in team:
            load[inspector] += 1
        assignments.append(Assignment(entity, team))
    return Plan(period, sector, seed, snapshot,
                tuple(sorted(shares.items())), team_size, tuple(assignments))  # fmt: skip


def verify_plan(
    plan: Plan,
    entities: Collection[Entity],
    inspectors: Collection[Inspector],
    history: Collection[tuple[str, str]] = (),
) -> list[str]:
    """What differs between ``plan`` and the plan re-drawn from this population; [] when none."""
    problems: list[str] = []
    now_hash = population_hash(entities, inspectors, history)
    if now_hash != plan.population_hash:
        problems.append(
            f"the population differs: hash {now_hash[:12]}…, the plan was drawn from "
            f"{plan.population_hash[:12]}…"
        )
        return problems
    again = draw_plan(entities, inspectors, dict(plan.shares), seed=plan.seed, period=plan.period,
                      sector=plan.sector, history=history, team_size=plan.team_size)  # fmt: skip
    for n, (ours, theirs) in enumerate(zip(plan.assignments, again.assignments, strict=False), 1):
        if ours != theirs:
            problems.append(f"assignment {n}: the plan has {_show(ours)}, re-drawn {_show(theirs)}")
    if len(plan.assignments) != len(again.assignments):
        problems.append(
            f"the plan has {len(plan.assignments)} assignments, re-drawn {len(again.assignments)}"
        )
    return problems


def _show(assignment: Assignment) -> str:
    return f"{assignment.entity.code} by {', '.join(assignment.inspectors)}"


def conflicts(
    plan: Plan, inspectors: Sequence[Inspector], history: Collection[tuple[str, str]] = ()
) -> list[str]:
    """Assignments that break a conflict rule (for plans from elsewhere); [] when none."""
    region = {i.id: i.region for i in inspectors}
    done = set(history)
    found = []
    for a in plan.assignments:
        for inspector in a.inspectors:
            if region.get(inspector) == a.entity.region:
                found.append(f"{inspector} is of {a.entity.code}'s own region")
            if (inspector, a.entity.code) in done:
                found.append(f"{inspector} inspected {a.entity.code} before")
    return found
