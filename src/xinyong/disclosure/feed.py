"""The "double publicity" feed (双公示) and open data: licensing and penalty decisions, public.

Departments must publish their administrative licensing and penalty
decisions within seven working days (国办发〔2015〕51号 and its successors);
the feed lists them as the public may see them — the same scopes, statuses
and periods as a subject page, payload fields the catalog declares public,
natural persons masked. Which catalog items belong to the feed comes from the
pack: every item of the ``licensing`` and ``penalty`` categories.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

from xinyong.codes import mask_code, mask_name
from xinyong.disclosure.model import PUBLISHED_STATUSES
from xinyong.policy.loader import LoadedPack
from xinyong.store.engine import Store
from xinyong.store.queries import feed as queries
from xinyong.store.queries.feed import COUNT_CAP, Decision
from xinyong.store.uow import UnitOfWork

CATEGORIES = ("licensing", "penalty")
_PUBLIC = ("public",)


@dataclass(frozen=True)
class FeedPage:
    decisions: list[Decision]
    total: int
    capped: bool  # more than COUNT_CAP


def feed_items(loaded: LoadedPack) -> list[str]:
    return sorted(item.code for item in loaded.pack.catalog if item.category in CATEGORIES)


def public_decision(loaded: LoadedPack, decision: Decision) -> Decision:
    """The decision as the public sees it: public payload fields, a person masked."""
    item = loaded.pack.item(decision.catalog_item)
    public = {f.name for f in item.payload if f.public} if item is not None else set()
    shown = replace(decision, payload={k: v for k, v in decision.payload.items() if k in public})
    if decision.subject_kind == "natural":
        shown = replace(shown, subject_code=mask_code(decision.subject_code),
                        subject_name=mask_name(decision.subject_name))  # fmt: skip
    return shown


def double_publicity(
    store: Store,
    loaded: LoadedPack,
    *,
    today: date,
    department: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int,
    offset: int = 0,
) -> FeedPage:
    """One page of public licensing and penalty decisions, newest first."""
    with UnitOfWork(store, read_only=True) as uow:
        rows, total = queries.decisions_page(
            uow.connection, feed_items(loaded), scopes=_PUBLIC, statuses=PUBLISHED_STATUSES,
            disclosed_on=today, department=department, since=since, until=until,
            limit=limit, offset=offset,
        )  # fmt: skip
    return FeedPage([public_decision(loaded, r) for r in rows], min(total, COUNT_CAP),
                    total > COUNT_CAP)  # fmt: skip


def every_public_decision(store: Store, loaded: LoadedPack, *, today: date) -> Iterator[Decision]:
    """All of them, oldest first, for the bulk export (streamed; one read transaction)."""
    with UnitOfWork(store, read_only=True) as uow:
        for row in queries.all_decisions(uow.connection, feed_items(loaded), scopes=_PUBLIC,
                                         statuses=PUBLISHED_STATUSES, disclosed_on=today):  # fmt: skip
            yield public_decision(loaded, row)
