"""The ingest's bulk queries: what the DBAPI path stores is what SQLAlchemy would store.

``insert_records`` (COPY / executemany) and ``upsert_subjects`` bypass
SQLAlchemy's statement machinery for speed; these tests hold them to the
same stored values, the same transaction and the same exceptions as
``conn.execute(insert(…))``, on both databases.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from tests.store.helpers import RESIDENT_ID, USCC, USCC_2, add_reference
from xinyong.store.engine import Store
from xinyong.store.queries import ingest
from xinyong.store.tables import record, subject
from xinyong.store.uow import UnitOfWork


def _subject(code: str, name: str, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "code": code,
        "code_kind": "uscc",
        "subject_kind": "legal",
        "type_code": code[:2],
        "name": name,
        "region_code": code[2:8],
        "legal_rep_code": RESIDENT_ID,
        "legal_rep_name": "张三",
        "established_on": date(2015, 7, 1),
        "status": "active",
        "converted_from": None,
    }
    return {**values, **overrides}


def _record(record_id: str, number: str, now: datetime, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "record_id": record_id,
        "version": 1,
        "subject_code": USCC,
        "catalog_item": "adm.penalty",
        "department": "market",
        "jurisdiction": "fuzhou",
        "document_number": number,
        "decided_on": date(2026, 2, 27),
        "occurred_on": None,
        "severity": "general",
        "polarity": "negative",
        "payload": {"事由": "未按规定公示年度报告", "罚款": 5000, "nested": [1, None, True]},
        "disclosure_scope": "public",
        "disclosure_until": date(2029, 2, 27),
        "status": "active",
        "batch_id": None,
        "row_number": 7,
        "content_hash": "0" * 64,
        "is_current": True,
        "valid_from": now,
        "superseded_at": None,
        "change_reason": None,
    }
    return {**values, **overrides}


@pytest.fixture
def ready(store: Store, now: datetime) -> Store:
    with UnitOfWork(store) as uow:
        add_reference(uow.connection)
        ingest.upsert_subjects(uow.connection, [_subject(USCC, "甲"), _subject(USCC_2, "乙")], now)
        uow.commit()
    return store


def _stored(conn: Connection, table: str, key: str) -> list[tuple[Any, ...]]:
    """Rows as the driver returns them (no SQLAlchemy type processing): the stored form."""
    cast = ", payload::text AS payload_text" if conn.dialect.name == "postgresql" else ""
    query = f"SELECT *{cast} FROM {table} ORDER BY {key}"
    return [tuple(row) for row in conn.exec_driver_sql(query)]


def test_insert_records_stores_what_sqlalchemy_stores(ready: Store, now: datetime) -> None:
    aware = now.astimezone(ZoneInfo("Asia/Shanghai"))  # stored in UTC all the same
    rows = [
        _record("a1", "罚〔2026〕1号", aware),
        _record("a2", "罚〔2026〕2号", now, occurred_on=date(2026, 1, 5), severity=None),
    ]
    with UnitOfWork(ready) as uow:
        assert ingest.insert_records(uow.connection, rows) == 2
        uow.connection.execute(
            insert(record),
            [{**r, "record_id": "b" + r["record_id"][1:], "document_number": r["document_number"] + "b"}
             for r in rows],
        )  # fmt: skip
        uow.commit()
    with UnitOfWork(ready, read_only=True) as uow:
        stored = _stored(uow.connection, "record", "record_id")
        names = [c.name for c in record.columns]
        mine, theirs = stored[:2], stored[2:]
        for ours, sqlalchemy in zip(mine, theirs, strict=True):
            differ = {n for n, a, b in zip(names, ours, sqlalchemy, strict=False) if a != b}
            assert differ == {"record_id", "document_number"}
        back = uow.connection.execute(select(record).order_by(record.c.record_id)).mappings().all()
        assert back[0]["payload"] == rows[0]["payload"]
        assert back[0]["valid_from"] == now
        assert back[1]["occurred_on"] == date(2026, 1, 5)


# What COPY's text format gives a meaning to, and what JSON escapes with a backslash.
AWKWARD = [
    "tab\there",
    "line\nbreak",
    "carriage\rreturn",
    "back\\slash",
    "\\N",
    "\\.",
    '引号"内"',
    "",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_text_is_stored_as_sqlalchemy_stores_it(
    ready: Store, now: datetime, text: str
) -> None:
    ours = _record("a1", f"{text}1", now, payload={"事由": text, text or "k": [text]})
    ours["change_reason"] = text
    theirs = {**ours, "record_id": "b1", "document_number": f"{text}2"}
    with UnitOfWork(ready) as uow:
        ingest.insert_records(uow.connection, [ours])
        uow.connection.execute(insert(record), [theirs])
        ingest.upsert_subjects(
            uow.connection, [_subject(USCC, f"甲{text}", legal_rep_name=text)], now
        )
        found = ingest.current_by_document(uow.connection, "fuzhou", "market", [f"{text}1"])
        uow.commit()
    assert found == {f"{text}1": ("a1", "0" * 64, "active")}
    with UnitOfWork(ready, read_only=True) as uow:
        stored = _stored(uow.connection, "record", "record_id")
        names = [c.name for c in record.columns]
        differ = {n for n, a, b in zip(names, stored[0], stored[1], strict=False) if a != b}
        assert differ == {"record_id", "document_number"}
        back = uow.connection.execute(select(record).order_by(record.c.record_id)).mappings().all()
        named = (
            uow.connection.execute(select(subject).where(subject.c.code == USCC)).mappings().one()
        )
    assert (back[0]["document_number"], back[0]["payload"]) == (f"{text}1", ours["payload"])
    assert back[0]["change_reason"] == text
    assert (named["name"], named["legal_rep_name"]) == (f"甲{text}", text)


def test_insert_records_is_part_of_the_callers_transaction(ready: Store, now: datetime) -> None:
    with UnitOfWork(ready) as uow:
        ingest.insert_records(uow.connection, [_record("a1", "1", now)])
        assert ingest.current_by_document(uow.connection, "fuzhou", "market", ["1"])
        uow.rollback()
    with UnitOfWork(ready, read_only=True) as uow:
        assert uow.connection.execute(select(record)).all() == []


def test_insert_records_raises_sqlalchemys_integrity_error(ready: Store, now: datetime) -> None:
    with UnitOfWork(ready) as uow, pytest.raises(IntegrityError):
        ingest.insert_records(uow.connection, [_record("a1", "1", now, subject_code="X" * 18)])
    with UnitOfWork(ready) as uow, pytest.raises(IntegrityError):
        ingest.insert_records(uow.connection, [_record("a1", "1", now), _record("a2", "1", now)])


def test_upsert_subjects_updates_and_keeps_the_first_created_at(
    ready: Store, now: datetime
) -> None:
    later = now + timedelta(days=1)
    renamed = _subject(USCC, "甲（更名）", status="cancelled", legal_rep_code=None)
    person = _subject(
        RESIDENT_ID, "张三", code_kind="resident_id", subject_kind="natural", type_code=None,
        region_code="350102", legal_rep_code=None, legal_rep_name=None, established_on=None,
    )  # fmt: skip
    with UnitOfWork(ready) as uow:
        ingest.upsert_subjects(uow.connection, [renamed, person], later)
        uow.commit()
    with UnitOfWork(ready, read_only=True) as uow:
        rows = {r["code"]: r for r in uow.connection.execute(select(subject)).mappings()}
    assert len(rows) == 3
    assert (rows[USCC]["name"], rows[USCC]["status"], rows[USCC]["legal_rep_code"]) == (
        "甲（更名）", "cancelled", None,
    )  # fmt: skip
    assert (rows[USCC]["created_at"], rows[USCC]["updated_at"]) == (now, later)
    assert rows[USCC_2]["updated_at"] == now
    assert rows[RESIDENT_ID]["established_on"] is None
    assert rows[RESIDENT_ID]["created_at"] == later


def test_lookups_find_what_is_stored(ready: Store, now: datetime) -> None:
    with UnitOfWork(ready) as uow:
        ingest.insert_records(uow.connection, [_record("a1", "1", now), _record("a2", "2", now)])
        conn = uow.connection
        facts = ingest.subject_facts(conn, [USCC, USCC_2, RESIDENT_ID, USCC])
        assert facts == {USCC: ("legal", date(2015, 7, 1)), USCC_2: ("legal", date(2015, 7, 1))}
        assert ingest.subject_facts(conn, []) == {}
        found = ingest.current_by_document(conn, "fuzhou", "market", ["1", "2", "3", "1"])
        assert found == {"1": ("a1", "0" * 64, "active"), "2": ("a2", "0" * 64, "active")}
        assert ingest.current_by_document(conn, "fuzhou", "other", ["1"]) == {}
        assert ingest.current_by_document(conn, "fuzhou", "market", []) == {}
