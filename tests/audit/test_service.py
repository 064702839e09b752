"""Appending and verifying against real databases (SQLite and PostgreSQL).

Tampering goes around the service, straight at the table, as someone with
write access to the database would.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update

from xinyong.audit.model import EMPTY, GENESIS, AuditDraft, Break, Head, link_hash
from xinyong.audit.service import append_event, append_events, entries_for_target, verify_log
from xinyong.store.engine import Store
from xinyong.store.queries import audit as queries
from xinyong.store.tables import audit_event
from xinyong.store.uow import UnitOfWork

# Keys out of order, CJK text, nested lists: JSONB gives it back with other key order.
DETAIL: dict[str, Any] = {
    "z": 1,
    "a": {"后": [3, {"y": None, "b": True}], "前": "信用中国"},
    "m": ["乙", "甲", []],
    "big": 2**70,
}


def append_n(store: Store, n: int, now: datetime, target: str = "subject:1") -> None:
    with UnitOfWork(store) as uow:
        for i in range(n):
            append_event(
                uow.connection,
                actor="cli:operator",
                action="subject.read",
                target=target,
                detail={"i": i, "名称": "福州示例科技有限公司"},
                now=now + timedelta(seconds=i),
            )
        uow.commit()


def tamper(store: Store, seq: int, /, **values: Any) -> None:
    with UnitOfWork(store) as uow:
        uow.connection.execute(update(audit_event).where(audit_event.c.seq == seq).values(values))
        uow.commit()


def remove(store: Store, seq: int) -> None:
    with UnitOfWork(store) as uow:
        uow.connection.execute(delete(audit_event).where(audit_event.c.seq == seq))
        uow.commit()


def count(store: Store) -> int:
    with UnitOfWork(store, read_only=True) as uow:
        return int(uow.connection.execute(select(func.count()).select_from(audit_event)).scalar())


def stored_hash(store: Store, seq: int) -> str:
    with UnitOfWork(store, read_only=True) as uow:
        return str(
            uow.connection.execute(
                select(audit_event.c.hash).where(audit_event.c.seq == seq)
            ).scalar_one()
        )


def test_an_empty_log_verifies(store: Store, store_url: str) -> None:
    result = verify_log(store_url)
    assert (result.ok, result.count, result.head) == (True, 0, EMPTY)


def test_a_chain_of_appended_events_verifies(store: Store, store_url: str, now: datetime) -> None:
    append_n(store, 12, now)
    result = verify_log(store_url)
    assert result.ok
    assert result.count == 12
    assert result.head == Head(12, stored_hash(store, 12))


def test_an_altered_detail_is_a_hash_break_at_that_seq(
    store: Store, store_url: str, now: datetime
) -> None:
    append_n(store, 6, now)
    original = stored_hash(store, 4)
    tamper(store, 4, detail={"i": 3, "名称": "另一家公司"})
    result = verify_log(store_url)
    assert result.broken is not None
    assert (result.broken.seq, result.broken.differs, result.broken.found) == (4, "hash", original)
    assert result.count == 3


def test_a_deleted_middle_entry_is_a_seq_break_where_it_was(
    store: Store, store_url: str, now: datetime
) -> None:
    append_n(store, 6, now)
    remove(store, 3)
    assert verify_log(store_url).broken == Break(4, "seq", "3", "4")


def test_a_deleted_entry_with_later_ones_renumbered_is_a_prev_hash_break(
    store: Store, store_url: str, now: datetime
) -> None:
    append_n(store, 5, now)
    before, removed = stored_hash(store, 2), stored_hash(store, 3)
    remove(store, 3)
    for seq in (4, 5):  # one by one, upwards: the primary key stays unique throughout
        tamper(store, seq, seq=seq - 1)
    assert verify_log(store_url).broken == Break(3, "prev_hash", before, removed)


def test_a_hash_changed_with_the_next_prev_hash_is_still_caught(
    store: Store, store_url: str, now: datetime
) -> None:
    append_n(store, 5, now)
    original = stored_hash(store, 2)
    tamper(store, 2, hash="e" * 64)
    tamper(store, 3, prev_hash="e" * 64)
    assert verify_log(store_url).broken == Break(2, "hash", original, "e" * 64)


def test_unsorted_keys_cjk_and_nested_lists_survive_the_round_trip(
    store: Store, store_url: str, now: datetime
) -> None:
    with UnitOfWork(store) as uow:
        entry = append_event(
            uow.connection,
            actor="api:ab12",
            action="record.read",
            target="r",
            detail=DETAIL,
            now=now,
        )
        uow.commit()
    with UnitOfWork(store, read_only=True) as uow:
        (stored,) = entries_for_target(uow.connection, "r")
    assert stored == entry
    if store.dialect == "postgresql":
        # Proof that the test exercises JSONB's reordering (shorter keys first).
        assert list(stored.detail) == ["a", "m", "z", "big"]
    assert verify_log(store_url).ok


def test_two_appends_in_one_transaction_get_consecutive_seqs(store: Store, now: datetime) -> None:
    append_n(store, 2, now)
    with UnitOfWork(store) as uow:
        first = append_event(uow.connection, actor="a", action="b", target="c", detail={}, now=now)
        second = append_event(uow.connection, actor="a", action="b", target="c", detail={}, now=now)
        uow.commit()
    assert (first.seq, second.seq) == (3, 4)
    assert second.prev_hash == first.hash


def test_append_events_links_many_in_one_insert(
    store: Store, store_url: str, now: datetime
) -> None:
    drafts = [AuditDraft("ingest", "record.write", f"record:{i}", {"row": i}) for i in range(250)]
    with UnitOfWork(store) as uow:
        assert append_events(uow.connection, [], now) == []
        entries = append_events(uow.connection, drafts, now)
        more = append_events(uow.connection, drafts[:1], now)
        uow.commit()
    assert [e.seq for e in entries] == list(range(1, 251))
    assert more[0].prev_hash == entries[-1].hash
    assert verify_log(store_url).count == 251


def test_a_rolled_back_unit_of_work_leaves_no_entry(
    store: Store, store_url: str, now: datetime
) -> None:
    def failing_use_case() -> None:
        with UnitOfWork(store) as uow:
            append_event(uow.connection, actor="a", action="b", target="c", detail={}, now=now)
            raise RuntimeError("the batch failed")

    with pytest.raises(RuntimeError, match="batch failed"):
        failing_use_case()
    assert count(store) == 0
    with UnitOfWork(store) as uow:  # and the seq it would have taken is free again
        entry = append_event(uow.connection, actor="a", action="b", target="c", detail={}, now=now)
        uow.commit()
    assert (entry.seq, entry.prev_hash) == (1, GENESIS)
    assert verify_log(store_url).ok


def test_concurrent_appenders_are_serialised(store: Store, store_url: str, now: datetime) -> None:
    # Without the audit lock two PostgreSQL transactions read the same head and
    # one fails on the primary key; SQLite's BEGIN IMMEDIATE serialises them.
    workers, each = 4, 15
    start = threading.Barrier(workers)

    def work(worker: int) -> None:
        start.wait()
        for i in range(each):
            with UnitOfWork(store) as uow:
                append_event(
                    uow.connection,
                    actor=f"worker:{worker}",
                    action="subject.read",
                    target=f"subject:{i}",
                    detail={},
                    now=now,
                )
                uow.commit()

    with ThreadPoolExecutor(workers) as pool:
        for done in [pool.submit(work, w) for w in range(workers)]:
            done.result()  # re-raises a worker's error here
    result = verify_log(store_url)
    assert (result.ok, result.count) == (True, workers * each)


def test_iter_events_pages_in_seq_order(store: Store, now: datetime) -> None:
    append_n(store, 7, now)
    with UnitOfWork(store, read_only=True) as uow:
        seqs = [row.seq for row in queries.iter_events(uow.connection, batch_size=3)]
        with pytest.raises(ValueError, match="batch_size"):
            next(queries.iter_events(uow.connection, batch_size=0))
    assert seqs == list(range(1, 8))


def test_events_for_target_are_only_that_targets(store: Store, now: datetime) -> None:
    append_n(store, 2, now, target="subject:a")
    append_n(store, 3, now, target="subject:b")
    with UnitOfWork(store, read_only=True) as uow:
        found = entries_for_target(uow.connection, "subject:b")
    assert [e.seq for e in found] == [3, 4, 5]
    assert all(e.target == "subject:b" for e in found)


def test_stored_hashes_are_recomputable_from_the_stored_fields(store: Store, now: datetime) -> None:
    append_n(store, 3, now)
    with UnitOfWork(store, read_only=True) as uow:
        for row in queries.iter_events(uow.connection):
            assert row.hash == link_hash(
                row.prev_hash, row.seq, row.at, row.actor, row.action, row.target, row.detail
            )
