"""``POST /api/v1/checks``, ``…/checks:batch``, ``…/checks/{id}/feedback`` (checker, operator).

Answered from the node's in-memory check index (:class:`xinyong.checks.service.Checker`):
``async def`` with no blocking call on the hot path. Feedback writes the store.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from xinyong.api.auth import require
from xinyong.api.deps import NodeDep
from xinyong.api.problems import answered_as, problem_responses
from xinyong.api.schemas_checks import (
    CheckBatchIn,
    CheckBatchOut,
    CheckIn,
    CheckOut,
    ChecksPage,
    FeedbackIn,
    FeedbackOut,
    LoggedCheckOut,
)
from xinyong.checks.service import subject_checks
from xinyong.codes import CodeError
from xinyong.keys.model import Principal, Role

router = APIRouter(prefix="/api/v1", tags=["checks"])
Checking = Annotated[Principal, Depends(require(Role.OPERATOR, Role.CHECKER))]


@router.post(
    "/checks",
    summary="Which joint sanctions or rewards apply to a subject for a matter",
    responses=problem_responses(401, 403, 422, 429),
)
async def post_check(body: CheckIn, node: NodeDep, principal: Checking) -> CheckOut:
    """The decision (proceed, restrict or favour) and every measure with its basis; logged."""
    with answered_as(422, CodeError):
        result = node.checker.check(principal, body.subject_code, body.matter, node.clock())
    return CheckOut.of(result)


@router.post(
    "/checks:batch",
    summary="Check many subjects for one matter",
    responses=problem_responses(401, 403, 413, 422, 429),
)
async def post_checks(body: CheckBatchIn, node: NodeDep, principal: Checking) -> CheckBatchOut:
    """One result per subject, in order. One code that does not validate refuses the call (422)."""
    limit = node.settings.api_max_checks_per_call
    with answered_as(422, CodeError):
        results = node.checker.check_many(
            principal, body.subject_codes, body.matter, node.clock(), limit=limit
        )
    return CheckBatchOut(matter=body.matter, results=[CheckOut.of(r) for r in results])


@router.post(
    "/checks/{check_id}/feedback",
    summary="Report whether the measures of a check were applied",
    status_code=201,
    responses=problem_responses(400, 401, 403, 404, 422, 429),
)
def post_feedback(
    check_id: Annotated[str, Path(max_length=32, description="The check's id.")],
    body: FeedbackIn,
    node: NodeDep,
    principal: Checking,
) -> FeedbackOut:
    """Applied or not, and why: the basis of later review of how measures are used."""
    row = node.checker.feedback(principal, check_id, body.applied, body.reason, node.clock())
    return FeedbackOut.of(row)


@router.get(
    "/subjects/{code}/checks",
    summary="The checks made on a subject",
    responses=problem_responses(400, 401, 403, 422, 429),
)
def get_subject_checks(
    code: Annotated[str, Path(max_length=64, description="USCC or resident ID.")],
    node: NodeDep,
    principal: Annotated[Principal, Depends(require(Role.OPERATOR))],
    limit: Annotated[int, Query(ge=1, le=500, description="Checks per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9, description="Checks to skip.")] = 0,
) -> ChecksPage:
    """Who checked the subject, when, for what matter and with what answer (operator only)."""
    node.checker.flush()  # the newest checks may still be buffered
    with answered_as(400, CodeError):
        value, rows, total = subject_checks(node.store, code, limit=limit, offset=offset)
    return ChecksPage(subject_code=value, total=total, limit=limit, offset=offset,
                      items=[LoggedCheckOut.of(r) for r in rows])  # fmt: skip
