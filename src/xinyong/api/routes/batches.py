"""``POST /api/v1/batches``, ``POST /api/v1/records``, ``GET /api/v1/batches/{id}`` (thin).

Operators and departments write; a department key writes and reads back only
for its own department. Validation, batches and quarantine are
:mod:`xinyong.ingest.service`'s.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Query, UploadFile
from fastapi.responses import JSONResponse

from xinyong.api.auth import require
from xinyong.api.deps import NodeDep
from xinyong.api.problems import problem_responses
from xinyong.api.schemas_ingest import BatchDetailOut, BatchOut, RecordsIn
from xinyong.ingest.errors import DepartmentRequiredError, DepartmentScopeError
from xinyong.ingest.service import (
    Upload,
    authorise_items,
    batch_detail,
    ingest_file,
    ingest_records,
)
from xinyong.keys.model import Principal, Role

router = APIRouter(prefix="/api/v1", tags=["batches"])
Writer = Annotated[Principal, Depends(require(Role.OPERATOR, Role.DEPARTMENT))]


def _department(principal: Principal, requested: str | None) -> str:
    """The department a call reports for: a department key's own; an operator names one."""
    if principal.role is Role.DEPARTMENT:
        own = principal.department or ""
        if requested not in (None, own):
            raise DepartmentScopeError(own=own, department=requested)
        return own
    if not requested:
        raise DepartmentRequiredError()
    return requested


def _created(batch: BatchOut) -> JSONResponse:
    # 201 for a new batch; 200 when the same file had been applied (nothing changed).
    status = 200 if batch.already_applied else 201
    return JSONResponse(batch.model_dump(mode="json"), status_code=status)


@router.post(
    "/batches",
    summary="Upload a department file as one batch",
    status_code=201,
    response_model=BatchOut,
    responses=problem_responses(400, 401, 403, 413, 422, 429)
    | {200: {"model": BatchOut, "description": "The same file was applied before"}},
)
def post_batch(
    node: NodeDep,
    principal: Writer,
    file: Annotated[UploadFile, File(description="CSV, XLSX or JSON Lines.")],
    department: Annotated[
        str | None, Form(description="Reporting department (operator keys only).")
    ] = None,
    mapping: Annotated[str | None, Form(description="Mapping code; default by header.")] = None,
    encoding: Annotated[
        str, Form(pattern="^(auto|utf-8|utf-8-sig|gb18030)$", description="CSV encoding.")
    ] = "auto",
) -> JSONResponse:
    """Validate and apply the file whole or not at all; rejected rows are kept and listed."""
    upload = Upload(
        file.filename or "upload",
        file.file.read(),
        _department(principal, department),
        mapping,
        encoding,
    )
    report = ingest_file(
        node.store,
        node.pack,
        upload,
        node.clock(),
        quarantine_dir=node.settings.data_dir / "quarantine",
        actor=principal.actor,
    )
    return _created(BatchOut.of(report))


@router.post(
    "/records",
    summary="Report records as JSON (one batch)",
    status_code=201,
    response_model=BatchOut,
    responses=problem_responses(400, 401, 403, 413, 422, 429),
)
def post_records(node: NodeDep, principal: Writer, body: RecordsIn) -> JSONResponse:
    """Up to ``api_max_records_per_call`` records, applied as one batch like a file."""
    department = _department(principal, body.department)
    items = [record.model_dump(mode="json", exclude_none=True) for record in body.records]
    authorise_items(node.pack, department, items)
    report = ingest_records(
        node.store,
        node.pack,
        department,
        items,
        node.clock(),
        limit=node.settings.api_max_records_per_call,
        quarantine_dir=node.settings.data_dir / "quarantine",
        actor=principal.actor,
    )
    return _created(BatchOut.of(report))


@router.get(
    "/batches/{batch_id}",
    summary="A batch's counts and rejected rows",
    response_model=BatchDetailOut,
    responses=problem_responses(401, 403, 404, 422, 429),
)
def get_batch(
    batch_id: Annotated[int, Path(ge=1, le=2**63 - 1, description="Batch id.")],
    node: NodeDep,
    principal: Writer,
    limit: Annotated[int, Query(ge=1, le=10_000, description="Rejected rows to list.")] = 1000,
) -> BatchDetailOut:
    """Counts, status and rejected rows (row, field, code, message, row as sent)."""
    scope = principal.department if principal.role is Role.DEPARTMENT else None
    return BatchDetailOut.of(batch_detail(node.store, batch_id, department=scope, limit=limit))
