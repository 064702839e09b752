"""A credit report as a PDF: the report template, rendered by WeasyPrint.

Chinese is set in WenQuanYi Zen Hei (Debian's ``fonts-wqy-zenhei``, installed
by ``make``), embedded in the file. The verification code and the address to
verify it are on every page's footer.
"""

from __future__ import annotations

from typing import Any

from weasyprint import HTML

from xinyong.disclosure.reports import Rendered, ReportContent
from xinyong.i18n import translate
from xinyong.policy.model import CatalogItem, Department
from xinyong.web import labels
from xinyong.web.locale import in_locale
from xinyong.web.render import environment


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

    def _(message: str, **fields: Any) -> str:
        text = translate(message, locale)
        return text.format(**fields) if fields else text

    def name_of(names: Any) -> str:
        return in_locale(names, locale)

    groups: dict[str, list[tuple[Any, str, list[tuple[str, Any]]]]] = {}
    for record in content.records.page.records:
        item = catalog.get(record.catalog_item)
        fields_ = {f.name: name_of(f.label) for f in item.payload} if item else {}
        line = (record, name_of(item.name) if item else record.catalog_item,
                [(fields_.get(k, k), v) for k, v in record.payload.items()])  # fmt: skip
        groups.setdefault(item.category if item else "other", []).append(line)
    html = environment().get_template("report.html").render(
        _=_, locale=locale, labels=labels, content=content, subject=content.subject.view.subject,
        view=content.subject.view, groups=sorted(groups.items()), name_of=name_of,
        departments={d.code: name_of(d.name) for d in departments}, node_name=name_of(node_name),
        verify_url=verify_url, total=content.records.page.total,
    )  # fmt: skip
    document = HTML(string=html).render()
    return Rendered(document.write_pdf(), len(document.pages))
