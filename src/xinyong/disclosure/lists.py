"""What each caller may see of a list: ``access_list_entries``.

| role | lists | states | natural persons |
|---|---|---|---|
| operator | all | any asked for | whole |
| department, checker | all | listed | whole |
| agency, public | published lists only | listed | code and name masked |

Entries not yet listed (proposed, notified) are a procedure in progress, not
public credit information: only the operator sees them. A read of anything
the public could not read is audited before the data leaves.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from xinyong.clock import last_day
from xinyong.codes import mask_code, mask_name
from xinyong.disclosure.model import Access
from xinyong.disclosure.service import audit_access
from xinyong.keys.model import Principal, Role
from xinyong.lists.errors import UnknownListError
from xinyong.lists.model import State
from xinyong.lists.views import EntriesPage, EntryView, credit_list, list_entries
from xinyong.policy.loader import LoadedPack
from xinyong.policy.model import CreditList
from xinyong.store.engine import Store
from xinyong.store.queries.lists import listed_of_subject
from xinyong.store.uow import UnitOfWork

_GOVERNMENT = frozenset({Role.OPERATOR, Role.DEPARTMENT, Role.CHECKER})


@dataclass(frozen=True)
class DisclosedEntries:
    page: EntriesPage
    masked: bool  # natural persons' codes and names were masked


def published_list(loaded: LoadedPack, list_code: str) -> CreditList:
    """The pack's published list ``list_code``, or :class:`UnknownListError`.

    An unpublished list does not exist for the public: the same answer as a typo.
    """
    found = next((c for c in loaded.pack.lists if c.code == list_code and c.public), None)
    if found is None:
        known = ", ".join(sorted(entry.code for entry in loaded.pack.lists if entry.public))
        raise UnknownListError(list=list_code, known=known)
    return found


def access_list_entries(
    store: Store,
    principal: Principal,
    loaded: LoadedPack,
    list_code: str,
    *,
    states: Sequence[State] = (State.LISTED,),
    limit: int,
    offset: int,
    now: datetime,
) -> DisclosedEntries:
    """One page of a list's entries as ``principal`` may see them (see the module table)."""
    government = principal.role in _GOVERNMENT
    rule = credit_list(loaded, list_code) if government else published_list(loaded, list_code)
    shown = tuple(states) if principal.role is Role.OPERATOR else (State.LISTED,)
    page = list_entries(store, loaded, list_code, states=shown, limit=limit, offset=offset)
    if government:
        if not rule.public or shown != (State.LISTED,):
            detail = {"list": list_code, "states": [str(s) for s in shown],
                      "entries": [v.entry.id for v in page.entries]}  # fmt: skip
            audit_access(store, principal, Access("list.read", f"list:{list_code}", detail), now)
        return DisclosedEntries(page, masked=False)
    return DisclosedEntries(replace(page, entries=[_masked(v) for v in page.entries]), masked=True)


def _masked(view: EntryView) -> EntryView:
    if view.subject_kind != "natural":
        return view
    entry = replace(view.entry, subject_code=mask_code(view.entry.subject_code))
    return EntryView(entry, mask_name(view.subject_name), view.subject_kind)


@dataclass(frozen=True)
class PublicListing:
    """A subject's entry on a published list, with what it rests on, as the public sees it."""

    list: CreditList
    listed_on: date | None
    expires_on: date | None
    documents: tuple[str, ...]  # the basis records' document numbers
    entry_id: int

    @property
    def until(self) -> date | None:
        """The last day the entry applies (None: until removed)."""
        return last_day(self.expires_on)


def public_listings(store: Store, loaded: LoadedPack, code: str) -> list[PublicListing]:
    """The subject's entries on published lists, state listed (what a subject page shows)."""
    lists = {c.code: c for c in loaded.pack.lists if c.public}
    with UnitOfWork(store, read_only=True) as uow:
        rows = listed_of_subject(uow.connection, loaded.pack.meta.code, code)
    return [
        PublicListing(
            lists[row.list_code],
            row.listed_on,
            row.expires_on,
            tuple(row.basis.get("documents", ())),
            int(row.id or 0),
        )
        for row in rows
        if row.list_code in lists
    ]


def every_public_entry(
    store: Store, principal: Principal, loaded: LoadedPack, list_code: str, *, now: datetime,
    batch: int = 1000,
) -> Iterator[EntryView]:  # fmt: skip
    """Every listed entry of a list as ``principal`` may see it, newest first (bulk export).

    Read in pages of ``batch``, each its own short read: an export of a long
    list does not hold one transaction open while a slow client reads.
    """
    offset = 0
    while True:
        disclosed = access_list_entries(store, principal, loaded, list_code,
                                        limit=batch, offset=offset, now=now)  # fmt: skip
        yield from disclosed.page.entries
        if len(disclosed.page.entries) < batch:
            return
        offset += batch
