"""An inspection plan: grade quotas hold, no conflicted inspector, and it re-derives exactly."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xinyong.supervision.model import (
    Entity,
    Inspector,
    PlanError,
    conflicts,
    draw_plan,
    population_hash,
    quota,
    verify_plan,
)

# SAMR credit-risk classes, sampling ratios within one county's 2024 ranges.
SHARES = {"A": 0.05, "B": 0.20, "C": 0.60, "D": 1.0}
REGIONS = ("371082", "371002", "371003")


def _entities(counts: dict[str, int]) -> list[Entity]:
    return [
        Entity(f"E{grade}{n:04d}", grade, REGIONS[n % len(REGIONS)])
        for grade, count in counts.items()
        for n in range(count)
    ]


STAFF = [Inspector(f"I{n:02d}", REGIONS[n % len(REGIONS)]) for n in range(12)]


def _plan(entities: list[Entity], seed: int = 7, **kw: object):  # type: ignore[no-untyped-def]
    return draw_plan(entities, STAFF, SHARES, seed=seed, period="2026Q1", sector="food", **kw)  # type: ignore[arg-type]


def test_each_grade_gets_its_quota_rounded_up() -> None:
    plan = _plan(_entities({"A": 20, "B": 10, "C": 10, "D": 5}))
    # A: 5% of 20 = 1; B: 20% of 10 = 2; C: 60% of 10 = 6; D: all 5.
    assert [plan.drawn(g) for g in "ABCD"] == [1, 2, 6, 5]
    assert (quota(0.05, 21), quota(0.2, 0), quota(1.0, 3)) == (2, 0, 3)


def test_the_plan_re_derives_exactly_and_a_change_is_named() -> None:
    entities = _entities({"A": 30, "B": 30, "C": 20, "D": 4})
    plan = _plan(entities)
    assert verify_plan(plan, entities, STAFF) == []
    assert plan.population_hash == population_hash(reversed(entities), reversed(STAFF))
    regraded = [replace(entities[0], grade="C"), *entities[1:]]
    (problem,) = verify_plan(plan, regraded, STAFF)
    assert problem.startswith("the population differs")
    first = plan.assignments[0]
    other = next(i.id for i in STAFF if i.id not in first.inspectors)
    forged = replace(plan, assignments=(replace(first, inspectors=(other,)), *plan.assignments[1:]))
    (problem,) = verify_plan(forged, entities, STAFF)
    assert problem.startswith("assignment 1:")


def test_another_seed_draws_another_plan() -> None:
    entities = _entities({"A": 40, "B": 40, "C": 40, "D": 4})
    assert _plan(entities, seed=1).assignments != _plan(entities, seed=2).assignments


def test_an_inspector_never_inspects_in_own_region_nor_the_same_entity_again() -> None:
    entities = _entities({"C": 10, "D": 6})
    first = _plan(entities)
    history = {(i, a.entity.code) for a in first.assignments for i in a.inspectors}
    second = draw_plan(entities, STAFF, SHARES, seed=8, period="2026Q2", sector="food",
                       history=history)  # fmt: skip
    assert conflicts(second, STAFF, history) == []
    assert conflicts(first, STAFF) == []
    for assignment in second.assignments:
        region = {i.id: i.region for i in STAFF}
        assert all(region[i] != assignment.entity.region for i in assignment.inspectors)


def test_too_few_free_inspectors_is_a_clear_error() -> None:
    lone = [Inspector("I00", "371002")]
    with pytest.raises(PlanError, match="1 inspector"):
        draw_plan(_entities({"D": 1}), lone, SHARES, seed=1, period="2026Q1", sector="food")


def test_rounds_spread_over_the_staff() -> None:
    plan = _plan(_entities({"D": 30}))
    load = {i.id: 0 for i in STAFF}
    for assignment in plan.assignments:
        for inspector in assignment.inspectors:
            load[inspector] += 1
    assert max(load.values()) - min(load.values()) <= 2


populations = st.dictionaries(st.sampled_from("ABCD"), st.integers(0, 40), min_size=1)
share_maps = st.dictionaries(st.sampled_from("ABCD"), st.floats(0, 1), min_size=1)


@given(populations, share_maps, st.integers(0, 2**32))
@settings(max_examples=150, deadline=None)
def test_quotas_hold_and_plans_re_derive_for_any_population(
    counts: dict[str, int], shares: dict[str, float], seed: int
) -> None:
    entities = _entities(counts)
    plan = draw_plan(entities, STAFF, shares, seed=seed, period="2026Q3", sector="any")
    for grade, share in shares.items():
        population = counts.get(grade, 0)
        assert plan.drawn(grade) == quota(share, population)
        assert plan.drawn(grade) >= share * population - 1e-9
    assert plan.drawn("A") + plan.drawn("B") + plan.drawn("C") + plan.drawn("D") == len(
        plan.assignments
    )
    assert len({a.entity.code for a in plan.assignments}) == len(plan.assignments)
    assert conflicts(plan, STAFF) == []
    assert verify_plan(plan, entities, STAFF) == []


def test_the_national_shares_sit_in_the_published_ranges() -> None:
    """One county's 2024 ranges (POLICY-FACTS): A ≤ 5 %, B 5–20 %, C 21–60 %, D 61–100 %."""
    from xinyong.policy.loader import load_pack

    (policy,) = load_pack("national").pack.inspection
    ranges = {"A": (0, 0.05), "B": (0.05, 0.20), "C": (0.21, 0.60), "D": (0.61, 1.0)}
    assert set(policy.shares) == set(ranges)
    for grade, (low, high) in ranges.items():
        assert low <= policy.shares[grade] <= high, grade
    assert policy.model == "enterprise_risk"


def test_past_inspections_are_part_of_the_population_the_plan_was_drawn_from() -> None:
    entities = _entities({"A": 10, "D": 3})
    history = {("I00", entities[-1].code)}
    plan = _plan(entities, history=history)
    assert plan.population_hash == population_hash(entities, STAFF, history)
    assert plan.population_hash != population_hash(entities, STAFF)
    assert verify_plan(plan, entities, STAFF, history) == []
    (problem,) = verify_plan(plan, entities, STAFF)  # the history withheld
    assert problem.startswith("the population differs")
