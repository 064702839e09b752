"""Reading lists back: a list's entries page by page, and one entry with its steps and notice.

Read-only units of work; what each caller may see of them is decided in
:mod:`xinyong.disclosure.lists`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from xinyong.clock import last_day
from xinyong.lists.errors import EntryNotFoundError, UnknownListError
from xinyong.lists.model import State
from xinyong.policy.loader import LoadedPack
from xinyong.policy.model import CreditList
from xinyong.store.engine import Store
from xinyong.store.queries import lists as queries
from xinyong.store.uow import UnitOfWork


@dataclass(frozen=True)
class EntryView:
    """An entry as it is shown: its row, its subject's name and kind."""

    entry: queries.EntryRow
    subject_name: str
    subject_kind: str

    @property
    def until(self) -> date | None:
        """The last day the entry applies (None: until removed)."""
        return last_day(self.entry.expires_on)


@dataclass(frozen=True)
class EntriesPage:
    rule: CreditList
    entries: list[EntryView]
    total: int


def credit_list(loaded: LoadedPack, code: str) -> CreditList:
    """The pack's list ``code``, or :class:`UnknownListError` naming the lists there are."""
    found = next((entry for entry in loaded.pack.lists if entry.code == code), None)
    if found is None:
        known = ", ".join(sorted(entry.code for entry in loaded.pack.lists)) or "none"
        raise UnknownListError(list=code, known=known)
    return found


def list_entries(
    store: Store,
    loaded: LoadedPack,
    list_code: str,
    *,
    states: Iterable[str] = (State.LISTED,),
    limit: int = 50,
    offset: int = 0,
) -> EntriesPage:
    """One page of a list's entries in ``states``, newest first."""
    chosen = credit_list(loaded, list_code)
    with UnitOfWork(store, read_only=True) as uow:
        views, total = queries.entry_views(
            uow.connection,
            loaded.pack.meta.code,
            list_code,
            states=[str(State(s)) for s in states],
            limit=limit,
            offset=offset,
        )
    return EntriesPage(chosen, [EntryView(*view) for view in views], total)


@dataclass(frozen=True)
class EntryDetail:
    entry: queries.EntryRow
    steps: list[queries.TransitionRow]
    notice: queries.NoticeRow | None


def entry_detail(store: Store, entry_id: int) -> EntryDetail:
    """An entry with every step it took and the notice it was given."""
    with UnitOfWork(store, read_only=True) as uow:
        row = queries.get_entry(uow.connection, entry_id)
        if row is None:
            raise EntryNotFoundError(entry=entry_id)
        steps = queries.transitions(uow.connection, entry_id)
        notice = queries.notice_of(uow.connection, entry_id)
    return EntryDetail(row, steps, notice)


def subject_entries(store: Store, code: str) -> list[EntryDetail]:
    """Every entry of the subject (any list, any state) with its steps and notice."""
    with UnitOfWork(store, read_only=True) as uow:
        rows = queries.entries_of_subject(uow.connection, code)
        return [
            EntryDetail(row, queries.transitions(uow.connection, row.id or 0),
                        queries.notice_of(uow.connection, row.id or 0))
            for row in rows
        ]  # fmt: skip
