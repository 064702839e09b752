"""``/lists`` and ``/lists/{code}``: the published red and black lists (thin).

Entries come through :func:`xinyong.disclosure.lists.access_list_entries` as
the public: published lists only, listed entries only, natural persons masked.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse

from xinyong.disclosure.lists import access_list_entries
from xinyong.lists.errors import UnknownListError
from xinyong.web.locale import page_locale
from xinyong.web.node import Node
from xinyong.web.pages import PORTAL
from xinyong.web.render import render
from xinyong.web.stats import cached_statistics

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


@router.get("/lists", response_class=HTMLResponse)
def lists_page(request: Request, node: Node) -> HTMLResponse:
    """Every published list: what it is for, its legal basis, how many are on it."""
    figures = cached_statistics(request, node)
    return render(request, "lists.html", lists=figures.lists)


@router.get("/lists/{code}", response_class=HTMLResponse)
def list_page(
    request: Request,
    code: str,
    node: Node,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> HTMLResponse:
    """One published list's entries, newest first, with their basis."""
    try:
        disclosed = access_list_entries(node.store, PORTAL, node.pack, code, limit=PAGE_SIZE,
                                        offset=(page - 1) * PAGE_SIZE, now=node.clock())  # fmt: skip
    except UnknownListError as exc:
        return render(request, "error.html", status=404, message=exc.render(page_locale(request)))
    listing = disclosed.page
    return render(request, "list.html", listing=listing, page=page,
                  pages=max(1, -(-listing.total // PAGE_SIZE)))  # fmt: skip
