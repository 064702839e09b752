"""``/feed``: the double-publicity page of licensing and penalty decisions (thin).

The same decisions as open data are in :mod:`xinyong.web.open_data`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse

from xinyong.clock import china_date
from xinyong.disclosure.feed import FeedPage, double_publicity
from xinyong.web.node import Node, PortalNode
from xinyong.web.render import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
MAX_PAGE = 200


def decisions_page(
    node: PortalNode,
    department: str | None,
    since: date | None,
    until: date | None,
    page: int,
    size: int,
) -> FeedPage:
    return double_publicity(node.store, node.pack, today=china_date(node.clock()),
                            department=department or None, since=since, until=until,
                            limit=size, offset=(page - 1) * size)  # fmt: skip


Department = Annotated[str | None, Query(max_length=64, description="Department code.")]
Since = Annotated[date | None, Query(alias="from", description="Decided on or after.")]
Until = Annotated[date | None, Query(alias="to", description="Decided on or before.")]
PageNo = Annotated[int, Query(ge=1, le=MAX_PAGE)]


@router.get("/feed", response_class=HTMLResponse)
def feed_page(
    request: Request,
    node: Node,
    department: Department = None,
    since: Since = None,
    until: Until = None,
    page: PageNo = 1,
) -> HTMLResponse:
    """Licensing and penalty decisions, newest first, by department and date."""
    result = decisions_page(node, department, since, until, page, PAGE_SIZE)
    departments = [(d.code, d.name) for d in node.pack.pack.departments]
    items = {i.code: i.name for i in node.pack.pack.catalog}
    query = {"department": department or "", "from": since.isoformat() if since else "",
             "to": until.isoformat() if until else ""}  # fmt: skip
    return render(request, "feed.html", result=result, page=page, departments=departments,
                  items=items, query=query, pages=max(1, -(-result.total // PAGE_SIZE)))  # fmt: skip
