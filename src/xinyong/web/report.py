"""A credit report as a PDF: the report template, rendered by WeasyPrint.

Chinese is set in WenQuanYi Zen Hei (Debian's ``fonts-wqy-zenhei``, installed
by ``make``), embedded in the file. The verification code and the address to
verify it are on every page's footer.
"""

from __future__ import annotations

from typing import Any

from weasyprint import HTML

from xinyong.disclosure.reports import Rendered, ReportContent
from xinyong.policy.model import CatalogItem, Department
from xinyong.web import labels
from xinyong.web.records import record_groups
from xinyong.web.render import environment, translators


def render_report(
    content: ReportContent,
    *,
    catalog: dict[str, CatalogItem],
    departments: list[Department],
    node_name: Any,
    verify_url: str,
) -> Rendered:
    """The PDF of ``content`` in its locale."""
    locale = content.locale

    _, name_of = translators(locale)
    groups = record_groups(content.records.page.records, catalog, locale)
    html = environment().get_template("report.html").render(
        _=_, locale=locale, labels=labels, content=content, subject=content.subject.view.subject,
        view=content.subject.view, groups=groups, name_of=name_of,
        departments={d.code: name_of(d.name) for d in departments}, node_name=name_of(node_name),
        verify_url=verify_url, total=content.records.page.total,
    )  # fmt: skip
    document = HTML(string=html).render()
    return Rendered(document.write_pdf(), len(document.pages))
