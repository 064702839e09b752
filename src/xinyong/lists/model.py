"""The listing procedure: proposed → notified → listed → removed, and nothing else.

No sanction without notice and a chance to object (国办发〔2020〕49号): an
entry is listed only from *notified*, only once its objection window has
passed by an official calendar (a deadline counted in a year whose holiday
schedule is not yet published is provisional and holds the listing), and
never while an objection is open. Every transition is a pure function that
returns the new entry and the :class:`Transition` to store and audit; the
service persists both. A removed entry stays removed: a subject that
qualifies again gets a new entry, a new notice and a new window.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from xinyong.clock import add_months, china_date, last_day
from xinyong.lists.rules import Basis
from xinyong.lists.workdays import WorkCalendar


class State(StrEnum):
    PROPOSED = "proposed"
    NOTIFIED = "notified"
    LISTED = "listed"
    REMOVED = "removed"


class Removal(StrEnum):
    """Why an entry ended."""

    EXPIRED = "expired"  # its listing period ran out
    REPAIRED = "repaired"  # a basis record was repaired (credit repair)
    BASIS_REVOKED = "basis_revoked"  # a basis record was revoked or corrected
    DECISION = "decision"  # an operator's decision (an objection upheld, a court order …)


OPEN_STATES = frozenset({State.PROPOSED, State.NOTIFIED, State.LISTED})


class ProcedureError(ValueError):
    """A transition the procedure does not allow (the message says which and why)."""


@dataclass(frozen=True)
class Entry:
    """One subject's entry on one list, with its basis and its deadlines."""

    list_code: str
    subject_code: str
    basis: Basis
    policy_version: str
    state: State
    proposed_at: datetime
    notified_at: datetime | None = None
    objection_until: date | None = None  # last day to object
    deadline_provisional: bool = False
    objection_open: bool = False
    listed_on: date | None = None
    expires_on: date | None = None  # first day it no longer applies; None: until removed
    removed_at: datetime | None = None
    removal: Removal | None = None
    id: int | None = None

    @property
    def until(self) -> date | None:
        """The last day a listed entry applies (None: until removed)."""
        return last_day(self.expires_on)


@dataclass(frozen=True)
class Transition:
    """One step of an entry's procedure, as it is stored and audited."""

    from_state: State | None
    to_state: State
    at: datetime
    actor: str
    reason: str


def propose(
    basis: Basis, subject_code: str, policy_version: str, now: datetime, actor: str
) -> tuple[Entry, Transition]:
    """A new entry derived from ``basis``; nothing applies to the subject yet."""
    entry = Entry(basis.list_code, subject_code, basis, policy_version, State.PROPOSED, now)
    return entry, Transition(
        None, State.PROPOSED, now, actor, "the rule holds on the basis records"
    )


def notify(
    entry: Entry, window: int, calendar: WorkCalendar, now: datetime, actor: str
) -> tuple[Entry, Transition]:
    """Issue the written notice; the objection window runs ``window`` working days after it."""
    _require(entry, State.PROPOSED, "notify")
    deadline = calendar.add_working_days(china_date(now), window)
    new = replace(
        entry,
        state=State.NOTIFIED,
        notified_at=now,
        objection_until=deadline.day,
        deadline_provisional=deadline.provisional,
    )
    reason = f"notice issued; objections until {deadline.day.isoformat()}"
    return new, Transition(State.PROPOSED, State.NOTIFIED, now, actor, reason)


@dataclass(frozen=True)
class Hold:
    """Why a notified entry cannot be listed yet; ``waiting`` when only time will lift it."""

    reason: str
    waiting: bool = False

    def __str__(self) -> str:
        return self.reason


def listing_hold(entry: Entry, calendar: WorkCalendar, today: date) -> Hold | None:
    """Why a notified entry cannot be listed on ``today``; None when it can."""
    if entry.state is not State.NOTIFIED or entry.notified_at is None:
        return Hold(f"an entry is listed only after notice (it is {entry.state})")
    if entry.objection_open:
        return Hold("an objection is open")
    if entry.objection_until is None or today <= entry.objection_until:
        return Hold("the objection window has not passed", waiting=True)
    if entry.deadline_provisional and not calendar.is_official(entry.objection_until.year):
        return Hold(
            f"the window ends in {entry.objection_until.year}, whose official holiday "
            "schedule is not known: add it to the policy pack"
        )
    return None


def recount(entry: Entry, window: int, calendar: WorkCalendar) -> Entry:
    """A provisional deadline counted again, now that its year may be official.

    Never earlier than the day the notice named: a window the subject was
    told about is not shortened by a schedule published afterwards.
    """
    if not entry.deadline_provisional or entry.notified_at is None:
        return entry
    deadline = calendar.add_working_days(china_date(entry.notified_at), window)
    told = entry.objection_until or deadline.day
    return replace(
        entry, objection_until=max(told, deadline.day), deadline_provisional=deadline.provisional
    )


def list_entry(
    entry: Entry,
    period_months: int | None,
    calendar: WorkCalendar,
    now: datetime,
    actor: str,
) -> tuple[Entry, Transition]:
    """List a notified entry whose window has passed; the period runs from today."""
    today = china_date(now)
    hold = listing_hold(entry, calendar, today)
    if hold is not None:
        raise ProcedureError(f"cannot list: {hold}")
    expires = add_months(today, period_months) if period_months is not None else None
    new = replace(entry, state=State.LISTED, listed_on=today, expires_on=expires)
    assert entry.objection_until is not None  # listing_hold saw to it
    reason = f"objection window passed on {entry.objection_until.isoformat()}"
    return new, Transition(State.NOTIFIED, State.LISTED, now, actor, reason)


def remove(
    entry: Entry, why: Removal, now: datetime, actor: str, detail: str
) -> tuple[Entry, Transition]:
    """End an open entry (of any open state) for ``why``."""
    if entry.state not in OPEN_STATES:
        raise ProcedureError(f"cannot remove an entry that is {entry.state}")
    if why is Removal.EXPIRED and (
        entry.state is not State.LISTED
        or entry.expires_on is None
        or china_date(now) < entry.expires_on
    ):
        raise ProcedureError("only a listed entry whose period has run out expires")
    new = replace(entry, state=State.REMOVED, removed_at=now, removal=why)
    return new, Transition(entry.state, State.REMOVED, now, actor, f"{why}: {detail}")


def set_objection(entry: Entry, open_: bool) -> Entry:
    """Mark an objection to the entry open or decided (the rights workflow calls this)."""
    if entry.state not in OPEN_STATES:
        raise ProcedureError(f"an entry that is {entry.state} cannot be objected to")
    return replace(entry, objection_open=open_)


def expired(entry: Entry, today: date) -> bool:
    """Whether a listed entry's period has run out by ``today``."""
    return (
        entry.state is State.LISTED and entry.expires_on is not None and today >= entry.expires_on
    )


def _require(entry: Entry, state: State, action: str) -> None:
    if entry.state is not state:
        raise ProcedureError(f"cannot {action} an entry that is {entry.state} (it must be {state})")
