"""Subjects upsert by code; professions are periods of membership in key groups."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from tests.store.helpers import RESIDENT_ID, USCC, subject_row
from xinyong.store.engine import Store
from xinyong.store.queries import subjects
from xinyong.store.uow import UnitOfWork


def test_upsert_inserts_then_updates_in_place(store: Store, now: datetime) -> None:
    later = now + timedelta(days=30)
    with UnitOfWork(store) as uow:
        first_id = subjects.upsert_subject(uow.connection, subject_row(), now)
        uow.commit()
    renamed = replace(subject_row(), name="福州新名称科技有限公司", legal_rep_name="李四")
    with UnitOfWork(store) as uow:
        second_id = subjects.upsert_subject(uow.connection, renamed, later)
        uow.commit()
    with UnitOfWork(store, read_only=True) as uow:
        stored = subjects.get_subject(uow.connection, USCC)
    assert stored is not None
    assert first_id == second_id == stored.id
    assert (stored.name, stored.legal_rep_name) == ("福州新名称科技有限公司", "李四")
    assert (stored.created_at, stored.updated_at) == (now, later)
    assert stored.established_on == date(2015, 7, 1)
    assert stored.status == "active"


def test_an_unknown_code_is_none(store: Store) -> None:
    with UnitOfWork(store, read_only=True) as uow:
        assert subjects.get_subject(uow.connection, USCC) is None


def test_status_values_are_a_closed_list(store: Store, now: datetime) -> None:
    with UnitOfWork(store) as uow:
        subjects.upsert_subject(uow.connection, subject_row(), now)
        assert subjects.set_subject_status(uow.connection, USCC, "cancelled", now)
        assert not subjects.set_subject_status(uow.connection, RESIDENT_ID, "deceased", now)
        with pytest.raises(IntegrityError):
            subjects.set_subject_status(uow.connection, USCC, "asleep", now)


def test_professions_are_periods(store: Store, now: datetime) -> None:
    person = subjects.SubjectRow(
        code=RESIDENT_ID,
        code_kind="resident_id",
        subject_kind="natural",
        type_code=None,
        name="王五",
        region_code=RESIDENT_ID[:6],
        established_on=date(1985, 6, 15),
    )
    with UnitOfWork(store) as uow:
        conn = uow.connection
        person_id = subjects.upsert_subject(conn, person, now)
        lawyer = subjects.ProfessionRow(person_id, "lawyer", date(2012, 3, 1), "justice", "fuzhou")
        first = subjects.add_profession(conn, lawyer)
        again = subjects.add_profession(conn, replace(lawyer, department="bar"))
        subjects.add_profession(
            conn,
            subjects.ProfessionRow(person_id, "accountant", date(2008, 1, 1), "finance", "fuzhou"),
        )
        assert subjects.end_profession(
            conn, person_id, "accountant", date(2008, 1, 1), date(2011, 12, 31)
        )
        uow.commit()
    assert first == again
    with UnitOfWork(store, read_only=True) as uow:
        every = subjects.professions_of(uow.connection, person_id)
        in_2010 = subjects.professions_of(uow.connection, person_id, on=date(2010, 6, 1))
        in_2020 = subjects.professions_of(uow.connection, person_id, on=date(2020, 6, 1))
    assert [(p.profession, p.department, p.until) for p in every] == [
        ("accountant", "finance", date(2011, 12, 31)),
        ("lawyer", "bar", None),
    ]
    assert [p.profession for p in in_2010] == ["accountant"]
    assert [p.profession for p in in_2020] == ["lawyer"]


def test_a_period_cannot_end_before_it_starts(store: Store, now: datetime) -> None:
    with UnitOfWork(store) as uow:
        subject_id = subjects.upsert_subject(uow.connection, subject_row(), now)
        with pytest.raises(IntegrityError):
            subjects.add_profession(
                uow.connection,
                subjects.ProfessionRow(
                    subject_id, "agent", date(2020, 1, 1), "m", "fuzhou", until=date(2019, 1, 1)
                ),
            )


def test_a_profession_needs_a_subject(store: Store) -> None:
    with UnitOfWork(store) as uow, pytest.raises(IntegrityError):
        subjects.add_profession(
            uow.connection, subjects.ProfessionRow(424242, "agent", date(2020, 1, 1), "m", "x")
        )
