"""The unit of work: nothing is written unless commit() was called."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select

from xinyong.store.engine import Store
from xinyong.store.tables import jurisdiction
from xinyong.store.uow import UnitOfWork

NATIONAL = {"code": "national", "name_zh": "全国", "name_en": "National", "level": "national"}
FUJIAN = {"code": "fujian", "name_zh": "福建省", "name_en": "Fujian", "level": "province"}


def _codes(store: Store) -> list[str]:
    with UnitOfWork(store, read_only=True) as uow:
        return list(uow.connection.execute(select(jurisdiction.c.code)).scalars())


def test_without_commit_nothing_is_written(store: Store) -> None:
    with UnitOfWork(store) as uow:
        uow.connection.execute(insert(jurisdiction).values(NATIONAL))
        inside = uow.connection.execute(select(func.count()).select_from(jurisdiction)).scalar()
    assert inside == 1
    assert _codes(store) == []


def _insert_then_fail(store: Store) -> None:
    with UnitOfWork(store) as uow:
        uow.connection.execute(insert(jurisdiction).values(NATIONAL))
        raise RuntimeError("boom")


def test_an_exception_rolls_back(store: Store) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        _insert_then_fail(store)
    assert _codes(store) == []


def test_commit_writes(store: Store) -> None:
    with UnitOfWork(store) as uow:
        uow.connection.execute(insert(jurisdiction).values(NATIONAL))
        uow.commit()
    assert _codes(store) == ["national"]


def test_work_after_a_commit_is_rolled_back_unless_committed_again(store: Store) -> None:
    with UnitOfWork(store) as uow:
        uow.connection.execute(insert(jurisdiction).values(NATIONAL))
        uow.commit()
        uow.connection.execute(insert(jurisdiction).values(FUJIAN))
    assert _codes(store) == ["national"]


def test_explicit_rollback_undoes_since_the_last_commit(store: Store) -> None:
    with UnitOfWork(store) as uow:
        uow.connection.execute(insert(jurisdiction).values(NATIONAL))
        uow.rollback()
        uow.connection.execute(insert(jurisdiction).values(FUJIAN))
        uow.commit()
    assert _codes(store) == ["fujian"]


def test_the_connection_exists_only_inside_the_with_block(store: Store) -> None:
    uow = UnitOfWork(store)
    with pytest.raises(RuntimeError, match="with"):
        _ = uow.connection
    with uow:
        assert uow.connection.in_transaction()
    with pytest.raises(RuntimeError, match="with"):
        uow.commit()


def test_a_unit_of_work_cannot_be_entered_twice(store: Store) -> None:
    with UnitOfWork(store) as uow, pytest.raises(RuntimeError, match="already open"):
        uow.__enter__()


def test_a_reader_runs_beside_an_open_writer_and_sees_only_committed_rows(store: Store) -> None:
    # On SQLite a reader that asked for the write lock would wait busy_timeout and fail.
    with UnitOfWork(store) as writer:
        writer.connection.execute(insert(jurisdiction).values(NATIONAL))
        assert _codes(store) == []
        writer.commit()
    assert _codes(store) == ["national"]
