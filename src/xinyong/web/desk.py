"""The department's desk on the portal: its objections queue, and deciding them (thin).

A department (or the operator) signs in with its API key (``/desk/signin``):
the key is checked once, and the session (``xy_desk``) carries its public
prefix only; every request looks the key up again, so a revoked key stops
the desk at once. Forms carry the session's CSRF token.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from xinyong.errors import XinyongError
from xinyong.i18n import gettext_noop, translate
from xinyong.keys.model import Principal, Role
from xinyong.keys.service import active_principal, authenticate
from xinyong.registry.service import current_records
from xinyong.rights.objection_queue import attachment_file, list_objections, objection_view
from xinyong.rights.objections import Ruling
from xinyong.rights.overview import rights_overview
from xinyong.rights.repair_service import decide_repair, list_repairs
from xinyong.rights.service import decide_objection
from xinyong.web import session
from xinyong.web.files import attachment_response
from xinyong.web.locale import page_locale
from xinyong.web.me import failed_page, refused_form
from xinyong.web.node import Node, PortalNode
from xinyong.web.render import render

router = APIRouter(include_in_schema=False)
_DESK_ROLES = frozenset({Role.DEPARTMENT, Role.OPERATOR})
FIELD = "field."  # a correction's form fields: field.<payload field name>
_NOT_A_DESK = gettext_noop("Only a department's or the operator's key opens the desk.")


def desk_principal(request: Request, node: PortalNode) -> Principal | None:
    found = session.current(request, node, session.DESK_COOKIE)
    if found is None:
        return None
    principal = active_principal(node.store, found.login)
    return principal if principal is not None and principal.role in _DESK_ROLES else None


@router.get("/desk/signin", response_class=HTMLResponse)
def desk_signin_form(request: Request, node: Node) -> HTMLResponse:
    token, fresh = session.form_token(request, node, session.DESK_COOKIE)
    page = render(request, "desk_signin.html", csrf=token, message=None)
    if fresh:
        session.remember(page, node, token)
    return page


@router.post("/desk/signin", response_model=None)
def desk_signin(
    request: Request,
    node: Node,
    key: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    if not session.token_ok(request, node, csrf, session.DESK_COOKIE):
        return refused_form(request)
    try:
        principal = authenticate(node.store, key.strip())
    except XinyongError as err:
        return render(request, "error.html", status=401, message=err.render(page_locale(request)))
    if principal.role not in _DESK_ROLES:
        return render(request, "error.html", status=403,
                      message=translate(_NOT_A_DESK, page_locale(request)))  # fmt: skip
    done = RedirectResponse("/desk", status_code=303)
    session.start(done, node, principal.prefix, session.DESK_COOKIE)
    return done


@router.post("/desk/signout", response_model=None)
def desk_signout(
    request: Request, node: Node, csrf: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    """End the desk's session on the server (every copy of its cookie stops working)."""
    if not session.token_ok(request, node, csrf, session.DESK_COOKIE):
        return refused_form(request)
    done = RedirectResponse("/desk/signin", status_code=303)
    session.end(request, done, node, session.DESK_COOKIE)
    return done


@router.get("/desk", response_model=None)
def desk(request: Request, node: Node) -> Response:
    """The open objections and repair applications this department decides, oldest deadline
    first; for the operator every department's, and the overview of each one's load."""
    principal = desk_principal(request, node)
    if principal is None:
        return RedirectResponse("/desk/signin", status_code=303)
    now = node.clock()
    views, total = list_objections(node.store, principal, states=["open"], now=now)
    repairs, repairs_total = list_repairs(node.store, principal, states=["open"], now=now)
    overview = (rights_overview(node.store, node.pack, principal, now=now)
                if principal.role is Role.OPERATOR else None)  # fmt: skip
    token, _fresh = session.form_token(request, node, session.DESK_COOKIE)
    shown = [v.objection.record_id for v in views if v.objection.record_id]
    current = current_records(node.store, shown + [v.repair.record_id for v in repairs])
    return render(request, "desk.html", views=views, total=total, principal=principal,
                  repairs=repairs, repairs_total=repairs_total, overview=overview,
                  current=current, catalog=node.catalog,
                  csrf=token)  # fmt: skip


@router.post("/desk/objections/{objection_id}/decision", response_model=None)
async def desk_decide(
    request: Request,
    node: Node,
    objection_id: Annotated[int, Path(ge=1, le=2**62)],
    ruling: Annotated[Ruling, Form()],
    reason: Annotated[str, Form(max_length=4000)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Uphold, revoke, or correct: the record's fields as they should read (``field.<name>``).

    Async only to read the correction's fields from the form; the store is
    reached in the thread pool, as the synchronous routes reach it.
    """
    if not await run_in_threadpool(session.token_ok, request, node, csrf, session.DESK_COOKIE):
        return refused_form(request)
    principal = await run_in_threadpool(desk_principal, request, node)
    if principal is None:
        return RedirectResponse("/desk/signin", status_code=303)
    form = await request.form()
    fields = {k.removeprefix(FIELD): v for k, v in form.multi_items()
              if k.startswith(FIELD) and isinstance(v, str)}  # fmt: skip
    try:
        correction = (await run_in_threadpool(_changed, node, objection_id, principal, fields)
                      if ruling is Ruling.CORRECT else None)  # fmt: skip
        await run_in_threadpool(partial(decide_objection, correction=correction, now=node.clock()),
                                node.store, node.pack, principal, objection_id, ruling, reason)  # fmt: skip
    except XinyongError as err:
        return failed_page(request, err)
    return RedirectResponse("/desk", status_code=303)


def _changed(
    node: PortalNode, objection_id: int, principal: Principal, fields: dict[str, str]
) -> dict[str, str]:
    """The fields the department changed from what the record says now (as typed, to check)."""
    record_id = objection_view(
        node.store, principal, objection_id, now=node.clock()
    ).objection.record_id
    current = current_records(node.store, [record_id] if record_id else []).get(record_id or "")
    now_reads = {
        k: "" if v is None else str(v) for k, v in (current.payload if current else {}).items()
    }
    return {k: v.strip() for k, v in fields.items() if v.strip() != now_reads.get(k, "")}


@router.get("/desk/objections/{objection_id}/attachments/{attachment_id}", response_model=None)
def desk_attachment(
    request: Request,
    node: Node,
    objection_id: Annotated[int, Path(ge=1, le=2**62)],
    attachment_id: Annotated[int, Path(ge=1, le=2**62)],
) -> Response:
    """An objection's evidence, for its deciding department (or the operator) only."""
    principal = desk_principal(request, node)
    if principal is None:
        return RedirectResponse("/desk/signin", status_code=303)
    try:
        row, content = attachment_file(node.store, principal, objection_id, attachment_id)
    except XinyongError as err:
        return failed_page(request, err)
    return attachment_response(row, content)


@router.post("/desk/repairs/{repair_id}/decision", response_model=None)
def desk_decide_repair(
    request: Request,
    node: Node,
    repair_id: Annotated[int, Path(ge=1, le=2**62)],
    decision: Annotated[Literal["approve", "refuse"], Form()],
    reason: Annotated[str, Form(max_length=4000)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Approve (the record stops being published and shared) or refuse, with reasons."""
    if not session.token_ok(request, node, csrf, session.DESK_COOKIE):
        return refused_form(request)
    principal = desk_principal(request, node)
    if principal is None:
        return RedirectResponse("/desk/signin", status_code=303)
    try:
        decide_repair(node.store, node.pack, principal, repair_id, decision == "approve", reason,
                      now=node.clock())  # fmt: skip
    except XinyongError as err:
        return failed_page(request, err)
    return RedirectResponse("/desk#repairs", status_code=303)
