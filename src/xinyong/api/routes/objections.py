"""Objections (异议): file on a subject's behalf, the departments' queues, decisions, extensions.

``POST /api/v1/subjects/{code}/objections`` is the operator's counter filing
for a subject (multipart: the item, the reasons and up to five PDF, JPEG or
PNG files); subjects file from their own portal page. A department sees and
decides the objections to its own records; the operator sees and decides all.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Query, UploadFile
from starlette.responses import Response

from xinyong.api.auth import require
from xinyong.api.deps import NodeDep
from xinyong.api.problems import answered_as, problem_responses
from xinyong.api.schemas_objections import (
    DecisionIn,
    DepartmentLoadOut,
    ExtensionIn,
    ObjectionOut,
    ObjectionsPage,
)
from xinyong.codes import CodeError
from xinyong.keys.model import Principal, Role
from xinyong.rights.objection_queue import attachment_file, list_objections, objection_view
from xinyong.rights.objections import State, Target
from xinyong.rights.overview import rights_overview
from xinyong.rights.service import (
    accept_attachments,
    decide_objection,
    extend_objection,
    file_objection,
)
from xinyong.web.files import attachment_response

router = APIRouter(prefix="/api/v1", tags=["objections"])
Deciding = Annotated[Principal, Depends(require(Role.OPERATOR, Role.DEPARTMENT))]
Operator = Annotated[Principal, Depends(require(Role.OPERATOR))]
ObjectionId = Annotated[int, Path(ge=1, le=2**62, description="The objection's id.")]


@router.post(
    "/subjects/{code}/objections",
    summary="File an objection for a subject (at the counter)",
    status_code=201,
    responses=problem_responses(400, 401, 403, 404, 409, 413, 415, 422, 429),
)
def post_objection(
    code: Annotated[str, Path(max_length=32, description="USCC or resident ID.")],
    node: NodeDep,
    principal: Operator,
    target: Annotated[
        Target, Form(description="record, list_entry or repair (a refused application).")
    ],
    item: Annotated[str, Form(max_length=64, description="Record id, or list entry id.")],
    reasons: Annotated[str, Form(min_length=1, max_length=4000, description="Why it is wrong.")],
    files: Annotated[
        list[UploadFile] | None, File(description="Evidence: PDF, JPEG or PNG, up to five.")
    ] = None,
) -> ObjectionOut:
    """The item is marked under objection at once; the deadlines come from the pack."""
    uploads = [(f.filename or "attachment", f.file.read(), f.content_type) for f in files or []]
    attachments = accept_attachments(uploads, max_bytes=node.settings.attachment_max_bytes)
    with answered_as(400, CodeError):
        filed = file_objection(node.store, node.pack, subject_code=code, target=target, item=item,
                               reasons=reasons, attachments=attachments,
                               actor=principal.actor, now=node.clock())  # fmt: skip
    return ObjectionOut.of(objection_view(node.store, principal, filed.id or 0, now=node.clock()))


@router.get(
    "/objections",
    summary="Objections: a department's queue, or all for the operator",
    responses=problem_responses(400, 401, 403, 404, 422, 429),
)
def get_objections(
    node: NodeDep,
    principal: Deciding,
    state: Annotated[list[State] | None, Query(description="States to show.")] = None,
    overdue: Annotated[bool, Query(description="Only open ones past their last day.")] = False,
    subject: Annotated[str | None, Query(max_length=32, description="One subject's.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> ObjectionsPage:
    """Oldest deadline first, each with whether it is overdue today."""
    with answered_as(400, CodeError):
        views, total = list_objections(node.store, principal, subject_code=subject,
                                       states=[str(x) for x in state or ()],
                                       overdue_only=overdue, limit=limit, offset=offset,
                                       now=node.clock())  # fmt: skip
    return ObjectionsPage(total=total, limit=limit, offset=offset,
                          items=[ObjectionOut.of(v) for v in views])  # fmt: skip


@router.get(
    "/objections/{objection_id}",
    summary="One objection",
    responses=problem_responses(401, 403, 404, 429),
)
def get_objection(objection_id: ObjectionId, node: NodeDep, principal: Deciding) -> ObjectionOut:
    return ObjectionOut.of(objection_view(node.store, principal, objection_id, now=node.clock()))


@router.get(
    "/objections/{objection_id}/attachments/{attachment_id}",
    summary="One attachment of an objection",
    responses=problem_responses(401, 403, 404, 429),
)
def get_attachment(
    objection_id: ObjectionId,
    attachment_id: Annotated[int, Path(ge=1, le=2**62)],
    node: NodeDep,
    principal: Deciding,
) -> Response:
    """The file as stored, with the type its content was checked to be; always a download."""
    row, content = attachment_file(node.store, principal, objection_id, attachment_id)
    return attachment_response(row, content)


@router.post(
    "/objections/{objection_id}/decision",
    summary="Decide an objection: uphold, correct or revoke",
    responses=problem_responses(400, 401, 403, 404, 409, 422, 429),
)
def post_decision(
    objection_id: ObjectionId, body: DecisionIn, node: NodeDep, principal: Deciding
) -> ObjectionOut:
    """The decision flows down: lists re-derived, the check index refreshed, the subject told."""
    decide_objection(node.store, node.pack, principal, objection_id, body.ruling, body.reason,
                     correction=body.correction, now=node.clock())  # fmt: skip
    return ObjectionOut.of(objection_view(node.store, principal, objection_id, now=node.clock()))


@router.post(
    "/objections/{objection_id}/extension",
    summary="Extend an objection's deadline, with the reason",
    responses=problem_responses(400, 401, 403, 404, 409, 422, 429),
)
def post_extension(
    objection_id: ObjectionId, body: ExtensionIn, node: NodeDep, principal: Deciding
) -> ObjectionOut:
    extend_objection(node.store, principal, objection_id, body.until, body.reason, now=node.clock())
    return ObjectionOut.of(objection_view(node.store, principal, objection_id, now=node.clock()))


@router.get(
    "/rights/overview",
    summary="Open and overdue objections and repairs per department, against the pack's limits",
    responses=problem_responses(401, 403, 429),
)
def get_overview(node: NodeDep, principal: Operator) -> list[DepartmentLoadOut]:
    """Per workflow and department: open, overdue, oldest deadline, median working days."""
    loads = rights_overview(node.store, node.pack, principal, now=node.clock())
    return [DepartmentLoadOut(**load.__dict__) for load in loads]
