"""The portal's pages (thin): parse the request, call a disclosure service as the public, render.

Every read goes through :mod:`xinyong.disclosure` with :data:`PORTAL`, a
principal of role ``public``: the pages cannot show more than the public may
see, whatever a template does. User mistakes (a short query, a mistyped code,
an unknown subject) are pages with a status, never a traceback.
"""

from __future__ import annotations

import math
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from xinyong.clock import china_date
from xinyong.codes import CodeError
from xinyong.codes.dispatch import looks_like_resident_id
from xinyong.codes.mask import mask_code
from xinyong.disclosure.evaluations import public_grades
from xinyong.disclosure.lists import public_listings
from xinyong.disclosure.search import SearchTooShortError, search
from xinyong.disclosure.service import access_records, access_subject
from xinyong.i18n import gettext_noop, translate
from xinyong.keys.model import Principal, Role
from xinyong.registry.errors import SubjectNotFoundError
from xinyong.web.locale import COOKIE, in_locale, page_locale
from xinyong.web.node import Node, PortalNode
from xinyong.web.records import record_groups
from xinyong.web.render import render
from xinyong.web.stats import cached_statistics

PORTAL = Principal(key_id=0, prefix="portal", name="public portal", role=Role.PUBLIC)
PAGE_SIZE = 20
_SLOW_DOWN = gettext_noop("Too many searches from your address; try again in {seconds} s.")
RECORDS_SHOWN = 200

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, node: Node) -> HTMLResponse:
    """The search box, and the headline figures (from the cached statistics)."""
    figures = cached_statistics(request, node)
    headline = {
        "records": sum(figures.per_month),
        "listed": sum(n for _, n in figures.lists),
        "departments": len(figures.delays),
    }
    return render(request, "home.html", headline=headline)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    node: Node,
    q: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1, le=50)] = 1,
) -> HTMLResponse:
    """Legal persons by part of the name; anyone by exact code (see disclosure.search).

    A natural person found by code is shown here, masked, rather than linked:
    a link would write the identity number into the page. For the same reason
    a query shaped like an identity number is never echoed whole.
    """
    if q and (delay := node.search_limiter.wait(_client(request))) > 0:
        retry = max(1, math.ceil(delay))
        page_ = render(request, "error.html", status=429,
                       message=translate(_SLOW_DOWN, page_locale(request)).format(seconds=retry))  # fmt: skip
        page_.headers["Retry-After"] = str(retry)
        return page_
    today = china_date(node.clock())
    shown_q = mask_code(q.strip()) if looks_like_resident_id(q.strip().upper()) else q
    try:
        result = search(node.store, q, today=today, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    except SearchTooShortError as exc:
        return render(request, "search.html", status=400, q=shown_q, result=None, page=page,
                      error=exc.render(page_locale(request)), person=False)  # fmt: skip
    person: dict[str, Any] = {}
    if result.by == "code" and result.hits and result.hits[0].kind == "natural":
        person = _subject_context(request, node, result.hits[0].link)
        shown_q = ""
    return render(request, "search.html", q=shown_q, result=result, page=page, error=None,
                  pages=max(1, -(-result.total // PAGE_SIZE)), person=bool(person), **person)  # fmt: skip


@router.get("/subjects/{code}", response_class=HTMLResponse)
def subject_page(request: Request, code: str, node: Node) -> HTMLResponse:
    """Basic information and the public records, by category, as the public sees them."""
    try:
        context = _subject_context(request, node, code)
    except (CodeError, SubjectNotFoundError) as exc:
        status = 404 if isinstance(exc, SubjectNotFoundError) else 400
        return render(
            request, "error.html", status=status, message=exc.render(page_locale(request))
        )
    return render(request, "subject.html", **context)


def _subject_context(request: Request, node: PortalNode, code: str) -> dict[str, Any]:
    """What ``_subject.html`` shows; raises the code's and the registry's errors."""
    now = node.clock()
    locale = page_locale(request)
    disclosed = access_subject(node.store, PORTAL, code, now=now)
    records = access_records(node.store, PORTAL, code, catalog=node.catalog,
                             limit=RECORDS_SHOWN, offset=0, now=now)  # fmt: skip
    view = disclosed.view
    real_code = disclosed.code
    return {"view": view, "subject": view.subject, "groups": record_groups(records.page.records, node.catalog, locale),
            "total": records.page.total, "shown": len(records.page.records),
            "departments": _departments(node, locale),
            "listings": public_listings(node.store, node.pack, real_code),
            "grades": public_grades(node.store, node.pack, real_code, view.subject.subject_kind)}  # fmt: skip


@router.get("/lang/{locale}")
def switch_language(request: Request, locale: str) -> Response:
    """Remember the visitor's language and go back to the page they were on.

    Back is read from the Referer (this site's pages only), not from a
    parameter: a page's own address may hold an identity number, which must
    not be written into the page.
    """
    chosen = "en" if locale.lower().startswith("en") else "zh-CN"
    target = "/"
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc == request.url.netloc and referer.path.startswith("/"):
        target = referer.path + (f"?{referer.query}" if referer.query else "")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, chosen, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def _client(request: Request) -> str:
    """The address searches are counted by (behind a proxy, set uvicorn's --proxy-headers)."""
    return request.client.host if request.client else "unknown"


def _departments(node: PortalNode, locale: str) -> dict[str, str]:
    return {d.code: in_locale(d.name, locale) for d in node.pack.pack.departments}
