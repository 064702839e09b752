"""Builders for list tests: subjects, the records that qualify them, and reading entries back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, update

from xinyong.config import Settings
from xinyong.ingest.model import BatchReport
from xinyong.ingest.service import ingest_records
from xinyong.policy.loader import LoadedPack
from xinyong.store.engine import Store
from xinyong.store.queries import lists as queries
from xinyong.store.queries import records
from xinyong.store.tables import record_link
from xinyong.store.uow import UnitOfWork
from xinyong.synth.ids import make_uscc

Node = tuple[Settings, Store, LoadedPack]

COMPANY = make_uscc("91", "371082", "MA3C1234")
REP = "350102198506152349"  # the company's legal representative (福州市鼓楼区, 1985)


def _valid_person() -> str:
    from stdnum.cn import ric

    for sequence in range(10, 100):
        body = f"371082199001010{sequence}"
        candidate = body + ric.calc_check_digit(body)
        if ric.is_valid(candidate):
            return candidate
    raise AssertionError("no valid resident ID")


PERSON = _valid_person()


def at(year: int, month: int, day: int) -> datetime:
    """10:00 in Beijing on that day."""
    return datetime(year, month, day, 2, 0, tzinfo=UTC)


def registration(code: str = COMPANY) -> dict[str, Any]:
    return {
        "subject_code": code,
        "subject_name": "荣成示例海洋食品有限公司",
        "catalog_item": "reg.legal_person",
        "document_number": f"REG-{code}",
        "decided_on": "2015-07-01",
        "payload": {"address": "荣成市石岛", "registered_capital": "500"},
        "registration": {
            "legal_rep_name": "王五",
            "legal_rep_code": REP,
            "established_on": "2015-07-01",
        },
    }


def person_registration(code: str = PERSON) -> dict[str, Any]:
    return {
        "subject_code": code,
        "subject_name": "李四",
        "catalog_item": "reg.natural_person",
        "document_number": f"REG-{code}",
        "decided_on": "1990-01-01",
        "payload": {"sex": "M"},
        "registration": {"established_on": "1990-01-01"},
    }


def court_defaulter(
    code: str = COMPANY,
    decided: str = "2026-09-25",
    payload_changes: dict[str, Any] | None = None,
    **changes: Any,
) -> dict[str, Any]:
    payload = {"case_number": "（2026）鲁1082执100号", "court": "荣成市人民法院",
               "circumstance": "有履行能力而拒不履行", "obligation": "支付货款50万元"}  # fmt: skip
    return {
        "subject_code": code,
        "subject_name": "荣成示例海洋食品有限公司",
        "catalog_item": "jud.defaulter",
        "document_number": "（2026）鲁1082执100号",
        "decided_on": decided,
        "severity": "serious",
        "payload": payload | (payload_changes or {}),
    } | changes


def penalty(
    number: str, severity: str, *, sector: str = "food_safety", decided: str = "2026-09-01",
    code: str = COMPANY,
) -> dict[str, Any]:  # fmt: skip
    return {
        "subject_code": code,
        "subject_name": "荣成示例海洋食品有限公司",
        "catalog_item": "adm.penalty",
        "document_number": number,
        "decided_on": decided,
        "severity": severity,
        "payload": {
            "violation_type": "食品安全",
            "penalty_kind": "罚款",
            "fine_yuan": "200000",
            "sector": sector,
        },
    }


def send(node: Node, items: list[dict[str, Any]], department: str, now: datetime) -> BatchReport:
    _, store, pack = node
    report = ingest_records(store, pack, department, items, now, limit=10_000)
    assert report.rejected == 0, report
    return report


def entries(
    store: Store, list_code: str, states: Sequence[str] = ("proposed", "notified", "listed")
) -> list[queries.EntryRow]:
    with UnitOfWork(store, read_only=True) as uow:
        rows, _total = queries.entries_page(
            uow.connection, "rongcheng", list_code, states=states, limit=100
        )
    return rows


def link_record(store: Store, document_number: str, status: str) -> None:
    """Mark a stored record as tied to its subject by a fuzzy match (or confirm the match)."""
    with UnitOfWork(store) as uow:
        conn = uow.connection
        found = None
        for department in ("court", "samr"):
            found = found or records.find_current_by_document(
                conn, "rongcheng", department, document_number
            )
        assert found is not None
        if status == "provisional":
            conn.execute(insert(record_link).values(
                record_id=found.record_id, subject_code=found.subject_code, status=status,
                score=0.93, created_at=datetime(2026, 9, 29, tzinfo=UTC)))  # fmt: skip
        else:
            conn.execute(update(record_link).where(record_link.c.record_id == found.record_id)
                         .values(status=status, decided_at=datetime(2026, 9, 29, 3, tzinfo=UTC),
                                 decided_by="clerk"))  # fmt: skip
        uow.commit()
