"""The registry's use cases over a real store: init, register, show."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from tests.store.helpers import RESIDENT_ID, USCC, new_record
from xinyong.codes import CodeError
from xinyong.config import Settings
from xinyong.errors import NotFoundError
from xinyong.registry.errors import NaturalPersonRepresentativeError
from xinyong.registry.model import (
    DepartmentInfo,
    JurisdictionInfo,
    LegalRepresentative,
    Profession,
    SubjectRegistration,
)
from xinyong.registry.service import init_node, record_profession, register_subject, show_subject
from xinyong.store import migrate
from xinyong.store.engine import open_store
from xinyong.store.queries import records, reference
from xinyong.store.tables import metadata
from xinyong.store.uow import UnitOfWork

NATIONAL = JurisdictionInfo("national", "全国", "National", "national")
FUZHOU = JurisdictionInfo("fuzhou", "福州市", "Fuzhou", "city", "national", "350100", "2026.1")
DEPARTMENTS = [
    DepartmentInfo("market", "福州市市场监督管理局", "Fuzhou Market Regulation"),
    DepartmentInfo("tax", "国家税务总局福州市税务局", "Fuzhou Taxation", "11350100MB0000000X"),
]


def _dump(settings: Settings) -> dict[str, list[Any]]:
    with open_store(settings.store_url) as store, UnitOfWork(store, read_only=True) as uow:
        return {
            name: sorted(map(tuple, uow.connection.execute(select(table))), key=repr)
            for name, table in metadata.tables.items()
        }


def test_init_node_creates_the_schema_and_writes_reference_data(settings: Settings) -> None:
    report = init_node(settings, FUZHOU, DEPARTMENTS, ancestors=[NATIONAL])
    assert (report.revision_before, report.revision_after) == (None, migrate.head())
    assert report.created
    assert report.departments == ("market", "tax")
    with open_store(settings.store_url) as store, UnitOfWork(store, read_only=True) as uow:
        fuzhou = reference.get_jurisdiction(uow.connection, "fuzhou")
        departments = reference.departments_of(uow.connection, "fuzhou")
    assert fuzhou == reference.JurisdictionRow(
        "fuzhou", "福州市", "Fuzhou", "city", "national", "350100", "2026.1"
    )
    assert [(d.code, d.uscc) for d in departments] == [
        ("market", None),
        ("tax", "11350100MB0000000X"),
    ]


def test_init_twice_changes_nothing(settings: Settings) -> None:
    init_node(settings, FUZHOU, DEPARTMENTS, ancestors=[NATIONAL])
    before = _dump(settings)
    again = init_node(settings, FUZHOU, DEPARTMENTS, ancestors=[NATIONAL])
    assert (again.created, again.upgraded) == (False, False)
    assert again.revision_before == again.revision_after == migrate.head()
    assert _dump(settings) == before


def test_register_and_show_a_legal_person(settings: Settings, now: datetime) -> None:
    init_node(settings, FUZHOU, DEPARTMENTS, ancestors=[NATIONAL])
    with open_store(settings.store_url) as store:
        registered = register_subject(
            UnitOfWork(store),
            SubjectRegistration(
                " 9135 0100 m000 100y43 ",
                "福州示例科技有限公司",
                LegalRepresentative("张三", "350102 198506152349"),
                date(2015, 7, 1),
            ),
            now,
        )
        record_profession(
            UnitOfWork(store), USCC, Profession("agency", date(2020, 1, 1), "market", "fuzhou")
        )
        with UnitOfWork(store) as uow:
            records.insert_record(uow.connection, new_record(), now)
            records.insert_record(uow.connection, new_record(document_number="二号"), now)
            uow.commit()
    assert registered.code == USCC
    view = show_subject(settings, "91350100m000100y43")
    assert view.subject == registered
    assert view.subject.legal_representative == LegalRepresentative("张三", RESIDENT_ID)
    assert (view.subject.type_code, view.subject.region_code) == ("91", "350100")
    assert view.type_name is not None
    assert view.region_name == "福建省 福州市"
    assert [p.profession for p in view.professions] == ["agency"]
    assert [(c.catalog_item, c.status, c.count) for c in view.record_counts] == [
        ("administrative_penalty", "active", 2)
    ]


def test_a_natural_person_takes_the_birth_date_from_the_code(
    settings: Settings, now: datetime
) -> None:
    init_node(settings, NATIONAL, [])
    with open_store(settings.store_url) as store:
        person = register_subject(
            UnitOfWork(store), SubjectRegistration("350102850615234", "王五"), now
        )
        with pytest.raises(NaturalPersonRepresentativeError):
            register_subject(
                UnitOfWork(store),
                SubjectRegistration(RESIDENT_ID, "王五", LegalRepresentative("张三")),
                now,
            )
    assert (person.code, person.converted_from) == (RESIDENT_ID, "350102850615234")
    assert (person.subject_kind, person.type_code, person.established_on) == (
        "natural",
        None,
        date(1985, 6, 15),
    )
    assert show_subject(settings, RESIDENT_ID).record_counts == ()


def test_an_allowlisted_code_is_accepted_and_shown_as_such(
    settings: Settings, now: datetime
) -> None:
    bad = "91350100M000100Y44"
    init_node(settings, NATIONAL, [])
    with open_store(settings.store_url) as store:
        with pytest.raises(CodeError):
            register_subject(UnitOfWork(store), SubjectRegistration(bad, "早期赋码公司"), now)
        with UnitOfWork(store) as uow:
            entry = reference.AllowlistEntry(bad, "登记机关书面确认", "ops", now)
            reference.allow_code(uow.connection, entry)
            uow.commit()
        register_subject(UnitOfWork(store), SubjectRegistration(bad, "早期赋码公司"), now)
    assert show_subject(settings, bad).allowlisted == "登记机关书面确认"


def test_show_refuses_malformed_and_unknown_codes(settings: Settings) -> None:
    init_node(settings, NATIONAL, [])
    with pytest.raises(CodeError):
        show_subject(settings, "91350100M000100Y4")
    with pytest.raises(NotFoundError) as caught:
        show_subject(settings, USCC)
    assert caught.value.code == "subject-not-found"
