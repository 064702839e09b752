"""Credit repair (信用修复) and agencies' notifications (thin).

``POST /api/v1/subjects/{code}/repairs`` is the operator's counter filing
for a subject; subjects apply from their own portal page. The reporting
department (or the operator) decides. Agencies read and acknowledge the
repair notices addressed to them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from xinyong.api.auth import require
from xinyong.api.deps import NodeDep
from xinyong.api.problems import answered_as, problem_responses
from xinyong.api.schemas_repairs import (
    EligibilityOut,
    NotificationOut,
    RepairDecisionIn,
    RepairIn,
    RepairOut,
    RepairsPage,
)
from xinyong.codes import CodeError
from xinyong.keys.model import Principal, Role
from xinyong.rights.repair_service import (
    RepairView,
    acknowledge_notification,
    agency_notifications,
    apply_for_repair,
    decide_repair,
    list_repairs,
    repair_eligibility,
)
from xinyong.rights.repairs import State as RepairState

router = APIRouter(prefix="/api/v1", tags=["repairs"])
Deciding = Annotated[Principal, Depends(require(Role.OPERATOR, Role.DEPARTMENT))]
Operator = Annotated[Principal, Depends(require(Role.OPERATOR))]
Agency = Annotated[Principal, Depends(require(Role.AGENCY))]
Code = Annotated[str, Path(max_length=32, description="USCC or resident ID.")]


@router.get(
    "/subjects/{code}/records/{record_id}/repair-eligibility",
    summary="Whether a record can be repaired today, and from which day",
    responses=problem_responses(400, 401, 403, 404, 429),
)
def get_eligibility(
    code: Code,
    record_id: Annotated[str, Path(max_length=64)],
    node: NodeDep,
    principal: Operator,
) -> EligibilityOut:
    with answered_as(400, CodeError):
        seen = repair_eligibility(node.store, node.pack, code, record_id, now=node.clock())
    return EligibilityOut.of(seen)


@router.post(
    "/subjects/{code}/repairs",
    summary="Apply for credit repair of one record (at the counter)",
    status_code=201,
    responses=problem_responses(400, 401, 403, 404, 409, 422, 429),
)
def post_repair(code: Code, body: RepairIn, node: NodeDep, principal: Operator) -> RepairOut:
    """Refused with the day it becomes possible before the minimum period (409 repair-not-yet)."""
    with answered_as(400, CodeError):
        filed = apply_for_repair(node.store, node.pack, subject_code=code,
                                 record_id=body.record_id, performed=body.performed,
                                 committed=body.committed, actor=principal.actor,
                                 now=node.clock())  # fmt: skip
    return RepairOut.of(RepairView(filed, overdue=False))


@router.get(
    "/repairs",
    summary="Repair applications: a department's queue, or all for the operator",
    responses=problem_responses(400, 401, 403, 404, 422, 429),
)
def get_repairs(
    node: NodeDep,
    principal: Deciding,
    state: Annotated[list[RepairState] | None, Query(description="States to show.")] = None,
    subject: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> RepairsPage:
    with answered_as(400, CodeError):
        views, total = list_repairs(node.store, principal, subject_code=subject,
                                    states=[str(x) for x in state or ()],
                                    limit=limit, offset=offset, now=node.clock())  # fmt: skip
    return RepairsPage(total=total, limit=limit, offset=offset,
                       items=[RepairOut.of(v) for v in views])  # fmt: skip


@router.post(
    "/repairs/{repair_id}/decision",
    summary="Approve or refuse a repair application",
    responses=problem_responses(400, 401, 403, 404, 409, 422, 429),
)
def post_repair_decision(
    repair_id: Annotated[int, Path(ge=1, le=2**62)],
    body: RepairDecisionIn,
    node: NodeDep,
    principal: Deciding,
) -> RepairOut:
    """Approval ends publication and sharing, lifts measures, and notifies every agency."""
    decided = decide_repair(node.store, node.pack, principal, repair_id, body.approve,
                            body.reason, now=node.clock())  # fmt: skip
    return RepairOut.of(RepairView(decided, overdue=False))


@router.get(
    "/notifications",
    summary="The calling agency's notifications not yet acknowledged",
    responses=problem_responses(401, 403, 429),
)
def get_notifications(node: NodeDep, principal: Agency) -> list[NotificationOut]:
    return [NotificationOut(**n) for n in agency_notifications(node.store, principal)]


@router.post(
    "/notifications/{notification_id}/ack",
    summary="Acknowledge a notification (the record is no longer published or used)",
    status_code=204,
    responses=problem_responses(401, 403, 404, 429),
)
def post_ack(
    notification_id: Annotated[int, Path(ge=1, le=2**62)], node: NodeDep, principal: Agency
) -> None:
    acknowledge_notification(node.store, principal, notification_id, now=node.clock())
