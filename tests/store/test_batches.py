"""Batches and their rejected rows round-trip, CJK text and JSON included."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from tests.store.helpers import add_reference
from xinyong.errors import NotFoundError
from xinyong.store.engine import Store
from xinyong.store.errors import BatchNotPendingError
from xinyong.store.queries import batches
from xinyong.store.queries.batches import BatchCounts, NewBatch, RejectedRow
from xinyong.store.uow import UnitOfWork

FILE = NewBatch("market", "fuzhou", "行政处罚_2026年2月.csv", "ab" * 32, "csv", "gb18030")
REJECTED = [
    RejectedRow(
        3,
        "统一社会信用代码",
        "uscc-check-digit",
        "校验码应为 3，实为 4",
        {"统一社会信用代码": "91350100M000100Y44", "金额": "五千"},
    ),
    RejectedRow(
        3,
        "金额",
        "amount",
        "金额不是数字",
        {"统一社会信用代码": "91350100M000100Y44", "金额": "五千"},
    ),
    RejectedRow(
        7,
        None,
        "row-columns",
        "行的列数为 3，应为 9",
        {"_": ["a", "b", {"嵌套": [1, 2.5, None, True]}]},
    ),
]


def test_batch_and_rejected_rows_round_trip(store: Store, now: datetime) -> None:
    later = now + timedelta(minutes=2)
    with UnitOfWork(store) as uow:
        add_reference(uow.connection)
        batch_id = batches.create_batch(uow.connection, FILE, now)
        assert batches.add_rejected_rows(uow.connection, batch_id, reversed(REJECTED)) == 3
        batches.finish_batch(
            uow.connection, batch_id, BatchCounts(10, 8, 2, 1, 1), "applied", later
        )
        uow.commit()
    with UnitOfWork(store, read_only=True) as uow:
        stored = batches.get_batch(uow.connection, batch_id)
        rows = batches.rejected_rows(uow.connection, batch_id)
        same_file = batches.batches_with_sha256(uow.connection, FILE.sha256)
    assert stored is not None
    assert (stored.filename, stored.encoding, stored.status) == (
        FILE.filename,
        "gb18030",
        "applied",
    )
    assert (
        stored.rows,
        stored.accepted,
        stored.rejected,
        stored.duplicates,
        stored.corrections,
    ) == (10, 8, 2, 1, 1)
    assert (stored.created_at, stored.applied_at) == (now, later)
    assert sorted(rows, key=lambda r: (r.row_number, r.field or "")) == sorted(
        REJECTED, key=lambda r: (r.row_number, r.field or "")
    )
    assert [r.row_number for r in rows] == [3, 3, 7]
    assert same_file == [stored]


def test_a_batch_finishes_once(store: Store, now: datetime) -> None:
    with UnitOfWork(store) as uow:
        add_reference(uow.connection)
        batch_id = batches.create_batch(uow.connection, FILE, now)
        batches.finish_batch(uow.connection, batch_id, BatchCounts(5, 0, 5), "failed", now)
        with pytest.raises(BatchNotPendingError) as caught:
            batches.finish_batch(uow.connection, batch_id, BatchCounts(5, 5, 0), "applied", now)
        assert "failed" in caught.value.render()
        failed = batches.get_batch(uow.connection, batch_id)
        with pytest.raises(NotFoundError):
            batches.finish_batch(uow.connection, 999_999, BatchCounts(0, 0, 0), "failed", now)
    assert failed is not None
    assert (failed.status, failed.applied_at, failed.accepted) == ("failed", None, 0)


def test_a_batch_needs_a_known_department(store: Store, now: datetime) -> None:
    with UnitOfWork(store) as uow, pytest.raises(IntegrityError):
        batches.create_batch(uow.connection, FILE, now)


def test_an_empty_set_of_rejections_writes_nothing(store: Store, now: datetime) -> None:
    with UnitOfWork(store) as uow:
        add_reference(uow.connection)
        batch_id = batches.create_batch(uow.connection, FILE, now)
        assert batches.add_rejected_rows(uow.connection, batch_id, []) == 0
        assert batches.rejected_rows(uow.connection, batch_id) == []
