"""``GET /api/v1/subjects/{code}`` and ``…/records``: a subject's page and records (all roles).

What each role sees, masked or audited, is decided in :mod:`xinyong.disclosure`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from xinyong.api.auth import ANY_ROLE, require
from xinyong.api.deps import NodeDep
from xinyong.api.problems import answered_as, problem_responses
from xinyong.api.schemas import RecordsPage, SubjectPage
from xinyong.codes import CodeError
from xinyong.disclosure.service import access_records, access_subject
from xinyong.keys.model import Principal

router = APIRouter(prefix="/api/v1", tags=["subjects"])
Reader = Annotated[Principal, Depends(require(*ANY_ROLE))]
SubjectCode = Annotated[
    str,
    Path(
        max_length=64,
        description="USCC or resident identity number (spaces and case are ignored).",
    ),
]
MAX_PAGE = 500


@router.get(
    "/subjects/{code}",
    summary="A subject's page",
    responses=problem_responses(400, 401, 403, 404, 422, 429),
)
def get_subject(code: SubjectCode, node: NodeDep, principal: Reader) -> SubjectPage:
    """The subject with this code: attributes, key groups and counts of its current records.

    A code that does not validate answers 400 with the code's own error code
    (e.g. `uscc-check-digit`); a valid code nobody registered answers 404.
    """
    with answered_as(400, CodeError):
        disclosed = access_subject(node.store, principal, code, now=node.clock())
    return SubjectPage.of(disclosed)


@router.get(
    "/subjects/{code}/records",
    summary="A subject's current records",
    responses=problem_responses(400, 401, 403, 404, 422, 429),
)
def get_subject_records(
    code: SubjectCode,
    node: NodeDep,
    principal: Reader,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Records per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9, description="Records to skip.")] = 0,
) -> RecordsPage:
    """The current records the caller may see, newest decision first, one page at a time."""
    with answered_as(400, CodeError):
        disclosed = access_records(
            node.store,
            principal,
            code,
            catalog=node.catalog,
            limit=limit,
            offset=offset,
            now=node.clock(),
        )
    return RecordsPage.of(disclosed)
