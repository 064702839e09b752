"""Signing in, and a subject's own file on the portal: ``/signin``, ``/signout``, ``/me`` (thin).

Every form carries a CSRF token (:mod:`xinyong.web.session`); a POST without
the right one is refused (403) before anything else. ``/me`` has no id in
its address: a subject reads only its own file, the one its session names.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from xinyong.disclosure.my_file import SubjectFile, access_my_file, file_json
from xinyong.errors import XinyongError
from xinyong.i18n import gettext_noop, translate
from xinyong.policy.model import CreditList
from xinyong.rights.account_service import LocalAuthenticator, identity_of
from xinyong.rights.accounts import Identity
from xinyong.rights.consent_service import consents, grant_consent, revoke_consent
from xinyong.rights.errors import ConsentNotFoundError, SignInRefusedError
from xinyong.rights.objection_queue import attachment_file
from xinyong.rights.objections import Target
from xinyong.rights.repair_service import apply_for_repair
from xinyong.rights.service import accept_attachments, file_objection
from xinyong.web import session
from xinyong.web.files import attachment_response
from xinyong.web.locale import page_locale
from xinyong.web.my_file_pdf import render_my_file
from xinyong.web.node import Node, PortalNode
from xinyong.web.render import render

router = APIRouter(include_in_schema=False)
_BAD_TOKEN = gettext_noop("This form has expired or did not come from this site; please try again.")


def refused_form(request: Request) -> HTMLResponse:
    """The page for a form whose CSRF token is missing or wrong (403)."""
    return render(request, "error.html", status=403,
                  message=translate(_BAD_TOKEN, page_locale(request)))  # fmt: skip


def signed_in(request: Request, node: PortalNode) -> Identity | None:
    """The subject the request's session is for, if any."""
    found = session.current(request, node)
    return identity_of(node.store, found.login) if found is not None else None


def signin_page(request: Request, node: PortalNode, status: int = 200,
                 message: str | None = None) -> HTMLResponse:  # fmt: skip
    """The sign-in form (with the provider's button, if the node has one), and its token."""
    token, fresh = session.form_token(request, node)
    provider = node.identity_provider
    page = render(request, "signin.html", status=status, csrf=token, message=message,
                  provider=provider.label if provider is not None else None)  # fmt: skip
    if fresh:
        session.remember(page, node, token)
    return page


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, node: Node) -> HTMLResponse:
    return signin_page(request, node)


@router.post("/signin", response_model=None)
def signin(
    request: Request,
    node: Node,
    login: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """A new session on success (never the one the browser brought); the same page on refusal."""
    if not session.token_ok(request, node, csrf):
        return refused_form(request)
    try:
        identity = LocalAuthenticator(node.store).authenticate(login, password, node.clock())
    except SignInRefusedError as refused:
        return signin_page(request, node, 401, refused.render(page_locale(request)))
    done = RedirectResponse("/me", status_code=303)
    session.start(done, node, identity.login)
    return done


@router.post("/signout", response_model=None)
def signout(
    request: Request, node: Node, csrf: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    if not session.token_ok(request, node, csrf):
        return refused_form(request)
    done = RedirectResponse("/", status_code=303)
    session.end(request, done, node)
    return done


def _own_file(request: Request, node: PortalNode) -> tuple[Identity, SubjectFile] | None:
    """The signed-in subject and its whole file (the read audited), or None: not signed in."""
    identity = signed_in(request, node)
    if identity is None:
        return None
    found = access_my_file(node.store, node.pack, identity, identity.subject_code,
                           now=node.clock())  # fmt: skip
    return identity, found


def _lists(node: PortalNode) -> dict[str, CreditList]:
    return {c.code: c for c in node.pack.pack.lists}


@router.get("/me", response_model=None)
def my_file(request: Request, node: Node) -> Response:
    """Everything the node holds on the signed-in subject, and every look at it; audited."""
    own = _own_file(request, node)
    if own is None:
        return RedirectResponse("/signin", status_code=303)
    identity, found = own
    token, _fresh = session.form_token(request, node)
    return render(request, "me.html", file=found, identity=identity, csrf=token,
                  purposes=node.pack.pack.purposes, lists=_lists(node))  # fmt: skip


@router.get("/me/file.json", response_model=None)
def my_file_json(request: Request, node: Node) -> Response:
    """The same file as JSON, to keep or take elsewhere (portability)."""
    own = _own_file(request, node)
    if own is None:
        return RedirectResponse("/signin", status_code=303)
    return JSONResponse(file_json(own[1]), headers={
        "Content-Disposition": 'attachment; filename="my-credit-file.json"',
        "Cache-Control": "no-store"})  # fmt: skip


@router.get("/me/file.pdf", response_model=None)
def my_file_pdf(request: Request, node: Node) -> Response:
    """The same file as a PDF, in the page's language (audited as a read, like the page)."""
    own = _own_file(request, node)
    if own is None:
        return RedirectResponse("/signin", status_code=303)
    pdf = render_my_file(own[1], locale=page_locale(request), node_name=node.pack.pack.meta.name,
                         lists=_lists(node))  # fmt: skip
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": 'attachment; filename="my-credit-file.pdf"',
        "Cache-Control": "no-store"})  # fmt: skip


@router.get("/me/objections/{objection_id}/attachments/{attachment_id}", response_model=None)
def my_attachment(
    request: Request,
    node: Node,
    objection_id: Annotated[int, Path(ge=1, le=2**62)],
    attachment_id: Annotated[int, Path(ge=1, le=2**62)],
) -> Response:
    """One's own evidence file back; another subject's ids answer as if absent (404)."""
    identity = signed_in(request, node)
    if identity is None:
        return RedirectResponse("/signin", status_code=303)
    try:
        row, content = attachment_file(node.store, identity, objection_id, attachment_id)
    except XinyongError as err:
        return failed_page(request, err)
    return attachment_response(row, content)


@router.post("/me/objections", response_model=None)
def file_my_objection(
    request: Request,
    node: Node,
    target: Annotated[Target, Form()],
    item: Annotated[str, Form(max_length=64)],
    reasons: Annotated[str, Form(max_length=4000)],
    csrf: Annotated[str, Form(max_length=100)] = "",
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    """The subject objects to an item of its own file, with evidence; marked at once."""
    identity = _guarded(request, node, csrf)
    if not isinstance(identity, Identity):
        return identity
    uploads = [(f.filename or "attachment", f.file.read(), f.content_type)
               for f in files or [] if f.filename]  # fmt: skip
    try:
        attachments = accept_attachments(uploads, max_bytes=node.settings.attachment_max_bytes)
        file_objection(node.store, node.pack, subject_code=identity.subject_code, target=target,
                       item=item, reasons=reasons, attachments=attachments,
                       actor=identity.actor, now=node.clock())  # fmt: skip
    except XinyongError as err:
        return failed_page(request, err)
    return RedirectResponse("/me#objections", status_code=303)


def _guarded(request: Request, node: PortalNode, csrf: str) -> Identity | Response:
    """The signed-in subject of a POST with the right token, or the page that refuses it."""
    if not session.token_ok(request, node, csrf):
        return refused_form(request)
    identity = signed_in(request, node)
    if identity is None:
        return RedirectResponse("/signin", status_code=303)
    return identity


def failed_page(request: Request, err: XinyongError) -> HTMLResponse:
    """The subject's mistake (a refused filing, an early repair): a page, never a traceback."""
    return render(request, "error.html", status=err.status,
                  message=err.render(page_locale(request)))  # fmt: skip


@router.post("/me/repairs", response_model=None)
def apply_my_repair(
    request: Request,
    node: Node,
    record_id: Annotated[str, Form(max_length=64)],
    performed: Annotated[str, Form(max_length=4000)],
    committed: Annotated[bool, Form()] = False,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Apply for credit repair of one of one's own records (refused with the day, if early)."""
    identity = _guarded(request, node, csrf)
    if not isinstance(identity, Identity):
        return identity
    try:
        apply_for_repair(node.store, node.pack, subject_code=identity.subject_code,
                         record_id=record_id, performed=performed, committed=committed,
                         actor=identity.actor, now=node.clock())  # fmt: skip
    except XinyongError as err:
        return failed_page(request, err)
    return RedirectResponse("/me#repairs", status_code=303)


@router.post("/me/consents", response_model=None)
def grant_my_consent(
    request: Request,
    node: Node,
    agency: Annotated[str, Form(max_length=16)],
    purpose: Annotated[str, Form(max_length=64)],
    until: Annotated[str, Form(max_length=10)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Let one agency query the authorised part of one's file for a purpose, until a day."""
    identity = _guarded(request, node, csrf)
    if not isinstance(identity, Identity):
        return identity
    try:
        day = date.fromisoformat(until)
    except ValueError:
        return render(request, "error.html", status=400, message=until)
    try:
        grant_consent(node.store, node.pack, subject_code=identity.subject_code,
                      agency_prefix=agency, purpose=purpose, until=day,
                      granted_by=identity.actor, now=node.clock())  # fmt: skip
    except XinyongError as err:
        return failed_page(request, err)
    return RedirectResponse("/me#consents", status_code=303)


@router.post("/me/consents/{consent_id}/revoke", response_model=None)
def revoke_my_consent(
    request: Request,
    node: Node,
    consent_id: Annotated[int, Path(ge=1, le=2**62)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Revoke one of one's own consents, at once; another subject's id is as absent."""
    identity = _guarded(request, node, csrf)
    if not isinstance(identity, Identity):
        return identity
    if consent_id not in {c.id for c in consents(node.store, identity.subject_code)}:
        return render(request, "error.html", status=404,
                      message=ConsentNotFoundError(consent=consent_id).render(page_locale(request)))  # fmt: skip
    revoke_consent(node.store, consent_id, by=identity.actor, now=node.clock())
    return RedirectResponse("/me#consents", status_code=303)
