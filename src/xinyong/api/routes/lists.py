"""``GET /api/v1/lists/{list}/entries``: a red or black list's entries (all roles, as disclosed)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from xinyong.api.auth import ANY_ROLE, require
from xinyong.api.deps import NodeDep
from xinyong.api.problems import problem_responses
from xinyong.api.schemas_lists import ListEntriesPage
from xinyong.disclosure.lists import access_list_entries
from xinyong.keys.model import Principal
from xinyong.lists.model import State

router = APIRouter(prefix="/api/v1", tags=["lists"])
MAX_PAGE = 500


@router.get(
    "/lists/{list_code}/entries",
    summary="A list's entries",
    responses=problem_responses(401, 403, 404, 422, 429),
)
def get_list_entries(
    list_code: Annotated[
        str, Path(max_length=64, description="List code, e.g. judgment_defaulters.")
    ],
    node: NodeDep,
    principal: Annotated[Principal, Depends(require(*ANY_ROLE))],
    state: Annotated[
        list[State] | None,
        Query(description="States to show; only the operator sees entries not yet listed."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Entries per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9, description="Entries to skip.")] = 0,
) -> ListEntriesPage:
    """Listed entries, newest first, each with its basis, window and period.

    Agencies and the public see published lists only, natural persons masked.
    """
    disclosed = access_list_entries(
        node.store, principal, node.pack, list_code, states=state or [State.LISTED],
        limit=limit, offset=offset, now=node.clock(),
    )  # fmt: skip
    return ListEntriesPage.of(disclosed, limit, offset)
