"""``/reports/{code}.pdf`` (issue a credit report) and ``/verify/{code}`` (check one) — thin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request, UploadFile
from starlette.responses import HTMLResponse, Response

from xinyong.codes import CodeError
from xinyong.disclosure.reports import (
    Rendered,
    ReportContent,
    ReportNotFoundError,
    issue_report,
    verify_report,
)
from xinyong.registry.errors import SubjectNotFoundError
from xinyong.web.locale import page_locale
from xinyong.web.node import Node, PortalNode
from xinyong.web.pages import PORTAL
from xinyong.web.render import render
from xinyong.web.report import render_report

router = APIRouter(include_in_schema=False)
MAX_PDF_BYTES = 20 * 1024 * 1024


def report_renderer(node: PortalNode, verify_base: str) -> Callable[[ReportContent], Rendered]:
    """The renderer ``issue_report`` calls, for this node and this site's address."""

    def render_pdf(content: ReportContent) -> Rendered:
        return render_report(
            content,
            catalog=dict(node.catalog),
            departments=node.pack.pack.departments,
            node_name=node.pack.pack.meta.name,
            verify_url=f"{verify_base}/verify/{content.verification_code}",
        )

    return render_pdf


@router.get("/reports/{code}.pdf")
def report_pdf(request: Request, code: str, node: Node) -> Response:
    """Issue a credit report of the subject's public information, as a PDF download."""
    locale = page_locale(request)
    base = str(request.base_url).rstrip("/")
    try:
        content, rendered = issue_report(
            node.store, node.pack, PORTAL, code, catalog=node.catalog, locale=locale,
            now=node.clock(), render=report_renderer(node, base),
        )  # fmt: skip
    except (CodeError, SubjectNotFoundError) as exc:
        status = 404 if isinstance(exc, SubjectNotFoundError) else 400
        return render(request, "error.html", status=status, message=exc.render(locale))
    filename = f"credit-report-{content.verification_code}.pdf"
    return Response(rendered.pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})  # fmt: skip


@router.get("/verify/{verification_code}", response_class=HTMLResponse)
def verify_page(request: Request, verification_code: str, node: Node) -> HTMLResponse:
    """Whether a report with this code was issued: when, and for whom (as it printed them)."""
    return _verified(request, node, verification_code, None)


@router.post("/verify/{verification_code}", response_class=HTMLResponse)
async def verify_upload(
    request: Request,
    verification_code: str,
    node: Node,
    report: Annotated[UploadFile, Form(description="The report's PDF file.")],
) -> HTMLResponse:
    """Whether the uploaded file is the issued report, byte for byte."""
    pdf = await report.read(MAX_PDF_BYTES + 1)
    return _verified(request, node, verification_code, pdf[:MAX_PDF_BYTES])


def _verified(request: Request, node: PortalNode, code: str, pdf: bytes | None) -> HTMLResponse:
    try:
        result = verify_report(node.store, code, pdf)
    except ReportNotFoundError as exc:
        return render(request, "verify.html", status=404, result=None,
                      error=exc.render(page_locale(request)), code=code[:40])  # fmt: skip
    return render(
        request, "verify.html", result=result, error=None, code=result.report.verification_code
    )
