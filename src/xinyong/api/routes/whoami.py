"""``GET /api/v1/whoami``: the key a request carries, as the node sees it (all roles).

Lets a client check its key and role before it relies on them; it does no
other work, so it is also the authenticated baseline of load tests.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from xinyong.api.auth import ANY_ROLE, require
from xinyong.api.problems import problem_responses
from xinyong.keys.model import Principal

router = APIRouter(prefix="/api/v1", tags=["keys"])


class WhoAmIOut(BaseModel):
    prefix: str = Field(description="The key's public prefix.")
    name: str
    role: str
    department: str | None = Field(
        description="For a department key, the department it speaks for."
    )


@router.get("/whoami", summary="The calling key", responses=problem_responses(401, 429))
async def whoami(principal: Annotated[Principal, Depends(require(*ANY_ROLE))]) -> WhoAmIOut:
    """The prefix, name, role and department of the key that authenticated this request."""
    return WhoAmIOut(
        prefix=principal.prefix, name=principal.name, role=principal.role.value,
        department=principal.department,
    )  # fmt: skip
