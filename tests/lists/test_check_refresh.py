"""The check index follows the store's list changes, even those committed out of order.

On PostgreSQL, transition ids come from a sequence: a transaction can take
id n, another take n + 1 and commit first. A refresh in between sees n + 1
only; the change behind n must still reach the index when it commits.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.lists.helpers import COMPANY, Node, at, court_defaulter, entries, registration, send
from xinyong.checks.service import Checker
from xinyong.keys.model import Principal, Role
from xinyong.lists.model import Removal, remove
from xinyong.lists.rows import entry_of, row_of
from xinyong.lists.service import run_lists
from xinyong.store.queries import lists as queries
from xinyong.store.uow import UnitOfWork
from xinyong.synth.ids import make_uscc

OTHER = make_uscc("91", "371082", "MA3C5678")
CHECKER = Principal(key_id=1, prefix="t", name="t", role=Role.CHECKER)
LATER = datetime(2026, 10, 20, 2, tzinfo=UTC)


def _outcome(checker: Checker, code: str) -> str:
    return checker.check(CHECKER, code, "flight_ticket", LATER).decision.outcome


def _removal(conn: object, row: queries.EntryRow) -> None:
    entry, step = remove(entry_of(row), Removal.DECISION, LATER, "t", "test")
    queries.update_entry(conn, row_of(entry, "rongcheng", LATER))  # type: ignore[arg-type]
    queries.insert_transitions(conn, [queries.TransitionRow(  # type: ignore[arg-type]
        row.id or 0, step.from_state, step.to_state, step.at, step.actor, step.reason)])  # fmt: skip


@pytest.fixture
def two_listed(node: Node) -> Node:
    _, store, pack = node
    send(node, [registration(), registration(OTHER)], "samr", at(2026, 9, 1))
    send(
        node, [court_defaulter(), replace_number(court_defaulter(OTHER))], "court", at(2026, 9, 29)
    )
    run_lists(store, pack, at(2026, 9, 30))
    run_lists(store, pack, at(2026, 10, 11))
    assert len(entries(store, "judgment_defaulters", states=("listed",))) == 2
    return node


def replace_number(item: dict[str, object]) -> dict[str, object]:
    return item | {"document_number": "（2026）鲁1082执101号"}


def test_a_refresh_takes_in_committed_removals(two_listed: Node) -> None:
    _, store, pack = two_listed
    checker = Checker(store, pack)
    assert (_outcome(checker, COMPANY), _outcome(checker, OTHER)) == ("restrict", "restrict")
    first, _second = sorted(entries(store, "judgment_defaulters"), key=lambda e: e.id or 0)
    with UnitOfWork(store) as uow:
        _removal(uow.connection, first)
        uow.commit()
    assert _outcome(checker, first.subject_code) == "restrict"  # not refreshed yet
    assert checker.refresh() == 1
    assert _outcome(checker, first.subject_code) == "proceed"
    assert checker.refresh() == 0


# PostgreSQL only: SQLite has one writer at a time, so its ids commit in order.
@pytest.mark.parametrize(
    "store_url", [pytest.param("postgresql", marks=pytest.mark.pg)], indirect=True
)
def test_a_change_committed_after_a_later_one_still_arrives(two_listed: Node) -> None:
    _, store, pack = two_listed
    checker = Checker(store, pack)
    first, second = sorted(entries(store, "judgment_defaulters"), key=lambda e: e.id or 0)
    slow = UnitOfWork(store)
    with slow:
        _removal(slow.connection, first)  # takes the lower transition id, commits last
        with UnitOfWork(store) as fast:
            _removal(fast.connection, second)
            fast.commit()
        assert checker.refresh() == 1
        assert _outcome(checker, second.subject_code) == "proceed"
        assert _outcome(checker, first.subject_code) == "restrict"  # not committed yet
        slow.commit()
    assert checker.refresh() == 1  # the skipped id, asked for again
    assert _outcome(checker, first.subject_code) == "proceed"
