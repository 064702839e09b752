"""Queries of supervision: the inspector roster, plans, and who inspected whom.

Runs in the caller's transaction; never commits.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from xinyong.store.tables import inspection_assignment, inspection_plan, inspector


@dataclass(frozen=True)
class InspectorRow:
    id: str
    name: str
    region_code: str
    department: str
    active: bool = True


@dataclass(frozen=True)
class PlanRow:
    period: str
    sector: str
    policy_code: str
    policy_version: str
    seed: int
    population_hash: str
    population: dict[str, Any]
    plan: dict[str, Any]
    created_at: datetime
    actor: str
    id: int | None = None


def upsert_inspectors(conn: Connection, rows: Iterable[InspectorRow]) -> tuple[int, int]:
    """Add new inspectors and update known ones; (added, updated)."""
    rows = list(rows)
    known = set(
        conn.execute(select(inspector.c.id).where(inspector.c.id.in_([r.id for r in rows])))
        .scalars()
        .all()
    )
    new = [asdict(r) for r in rows if r.id not in known]
    if new:
        conn.execute(insert(inspector), new)
    for row in rows:
        if row.id in known:
            values = {k: v for k, v in asdict(row).items() if k != "id"}
            conn.execute(update(inspector).where(inspector.c.id == row.id).values(**values))
    return len(new), len(rows) - len(new)


def active_inspectors(conn: Connection) -> list[InspectorRow]:
    query = select(*inspector.c).where(inspector.c.active).order_by(inspector.c.id)
    return [InspectorRow(**row) for row in conn.execute(query).mappings()]


def history(conn: Connection, entity_codes: Collection[str]) -> set[tuple[str, str]]:
    """(inspector id, entity code) of every earlier assignment of these entities."""
    found: set[tuple[str, str]] = set()
    codes = sorted(entity_codes)
    for start in range(0, len(codes), 5_000):
        query = select(inspection_assignment.c.inspector_id, inspection_assignment.c.entity_code)
        query = query.where(inspection_assignment.c.entity_code.in_(codes[start : start + 5_000]))
        found.update((row.inspector_id, row.entity_code) for row in conn.execute(query))
    return found


def find_plan(conn: Connection, period: str, sector: str, policy_code: str) -> int | None:
    query = select(inspection_plan.c.id).where(
        inspection_plan.c.period == period,
        inspection_plan.c.sector == sector,
        inspection_plan.c.policy_code == policy_code,
    )
    return conn.execute(query).scalar()


def insert_plan(conn: Connection, row: PlanRow, pairs: Iterable[tuple[str, str]]) -> int:
    """Store a plan and its (entity code, inspector id) assignments; the plan's id."""
    values = {k: v for k, v in asdict(row).items() if k != "id"}
    result = conn.execute(insert(inspection_plan).values(**values))
    (plan_id,) = result.inserted_primary_key or (None,)
    assert plan_id is not None
    assigned = [{"plan_id": plan_id, "entity_code": e, "inspector_id": i} for e, i in pairs]
    if assigned:
        conn.execute(insert(inspection_assignment), assigned)
    return int(plan_id)


def get_plan(conn: Connection, plan_id: int) -> PlanRow | None:
    row = conn.execute(select(*inspection_plan.c).where(inspection_plan.c.id == plan_id))
    found = row.mappings().first()
    return PlanRow(**found) if found is not None else None
