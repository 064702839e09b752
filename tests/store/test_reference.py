"""Jurisdictions, departments and the code allowlist."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from xinyong.store.engine import Store
from xinyong.store.queries import reference
from xinyong.store.queries.reference import AllowlistEntry, DepartmentRow, JurisdictionRow
from xinyong.store.uow import UnitOfWork

NATIONAL = JurisdictionRow("national", "全国", "National", "national")
FUJIAN = JurisdictionRow("fujian", "福建省", "Fujian", "province", "national", "350000", "2026.1")


def test_jurisdictions_and_departments_upsert(store: Store) -> None:
    with UnitOfWork(store) as uow:
        conn = uow.connection
        reference.upsert_jurisdiction(conn, NATIONAL)
        reference.upsert_jurisdiction(conn, FUJIAN)
        reference.upsert_jurisdiction(conn, replace(FUJIAN, pack_version="2026.2"))
        reference.upsert_department(conn, DepartmentRow("fujian", "market", "市场监管局", "Market"))
        reference.upsert_department(
            conn, DepartmentRow("fujian", "market", "省市场监督管理局", "Market regulation")
        )
        reference.upsert_department(
            conn, DepartmentRow("national", "market", "国家市场监督管理总局", "SAMR")
        )
        uow.commit()
    with UnitOfWork(store, read_only=True) as uow:
        conn = uow.connection
        assert [j.code for j in reference.jurisdictions(conn)] == ["fujian", "national"]
        fujian = reference.get_jurisdiction(conn, "fujian")
        departments = reference.departments_of(conn, "fujian")
        assert reference.get_jurisdiction(conn, "xiamen") is None
    assert fujian is not None
    assert (fujian.parent_code, fujian.region_code, fujian.pack_version) == (
        "national",
        "350000",
        "2026.2",
    )
    assert [(d.code, d.name_zh) for d in departments] == [("market", "省市场监督管理局")]


def test_levels_are_a_closed_list_and_parents_must_exist(store: Store) -> None:
    with UnitOfWork(store) as uow, pytest.raises(IntegrityError):
        reference.upsert_jurisdiction(uow.connection, JurisdictionRow("x", "某", "X", "county"))
    with UnitOfWork(store) as uow, pytest.raises(IntegrityError):
        reference.upsert_jurisdiction(uow.connection, FUJIAN)  # parent "national" missing


def test_allowlist_add_replace_remove(store: Store, now: datetime) -> None:
    code = "91350100M000100Y44"  # wrong check digit, issued anyway
    with UnitOfWork(store) as uow:
        reference.allow_code(uow.connection, AllowlistEntry(code, "登记机关早期赋码", "ops", now))
        reference.allow_code(
            uow.connection,
            AllowlistEntry(code, "登记机关书面确认", "审核员", now + timedelta(hours=1)),
        )
        uow.commit()
    with UnitOfWork(store, read_only=True) as uow:
        entries = reference.allowlist(uow.connection)
        reasons = reference.allowlist_reasons(uow.connection)
    assert entries == [AllowlistEntry(code, "登记机关书面确认", "审核员", now + timedelta(hours=1))]
    assert reasons == {code: "登记机关书面确认"}
    with UnitOfWork(store) as uow:
        assert reference.disallow_code(uow.connection, code)
        assert not reference.disallow_code(uow.connection, code)
        assert reference.allowlist_reasons(uow.connection) == {}
