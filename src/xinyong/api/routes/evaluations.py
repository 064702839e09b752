"""``GET /api/v1/subjects/{code}/evaluations``: scores and grades, explained (any role; filtered).

A natural person's score is refused (403) to everyone but the operator; a
legal person's grade is shown to government roles, and to agencies and the
public only where the model makes it public. The rule is in the service
(:mod:`xinyong.disclosure.evaluations`), not here. ``def``: DuckDB blocks.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from xinyong.api.auth import authenticated
from xinyong.api.deps import NodeDep
from xinyong.api.problems import answered_as, problem_responses
from xinyong.api.schemas_evaluation import EvaluationOut, EvaluationsOut
from xinyong.clock import china_date
from xinyong.codes import CodeError
from xinyong.disclosure.evaluations import access_evaluations
from xinyong.keys.model import Principal

router = APIRouter(prefix="/api/v1", tags=["evaluations"])


@router.get(
    "/subjects/{code}/evaluations",
    summary="A subject's scores and grades, each with its reasons and what changes it",
    responses=problem_responses(400, 401, 403, 404, 422, 429),
)
def get_evaluations(
    code: Annotated[str, Path(max_length=64, description="USCC or resident ID.")],
    node: NodeDep,
    principal: Annotated[Principal, Depends(authenticated)],
    model: Annotated[str | None, Query(max_length=64, description="Only this model.")] = None,
    on: Annotated[
        date | None, Query(description="Evaluate as of this day (default today).")
    ] = None,
) -> EvaluationsOut:
    """Computed now from the subject's records, beside the latest stored run's result."""
    now = node.clock()
    with answered_as(400, CodeError):
        value, items = access_evaluations(node.store, node.pack, principal, code,
                                          as_of=on or china_date(now), now=now, model_code=model)  # fmt: skip
    return EvaluationsOut(subject_code=value, items=[EvaluationOut.of(e) for e in items])
