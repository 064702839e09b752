"""The API's route modules, one per resource, each exporting ``router`` (thin).

A route parses its parameters, makes one service call and renders a wire
model; no query and no rule. To add a module: create ``routes/<name>.py``
with ``router = APIRouter(prefix="/api/v1", tags=["<name>"])``, declare its
roles with ``Depends(require(...))``, and list its router in :data:`ROUTERS`.
"""

from __future__ import annotations

from fastapi import APIRouter

from xinyong.api.routes import (
    batches,
    catalog,
    checks,
    consents,
    evaluations,
    files,
    health,
    lists,
    objections,
    repairs,
    subjects,
    whoami,
)

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    catalog.router,
    subjects.router,
    batches.router,
    lists.router,
    checks.router,
    evaluations.router,
    objections.router,
    repairs.router,
    consents.router,
    files.router,
    whoami.router,
)
