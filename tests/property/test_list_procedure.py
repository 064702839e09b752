"""No path through the procedure reaches "listed" without notice and a passed window.

A Hypothesis state machine drives one entry through every step the
procedure offers, in any order, on any day from 2025 into 2027 (where the
holiday schedule is unpublished and deadlines are provisional), with
objections opened and closed at random. Whatever the path, a listed entry
was notified, listed on a day after its objection window ended by an
official calendar, and not while an objection was open.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from xinyong.clock import china_date
from xinyong.lists import model
from xinyong.lists.model import Entry, Removal, State
from xinyong.lists.rules import Basis
from xinyong.lists.workdays import WorkCalendar

CALENDAR = WorkCalendar()
BASIS = Basis("judgment_defaulters", (("r1", 1),), date(2025, 1, 2), date(2025, 1, 2))


class Procedure(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.entry: Entry | None = None
        self.today = date(2025, 1, 6)
        self.window = 3
        self.objection_open_when_listed = False

    @initialize(
        start=st.one_of(
            st.dates(date(2025, 1, 1), date(2027, 3, 1)),
            st.dates(date(2026, 12, 15), date(2026, 12, 31)),  # windows into unpublished 2027
        )
    )
    def start(self, start: date) -> None:
        self.today = start

    @property
    def now(self) -> datetime:
        return datetime(self.today.year, self.today.month, self.today.day, 2, tzinfo=UTC)

    @rule(days=st.integers(0, 20))
    def time_passes(self, days: int) -> None:
        self.today += timedelta(days=days)

    @rule(window=st.integers(1, 10))
    @precondition(lambda self: self.entry is None or self.entry.state is State.REMOVED)
    def propose(self, window: int) -> None:
        self.window = window
        self.objection_open_when_listed = False
        self.entry, _ = model.propose(BASIS, "91371082MA3C12346C", "p@1", self.now, "t")

    @rule()
    def notify(self) -> None:
        if self.entry is None:
            return
        try:
            self.entry, _ = model.notify(self.entry, self.window, CALENDAR, self.now, "t")
        except model.ProcedureError:
            assert self.entry.state is not State.PROPOSED

    @rule(open_=st.booleans())
    def objection(self, open_: bool) -> None:
        if self.entry is not None and self.entry.state in model.OPEN_STATES:
            self.entry = model.set_objection(self.entry, open_)

    @rule()
    def try_to_list(self) -> None:
        if self.entry is None:
            return
        before = self.entry
        try:
            self.entry, step = model.list_entry(before, 24, CALENDAR, self.now, "t")
        except model.ProcedureError:
            assert model.listing_hold(before, CALENDAR, self.today) is not None
            return
        assert step.from_state is State.NOTIFIED
        self.objection_open_when_listed = before.objection_open

    @rule(why=st.sampled_from(list(Removal)))
    def try_to_remove(self, why: Removal) -> None:
        if self.entry is None:
            return
        with contextlib.suppress(model.ProcedureError):  # refused: the entry stays as it was
            self.entry, _ = model.remove(self.entry, why, self.now, "t", "test")

    @invariant()
    def listed_only_after_notice_and_a_passed_official_window(self) -> None:
        entry = self.entry
        if entry is None or entry.listed_on is None:
            return
        assert entry.notified_at is not None
        assert entry.objection_until is not None
        notice_day = china_date(entry.notified_at)
        assert notice_day < entry.listed_on
        deadline = CALENDAR.add_working_days(notice_day, self.window)
        assert not deadline.provisional
        assert entry.listed_on > deadline.day
        assert CALENDAR.working_days_between(notice_day, entry.objection_until) >= self.window
        assert not self.objection_open_when_listed

    @invariant()
    def a_removed_entry_has_a_reason_and_an_open_one_none(self) -> None:
        if self.entry is not None:
            assert (self.entry.state is State.REMOVED) == (self.entry.removal is not None)


Procedure.TestCase.settings = settings(max_examples=300, stateful_step_count=40, deadline=None)
TestProcedure = Procedure.TestCase


def test_the_machine_does_reach_listed() -> None:
    """The search is not vacuous: a plain path lists the entry."""
    entry, _ = model.propose(
        BASIS, "91371082MA3C12346C", "p@1", datetime(2026, 9, 30, 2, tzinfo=UTC), "t"
    )
    entry, _ = model.notify(entry, 3, CALENDAR, datetime(2026, 9, 30, 2, tzinfo=UTC), "t")
    listed, _ = model.list_entry(entry, 24, CALENDAR, datetime(2026, 10, 11, 2, tzinfo=UTC), "t")
    assert listed.state is State.LISTED
    assert listed.until == date(2028, 10, 10)
