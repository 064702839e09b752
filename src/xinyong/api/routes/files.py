"""``GET /api/v1/subjects/{code}/file``: a subject's whole own file, as portable JSON (thin).

The operator hands it over at the counter; subjects download it from their
own portal page. Audited as ``file.read``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from xinyong.api.auth import require
from xinyong.api.deps import NodeDep
from xinyong.api.problems import answered_as, problem_responses
from xinyong.codes import CodeError
from xinyong.disclosure.my_file import access_my_file, file_json
from xinyong.keys.model import Principal, Role

router = APIRouter(prefix="/api/v1", tags=["files"])


@router.get(
    "/subjects/{code}/file",
    summary="Everything the node holds on a subject, and every look at it",
    responses=problem_responses(400, 401, 403, 404, 429),
)
def get_file(
    code: Annotated[str, Path(max_length=32, description="USCC or resident ID.")],
    node: NodeDep,
    principal: Annotated[Principal, Depends(require(Role.OPERATOR))],
) -> dict[str, Any]:
    """Records of every scope, list entries with notices, evaluations explained, objections,
    repairs, consents and the query history (docs/rights.md)."""
    node.checker.flush()  # checks still buffered belong to the history
    with answered_as(400, CodeError):
        found = access_my_file(node.store, node.pack, principal, code, now=node.clock())
    return file_json(found)
