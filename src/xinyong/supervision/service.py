"""Use cases of supervision: keep the roster, draw a round's plan, verify a plan.

The population of a round is every active entity of the sector with a grade
from the policy's model (its latest stored evaluation), the active
inspectors, and who inspected whom before. The plan is stored with that
population, so that it can be re-derived after grades have moved on; its
assignments become the next rounds' history. Drawing is :mod:`.model`.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from xinyong.audit.service import append_event
from xinyong.codes.region import division_known
from xinyong.policy.loader import LoadedPack
from xinyong.policy.model import InspectionPolicy
from xinyong.store.engine import Store
from xinyong.store.queries import evaluation as grades
from xinyong.store.queries import inspection as queries
from xinyong.store.queries.inspection import InspectorRow, PlanRow
from xinyong.store.uow import UnitOfWork
from xinyong.supervision.document import (
    plan_document,
    population_document,
    published,
    read_document,
)
from xinyong.supervision.errors import (
    NoInspectionPolicyError,
    PeriodFormatError,
    PlanExistsError,
    PlanNotDrawnError,
    PlanNotFoundError,
    RosterError,
    UnknownSectorError,
)
from xinyong.supervision.model import Entity, Inspector, Plan, PlanError, draw_plan, verify_plan

_PERIOD = re.compile(r"\d{4}(Q[1-4]|-(0[1-9]|1[0-2]))?")


@dataclass(frozen=True)
class StoredPlan:
    id: int
    policy: InspectionPolicy
    plan: Plan
    population: int  # entities in the sector's graded population
    document: dict[str, Any]  # what is published


def inspection_policy(loaded: LoadedPack, code: str | None = None) -> InspectionPolicy:
    """The named policy, or the pack's only (or first) one."""
    policies = loaded.pack.inspection
    found = next((p for p in policies if p.code == code), None) if code else None
    if found is None and code is None and policies:
        found = policies[0]
    if found is None:
        known = ", ".join(p.code for p in policies) or "none"
        raise NoInspectionPolicyError(policy=code or "(default)", known=known)
    return found


def load_roster(store: Store, rows: Iterable[dict[str, str]]) -> tuple[int, int]:
    """Add or update inspectors from rows of ``id, name, region, department[, active]``."""
    parsed = []
    for n, row in enumerate(rows, 1):
        ident, name = (row.get("id") or "").strip(), (row.get("name") or "").strip()
        region, dept = (row.get("region") or "").strip(), (row.get("department") or "").strip()
        if not ident or not name or not dept:
            raise RosterError(row=n, reason="id, name and department are required")
        if not division_known(region):
            raise RosterError(row=n, reason=f"{region!r} is not a known division code")
        active = (row.get("active") or "yes").strip().lower() not in ("no", "false", "0")
        parsed.append(InspectorRow(ident, name, region, dept, active))
    with UnitOfWork(store) as uow:
        counts = queries.upsert_inspectors(uow.connection, parsed)
        uow.commit()
    return counts


def plan_round(
    store: Store,
    loaded: LoadedPack,
    *,
    period: str,
    sector: str,
    now: datetime,
    actor: str,
    seed: int | None = None,
    policy_code: str | None = None,
) -> StoredPlan:
    """Draw, store and log the plan of one round for one sector."""
    if not _PERIOD.fullmatch(period):
        raise PeriodFormatError(period=period)
    policy = inspection_policy(loaded, policy_code)
    if sector not in policy.sectors:
        raise UnknownSectorError(policy=policy.code, sector=sector, known=", ".join(policy.sectors))
    kinds = set(policy.sectors[sector])
    seed = secrets.randbits(62) if seed is None else seed
    with UnitOfWork(store) as uow:
        conn = uow.connection
        existing = queries.find_plan(conn, period, sector, policy.code)
        if existing is not None:
            raise PlanExistsError(period=period, sector=sector, policy=policy.code, plan=existing)
        entities = [Entity(code, grade, region)
                    for code, grade, region, kind in grades.latest_grades(conn, policy.model)
                    if kind in kinds]  # fmt: skip
        staff = [Inspector(i.id, i.region_code) for i in queries.active_inspectors(conn)]
        history = queries.history(conn, {e.code for e in entities})
        if not entities:
            raise PlanNotDrawnError(
                reason=f"no entity of {sector} has a grade from {policy.model} (run evaluate first)"
            )
        try:
            plan = draw_plan(entities, staff, policy.shares, seed=seed, period=period,
                             sector=sector, history=history, team_size=policy.team_size)  # fmt: skip
        except PlanError as exc:
            raise PlanNotDrawnError(reason=str(exc)) from exc
        population = population_document(entities, staff, history)
        body = plan_document(plan)
        plan_id = queries.insert_plan(
            conn,
            PlanRow(period, sector, policy.code, loaded.version, seed, plan.population_hash,
                    population, body, now, actor),
            [(a.entity.code, i) for a in plan.assignments for i in a.inspectors],
        )  # fmt: skip
        append_event(conn, actor=actor, action="inspection.plan", target=f"inspection_plan:{plan_id}",
                     detail={"period": period, "sector": sector, "policy": policy.code,
                             "seed": seed, "population_hash": plan.population_hash,
                             "entities": len(plan.assignments)}, now=now)  # fmt: skip
        uow.commit()
    document = published(body, population, plan_id=plan_id, policy=policy.code,
                         policy_version=loaded.version, model=policy.model)  # fmt: skip
    return StoredPlan(plan_id, policy, plan, len(entities), document)


def stored_document(store: Store, plan_id: int) -> dict[str, Any]:
    """The published document of a stored plan."""
    with UnitOfWork(store, read_only=True) as uow:
        row = queries.get_plan(uow.connection, plan_id)
    if row is None:
        raise PlanNotFoundError(plan=plan_id)
    return published(row.plan, row.population, plan_id=row.id, policy=row.policy_code,
                     policy_version=row.policy_version)  # fmt: skip


def verify_document(doc: dict[str, Any]) -> tuple[Plan, list[str]]:
    """Re-derive a published plan from its own population: what differs ([] when nothing)."""
    plan, entities, inspectors, history = read_document(doc)
    return plan, verify_plan(plan, entities, inspectors, history)
