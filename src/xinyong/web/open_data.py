"""``/open-data/…``: public decisions and published lists as JSON pages and bulk files (thin).

| URL | what |
|---|---|
| ``/open-data/decisions.json?page=&department=&from=&to=`` | 100 decisions a page, newest first, with ``next`` |
| ``/open-data/decisions.csv`` · ``.jsonl`` | every public decision, oldest first |
| ``/open-data/lists/{code}.json?page=`` | 100 entries of a published list a page, newest first |
| ``/open-data/lists/{code}.csv`` · ``.jsonl`` | every listed entry, newest first |

Stable URLs, no key needed: the data are public, read through
:mod:`xinyong.disclosure` as the portal reads them (natural persons masked).
Every answer carries the licence (``XINYONG_OPEN_DATA_LICENCE``) in the body
or a ``Link: rel="license"`` header. Bulk files stream. An unknown list is a
problem+json 404 before any byte of a file is sent.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse, JSONResponse, StreamingResponse

from xinyong.clock import china_date
from xinyong.disclosure.feed import every_public_decision
from xinyong.disclosure.lists import access_list_entries, every_public_entry, published_list
from xinyong.lists.views import EntryView
from xinyong.policy.model import CreditList
from xinyong.store.queries.feed import Decision
from xinyong.web.feed import MAX_PAGE, Department, PageNo, Since, Until, decisions_page
from xinyong.web.node import Node, PortalNode
from xinyong.web.pages import PORTAL
from xinyong.web.render import render

router = APIRouter(include_in_schema=False)
JSON_PAGE = 100
DECISION_COLUMNS = ("record_id", "version", "catalog_item", "department", "jurisdiction",
                    "document_number", "decided_on", "severity", "status", "subject_code",
                    "subject_name", "subject_kind", "payload")  # fmt: skip
ENTRY_COLUMNS = ("list", "entry_id", "subject_code", "subject_name", "subject_kind",
                 "listed_on", "until", "documents")  # fmt: skip
_FORMULA = ("=", "+", "-", "@")


def _licence_header(node: PortalNode) -> dict[str, str]:
    return {"Link": f'<{node.settings.open_data_licence_url}>; rel="license"'}


def _next_url(request: Request, page: int, total: int) -> str | None:
    """The next page's URL with the same filters, or None on the last page."""
    if page * JSON_PAGE >= total or page >= MAX_PAGE:
        return None
    kept = {k: v for k, v in request.query_params.multi_items() if k != "page"}
    return str(request.url.replace_query_params(**kept, page=page + 1))


def _neutralised(cell: str) -> str:
    """A spreadsheet must not run a cell: one starting with = + - @ gets a leading '."""
    return "'" + cell if cell.startswith(_FORMULA) else cell


def _csv_lines(header: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterator[str]:
    """CSV as UTF-8 with a BOM (for spreadsheets), one line at a time, formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_neutralised(cell) for cell in row])
        yield buffer.getvalue()


def _bulk(node: PortalNode, lines: Iterator[str], filename: str, media: str) -> StreamingResponse:
    headers = {**_licence_header(node),
               "Content-Disposition": f'attachment; filename="{filename}"'}  # fmt: skip
    return StreamingResponse(lines, media_type=media, headers=headers)


def _json_lines(items: Iterable[dict[str, Any]]) -> Iterator[str]:
    for item in items:
        yield json.dumps(item, ensure_ascii=False) + "\n"


def _decision_json(d: Decision) -> dict[str, Any]:
    return {
        "record_id": d.record_id, "version": d.version, "catalog_item": d.catalog_item,
        "department": d.department, "jurisdiction": d.jurisdiction,
        "document_number": d.document_number, "decided_on": d.decided_on.isoformat(),
        "severity": d.severity, "status": d.status, "payload": d.payload,
        "subject": {"code": d.subject_code, "name": d.subject_name, "kind": d.subject_kind},
    }  # fmt: skip


def _decision_row(d: Decision) -> list[str]:
    return [str(d.record_id), str(d.version), d.catalog_item, d.department, d.jurisdiction,
            d.document_number, d.decided_on.isoformat(), d.severity or "", d.status,
            d.subject_code, d.subject_name, d.subject_kind,
            json.dumps(d.payload, ensure_ascii=False)]  # fmt: skip


def _decisions(node: PortalNode) -> Iterator[Decision]:
    return every_public_decision(node.store, node.pack, today=china_date(node.clock()))


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
    result = decisions_page(node, department, since, until, page, JSON_PAGE)
    body = {"licence": node.settings.open_data_licence, "total": result.total,
            "total_capped": result.capped, "page": page,
            "next": _next_url(request, page, result.total),
            "items": [_decision_json(d) for d in result.decisions]}  # fmt: skip
    return JSONResponse(body, headers=_licence_header(node))


@router.get("/open-data/decisions.csv")
def decisions_csv(node: Node) -> StreamingResponse:
    """Every public decision as CSV, oldest first."""
    lines = _csv_lines(DECISION_COLUMNS, map(_decision_row, _decisions(node)))
    return _bulk(node, lines, "decisions.csv", "text/csv; charset=utf-8")


@router.get("/open-data/decisions.jsonl")
def decisions_jsonl(node: Node) -> StreamingResponse:
    """Every public decision as JSON Lines, oldest first."""
    lines = _json_lines(map(_decision_json, _decisions(node)))
    return _bulk(node, lines, "decisions.jsonl", "application/x-ndjson")


def _list_json(rule: CreditList) -> dict[str, Any]:
    return {"code": rule.code, "kind": rule.kind, "name": rule.name.model_dump(),
            "legal_basis": rule.legal_basis}  # fmt: skip


def _entry_json(view: EntryView) -> dict[str, Any]:
    entry = view.entry
    return {
        "list": entry.list_code, "entry_id": entry.id,
        "subject": {"code": entry.subject_code, "name": view.subject_name,
                    "kind": view.subject_kind},
        "listed_on": entry.listed_on.isoformat() if entry.listed_on else None,
        "until": view.until.isoformat() if view.until else None,
        "documents": list(entry.basis.get("documents", ())),
    }  # fmt: skip


def _entry_row(view: EntryView) -> list[str]:
    item = _entry_json(view)
    return [item["list"], str(item["entry_id"]), item["subject"]["code"],
            item["subject"]["name"], item["subject"]["kind"], item["listed_on"] or "",
            item["until"] or "", "；".join(item["documents"])]  # fmt: skip


def _entries(node: PortalNode, code: str) -> Iterator[EntryView]:
    published_list(node.pack, code)  # unknown: a 404 now, not a broken file later
    return every_public_entry(node.store, PORTAL, node.pack, code, now=node.clock())


@router.get("/open-data/lists/{code}.json")
def list_json(
    request: Request,
    code: str,
    node: Node,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> JSONResponse:
    """One page (100) of a published list's entries, newest first, with the list's basis."""
    disclosed = access_list_entries(node.store, PORTAL, node.pack, code, limit=JSON_PAGE,
                                    offset=(page - 1) * JSON_PAGE, now=node.clock())  # fmt: skip
    listing = disclosed.page
    body = {"licence": node.settings.open_data_licence, "list": _list_json(listing.rule),
            "total": listing.total, "page": page,
            "next": _next_url(request, page, listing.total),
            "items": [_entry_json(v) for v in listing.entries]}  # fmt: skip
    return JSONResponse(body, headers=_licence_header(node))


@router.get("/open-data/lists/{code}.csv")
def list_csv(code: str, node: Node) -> StreamingResponse:
    """Every listed entry of a published list as CSV, newest first."""
    lines = _csv_lines(ENTRY_COLUMNS, map(_entry_row, _entries(node, code)))
    return _bulk(node, lines, f"{code}.csv", "text/csv; charset=utf-8")


@router.get("/open-data/lists/{code}.jsonl")
def list_jsonl(code: str, node: Node) -> StreamingResponse:
    """Every listed entry of a published list as JSON Lines, newest first."""
    lines = _json_lines(map(_entry_json, _entries(node, code)))
    return _bulk(node, lines, f"{code}.jsonl", "application/x-ndjson")


@router.get("/open-data", response_class=HTMLResponse)
def open_data_page(request: Request, node: Node) -> HTMLResponse:
    """What can be downloaded, in which formats, under which licence."""
    lists = [c for c in node.pack.pack.lists if c.public]
    return render(request, "open_data.html", licence=node.settings.open_data_licence,
                  licence_url=node.settings.open_data_licence_url, lists=lists)  # fmt: skip
