"""``/feed`` (the double-publicity page) and ``/open-data/…`` (the same as JSON and bulk files).

Stable URLs, no key needed: the data are public. The JSON pages and the bulk
files carry the licence (``XINYONG_OPEN_DATA_LICENCE``) in the body or a
``Link: rel="license"`` header. The bulk files stream, oldest decision first.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse, JSONResponse, StreamingResponse

from xinyong.clock import china_date
from xinyong.disclosure.feed import FeedPage, double_publicity, every_public_decision
from xinyong.store.queries.feed import Decision
from xinyong.web.node import Node, PortalNode
from xinyong.web.render import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
MAX_PAGE = 200
CSV_COLUMNS = ("record_id", "version", "catalog_item", "department", "jurisdiction",
               "document_number", "decided_on", "severity", "status", "subject_code",
               "subject_name", "subject_kind", "payload")  # fmt: skip


def _page(
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
    result = _page(node, department, since, until, page, PAGE_SIZE)
    departments = [(d.code, d.name) for d in node.pack.pack.departments]
    items = {i.code: i.name for i in node.pack.pack.catalog}
    query = {"department": department or "", "from": since.isoformat() if since else "",
             "to": until.isoformat() if until else ""}  # fmt: skip
    return render(request, "feed.html", result=result, page=page, departments=departments,
                  items=items, query=query, pages=max(1, -(-result.total // PAGE_SIZE)))  # fmt: skip


def _decision_json(d: Decision) -> dict[str, Any]:
    return {
        "record_id": d.record_id, "version": d.version, "catalog_item": d.catalog_item,
        "department": d.department, "jurisdiction": d.jurisdiction,
        "document_number": d.document_number, "decided_on": d.decided_on.isoformat(),
        "severity": d.severity, "status": d.status, "payload": d.payload,
        "subject": {"code": d.subject_code, "name": d.subject_name, "kind": d.subject_kind},
    }  # fmt: skip


@router.get("/open-data/decisions.json")
def decisions_json(
    request: Request,
    node: Node,
    department: Department = None,
    since: Since = None,
    until: Until = None,
    page: PageNo = 1,
) -> JSONResponse:
    """One page (100) of public decisions, newest first, with the licence and the next page."""
    size = 100
    result = _page(node, department, since, until, page, size)
    more = page * size < result.total and page < MAX_PAGE
    params = request.query_params.multi_items()
    base = [(k, v) for k, v in params if k != "page"]
    next_url = str(request.url.replace_query_params(**dict(base), page=page + 1)) if more else None
    body = {"licence": node.settings.open_data_licence, "total": result.total,
            "total_capped": result.capped, "page": page, "next": next_url,
            "items": [_decision_json(d) for d in result.decisions]}  # fmt: skip
    return JSONResponse(body, headers=_licence_header(node))


def _licence_header(node: PortalNode) -> dict[str, str]:
    return {"Link": f'<{node.settings.open_data_licence_url}>; rel="license"'}


@router.get("/open-data/decisions.csv")
def decisions_csv(node: Node) -> StreamingResponse:
    """Every public decision as CSV (UTF-8 with BOM, for spreadsheets), oldest first."""

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        yield "\ufeff" + buffer.getvalue()
        for d in every_public_decision(node.store, node.pack, today=china_date(node.clock())):
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([d.record_id, d.version, d.catalog_item, d.department,
                             d.jurisdiction, d.document_number, d.decided_on.isoformat(),
                             d.severity or "", d.status, d.subject_code, d.subject_name,
                             d.subject_kind, json.dumps(d.payload, ensure_ascii=False)])  # fmt: skip
            yield _neutralised(buffer.getvalue())

    headers = {
        **_licence_header(node),
        "Content-Disposition": 'attachment; filename="decisions.csv"',
    }
    return StreamingResponse(rows(), media_type="text/csv; charset=utf-8", headers=headers)


def _neutralised(line: str) -> str:
    """A spreadsheet must not run a cell: cells starting with = + - @ get a leading '."""
    cells = next(csv.reader([line]))
    if not any(c[:1] in ("=", "+", "-", "@") for c in cells):
        return line
    buffer = io.StringIO()
    csv.writer(buffer).writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in cells])
    return buffer.getvalue()


@router.get("/open-data/decisions.jsonl")
def decisions_jsonl(node: Node) -> StreamingResponse:
    """Every public decision as JSON Lines, oldest first."""

    def lines() -> Iterator[str]:
        for d in every_public_decision(node.store, node.pack, today=china_date(node.clock())):
            yield json.dumps(_decision_json(d), ensure_ascii=False) + "\n"

    headers = {**_licence_header(node),
               "Content-Disposition": 'attachment; filename="decisions.jsonl"'}  # fmt: skip
    return StreamingResponse(lines(), media_type="application/x-ndjson", headers=headers)


@router.get("/open-data", response_class=HTMLResponse)
def open_data_page(request: Request, node: Node) -> HTMLResponse:
    """What can be downloaded, in which formats, under which licence."""
    return render(request, "open_data.html", licence=node.settings.open_data_licence,
                  licence_url=node.settings.open_data_licence_url)  # fmt: skip
