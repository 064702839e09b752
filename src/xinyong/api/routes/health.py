"""``GET /api/v1/health``: the process answers. No key, no store: a load-testing baseline."""

from __future__ import annotations

from fastapi import APIRouter

from xinyong.api.schemas import HealthOut

router = APIRouter(prefix="/api/v1", tags=["health"])


@router.get("/health", summary="The process is up")
async def health() -> HealthOut:
    """Answers at once without touching the store; for load balancers and baselines."""
    return HealthOut(status="ok")
