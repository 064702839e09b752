"""The operator's view of the rights workflows: per department, what is open, late and how fast.

For objections and for repair applications alike, per deciding department:
how many are open, how many of those are overdue, the oldest open deadline,
and the median working days from filing to decision of those decided,
beside the pack's limit. Read-only; the same numbers for the API and pages.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from xinyong.clock import china_date
from xinyong.keys.errors import RoleForbiddenError
from xinyong.keys.model import Principal, Role
from xinyong.lists.calendar import calendar_of
from xinyong.policy.loader import LoadedPack
from xinyong.store.engine import Store
from xinyong.store.queries import objections as objection_queries
from xinyong.store.queries import repairs as repair_queries
from xinyong.store.uow import UnitOfWork


@dataclass(frozen=True)
class DepartmentLoad:
    workflow: str  # objections or repairs
    department: str
    open: int
    overdue: int
    oldest_due: date | None
    decided: int
    median_working_days: float | None  # filing to decision, of those decided
    limit_working_days: int  # the pack's


@dataclass(frozen=True)
class _Case:
    department: str
    state: str
    filed_on: date
    due_on: date
    decided_on: date | None


def _load(workflow: str, cases: list[_Case], limit: int, loaded: LoadedPack,
          today: date) -> list[DepartmentLoad]:  # fmt: skip
    calendar = calendar_of(loaded.pack)
    by_department: dict[str, list[_Case]] = defaultdict(list)
    for case in cases:
        by_department[case.department].append(case)
    out = []
    for department, mine in sorted(by_department.items()):
        open_ = [c for c in mine if c.state == "open"]
        spans = [calendar.working_days_between(c.filed_on, c.decided_on)
                 for c in mine if c.decided_on is not None]  # fmt: skip
        out.append(DepartmentLoad(
            workflow, department, len(open_), sum(1 for c in open_ if today > c.due_on),
            min((c.due_on for c in open_), default=None), len(spans),
            statistics.median(spans) if spans else None, limit))  # fmt: skip
    return out


def rights_overview(
    store: Store, loaded: LoadedPack, principal: Principal, *, now: datetime
) -> list[DepartmentLoad]:
    """Objections and repairs per department (the operator only)."""
    if principal.role is not Role.OPERATOR:
        raise RoleForbiddenError(role=principal.role.value, allowed="operator")
    today = china_date(now)
    with UnitOfWork(store, read_only=True) as uow:
        objections, _ = objection_queries.objections(uow.connection, limit=10**9)
        repairs, _ = repair_queries.repairs(uow.connection, limit=10**9)
    day = china_date
    objection_cases = [_Case(o.department, o.state, day(o.filed_at), o.due_on,
                             day(o.decided_at) if o.decided_at else None) for o in objections]  # fmt: skip
    repair_cases = [_Case(r.department, r.state, day(r.filed_at), r.due_on,
                          day(r.decided_at) if r.decided_at else None) for r in repairs]  # fmt: skip
    limits = loaded.pack.objections.decide_within_working_days
    repair_limit = loaded.pack.repair.decide_within_working_days if loaded.pack.repair else 0
    return _load("objections", objection_cases, limits, loaded, today) + _load(
        "repairs", repair_cases, repair_limit, loaded, today
    )
