"""``/statistics``: public records by category and month, list sizes, publication delays (thin).

The figures are computed once every :data:`TTL` seconds per app: they move
slowly, and a visitor must not be able to make the node aggregate the whole
store at will.
"""

from __future__ import annotations

import threading
import time
from typing import cast

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from xinyong.clock import china_date
from xinyong.disclosure.statistics import (
    PUBLISH_WITHIN_WORKING_DAYS,
    PortalStatistics,
    portal_statistics,
)
from xinyong.i18n import translate
from xinyong.web import labels
from xinyong.web.charts import HEIGHT, WIDTH, bars
from xinyong.web.locale import in_locale, page_locale
from xinyong.web.node import Node, PortalNode
from xinyong.web.render import render

router = APIRouter(include_in_schema=False)
TTL = 600.0
_lock = threading.Lock()


def cached_statistics(request: Request, node: PortalNode) -> PortalStatistics:
    today = china_date(node.clock())
    with _lock:
        cache = request.app.state.__dict__.setdefault("portal_statistics", {})
        hit = cache.get(today)
        if hit is not None and time.monotonic() - hit[0] < TTL:
            return cast(PortalStatistics, hit[1])
    figures = portal_statistics(node.store, node.pack, today)
    with _lock:
        cache[today] = (time.monotonic(), figures)
    return figures


@router.get("/statistics", response_class=HTMLResponse)
def statistics_page(request: Request, node: Node) -> HTMLResponse:
    figures = cached_statistics(request, node)
    locale = page_locale(request)
    departments = {d.code: in_locale(d.name, locale) for d in node.pack.pack.departments}
    monthly = bars(list(zip(figures.months, figures.per_month, strict=True)))
    listed = bars([(in_locale(c.name, locale), n) for c, n in figures.lists])
    on_time = bars([(departments.get(d.department, d.department), d.on_time_share)
                    for d in figures.delays], percent=True)  # fmt: skip
    category_names = {
        c: translate(labels.CATEGORIES.get(c, c), locale) for c in figures.by_category
    }
    return render(request, "statistics.html", figures=figures, monthly=monthly, listed=listed,
                  on_time=on_time, width=WIDTH, height=HEIGHT, departments=departments,
                  category_names=category_names, rule=PUBLISH_WITHIN_WORKING_DAYS)  # fmt: skip
