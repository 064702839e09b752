"""Statistics the portal publishes: public records by category and month, list sizes,
and how fast each department publishes its licensing and penalty decisions.

The double-publicity rule: a department publishes a decision within seven
working days of making it (国办发〔2015〕51号; some provinces ask for less).
Counted from the decision date to the day the record reached this node, in
China's working days (:mod:`xinyong.lists.workdays`). Aggregates only.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from xinyong.clock import add_months
from xinyong.disclosure.feed import feed_items
from xinyong.disclosure.model import PUBLISHED_STATUSES
from xinyong.lists.calendar import calendar_of
from xinyong.policy.loader import LoadedPack
from xinyong.policy.model import CreditList
from xinyong.store.engine import Store
from xinyong.store.queries import statistics as queries
from xinyong.store.uow import UnitOfWork

PUBLISH_WITHIN_WORKING_DAYS = 7
MONTHS = 12


@dataclass(frozen=True)
class DepartmentDelay:
    department: str
    decisions: int
    on_time: int  # published within the rule
    median_working_days: float

    @property
    def on_time_share(self) -> float:
        return self.on_time / self.decisions if self.decisions else 0.0


@dataclass(frozen=True)
class PortalStatistics:
    months: list[str]  # YYYY-MM, oldest first
    by_category: dict[str, list[int]]  # category → count per month
    lists: list[tuple[CreditList, int]]  # published lists and their listed entries
    delays: list[DepartmentDelay]
    as_of: date

    @property
    def per_month(self) -> list[int]:
        return [sum(c[i] for c in self.by_category.values()) for i in range(len(self.months))]


def _months(today: date) -> list[str]:
    first = add_months(today.replace(day=1), -(MONTHS - 1))
    return [add_months(first, i).strftime("%Y-%m") for i in range(MONTHS)]


def portal_statistics(store: Store, loaded: LoadedPack, today: date) -> PortalStatistics:
    """The last twelve months' figures, as of ``today``."""
    months = _months(today)
    since = date.fromisoformat(months[0] + "-01")
    category = {item.code: item.category for item in loaded.pack.catalog}
    with UnitOfWork(store, read_only=True) as uow:
        counts = queries.records_by_item_and_month(
            uow.connection, scopes=("public",), statuses=PUBLISHED_STATUSES,
            disclosed_on=today, since=since,
        )  # fmt: skip
        listed = queries.listed_by_list(uow.connection, loaded.pack.meta.code)
        published = queries.publication_days(uow.connection, feed_items(loaded), since=since)
    by_category: dict[str, list[int]] = defaultdict(lambda: [0] * len(months))
    index = {m: i for i, m in enumerate(months)}
    for item, month, n in counts:
        if month in index:
            by_category[category.get(item, "other")][index[month]] += n
    lists = [(c, listed.get(c.code, 0)) for c in loaded.pack.lists if c.public]
    return PortalStatistics(months, dict(sorted(by_category.items())), lists,
                            _delays(loaded, published), today)  # fmt: skip


def _delays(loaded: LoadedPack, rows: list[tuple[str, date, date, int]]) -> list[DepartmentDelay]:
    calendar = calendar_of(loaded.pack)
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)  # department → (days, count)
    for department, decided, published, n in rows:
        spans[department].append((max(0, calendar.working_days_between(decided, published)), n))
    out = []
    for department, pairs in sorted(spans.items()):
        total = sum(n for _, n in pairs)
        on_time = sum(n for days, n in pairs if days <= PUBLISH_WITHIN_WORKING_DAYS)
        expanded = sorted(pairs)
        median = _weighted_median(expanded, total)
        out.append(DepartmentDelay(department, total, on_time, median))
    return out


def _weighted_median(pairs: list[tuple[int, int]], total: int) -> float:
    """The median of values each repeated ``count`` times, without expanding them."""
    if total == 0:
        return 0.0
    seen, halves = 0, []
    for target in sorted({(total - 1) // 2, total // 2}):
        for value, count in pairs:
            if seen + count > target:
                halves.append(value)
                break
            seen += count
        seen = 0
    return float(statistics.mean(halves))
