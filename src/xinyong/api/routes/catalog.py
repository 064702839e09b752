"""``GET /api/v1/catalog``: the node's catalog of public credit information (all roles)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from xinyong.api.auth import ANY_ROLE, require
from xinyong.api.deps import NodeDep
from xinyong.api.problems import problem_responses
from xinyong.api.schemas import CatalogOut
from xinyong.keys.model import Principal

router = APIRouter(prefix="/api/v1", tags=["catalog"])


@router.get(
    "/catalog",
    summary="The catalog items this node records",
    responses=problem_responses(401, 403, 429),
)
async def get_catalog(
    node: NodeDep, principal: Annotated[Principal, Depends(require(*ANY_ROLE))]
) -> CatalogOut:
    """Every item of the node's policy pack: fields, departments, disclosure and legal basis.

    The pack is loaded once when the API starts (`xinyong.policy.service.node_pack`).
    """
    return CatalogOut.of(node.pack)
