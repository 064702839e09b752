"""A record's life through the ingest: new, the same again, corrected, revoked — and every refusal.

Records are sent as JSON (the API's form), which states every field
directly, so each test can change exactly one thing and name the error code
that one change must cause.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from tests.ingest.conftest import NOW
from xinyong.config import Settings
from xinyong.ingest.errors import TooManyRecordsError, UnknownDepartmentError
from xinyong.ingest.model import BatchReport
from xinyong.ingest.service import ingest_records
from xinyong.policy.loader import LoadedPack
from xinyong.store.engine import Store
from xinyong.store.queries import records, subjects
from xinyong.store.tables import record, rejected_row
from xinyong.store.uow import UnitOfWork

Node = tuple[Settings, Store, LoadedPack]


def _valid_uscc() -> str:
    from xinyong.synth.ids import make_uscc

    return make_uscc("91", "371002", "MA3C1234")


USCC = _valid_uscc()
RID = "350102198506152349"  # born 1985-06-15 in 福州市鼓楼区 (tests/store/helpers.py)


def registration(code: str = USCC, established: str = "2015-07-01") -> dict[str, Any]:
    return {
        "subject_code": code,
        "subject_name": "威海示例海洋食品有限公司",
        "catalog_item": "reg.legal_person",
        "document_number": f"REG-{code}",
        "decided_on": established,
        "payload": {"address": "威海市环翠区", "registered_capital": "500"},
        "registration": {
            "legal_rep_name": "王五",
            "legal_rep_code": RID,
            "established_on": established,
        },
    }


def penalty(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "subject_code": USCC,
        "subject_name": "威海示例海洋食品有限公司",
        "catalog_item": "adm.penalty",
        "document_number": "威市监罚〔2025〕17号",
        "decided_on": "2025-05-06",
        "severity": "general",
        "payload": {
            "violation_type": "食品安全",
            "penalty_kind": "罚款",
            "fine_yuan": "20000",
            "sector": "food_safety",
        },
    }
    return base | changes


def send(node: Node, items: list[dict[str, Any]], department: str = "samr") -> BatchReport:
    _, store, pack = node
    return ingest_records(store, pack, department, items, NOW, limit=10_000)


def current(store: Store, number: str) -> records.RecordVersion:
    with UnitOfWork(store, read_only=True) as uow:
        found = records.find_current_by_document(uow.connection, "rongcheng", "samr", number)
    assert found is not None
    return found


def test_a_registration_creates_the_subject_with_its_representative(node: Node) -> None:
    report = send(node, [registration()])
    assert (report.accepted, report.rejected) == (1, 0)
    with UnitOfWork(node[1], read_only=True) as uow:
        row = subjects.get_subject(uow.connection, USCC)
    assert row is not None
    assert (row.name, row.legal_rep_code, row.established_on) == (
        "威海示例海洋食品有限公司", RID, date(2015, 7, 1))  # fmt: skip
    assert row.subject_kind == "legal"


def test_new_then_duplicate_then_correction_then_revocation(node: Node) -> None:
    send(node, [registration()])
    first = send(node, [penalty()])
    assert first.accepted == 1
    stored = current(node[1], "威市监罚〔2025〕17号")
    assert stored.payload["fine_yuan"] == 20000
    assert stored.disclosure_scope == "public"
    assert stored.disclosure_until == date(2026, 5, 6)  # general: 12 months (Order 36)

    again = send(node, [penalty()])
    assert (again.accepted, again.duplicates, again.corrections) == (0, 1, 0)

    corrected = send(node, [penalty(payload=penalty()["payload"] | {"fine_yuan": "15000"})])
    assert corrected.corrections == 1
    now = current(node[1], "威市监罚〔2025〕17号")
    assert now.version == 2
    assert now.payload["fine_yuan"] == 15000
    assert now.record_id == stored.record_id
    with UnitOfWork(node[1], read_only=True) as uow:
        versions = records.history(uow.connection, stored.record_id)
    assert [(v.version, v.status, v.is_current) for v in versions] == [
        (1, "corrected", False), (2, "active", True)]  # fmt: skip

    revoked = send(node, [penalty(action="revoke")])
    assert revoked.revocations == 1
    assert current(node[1], "威市监罚〔2025〕17号").status == "revoked"
    assert send(node, [penalty(action="revoke")]).duplicates == 1  # revoking twice: nothing new


def test_serious_and_minor_penalties_get_their_disclosure_periods(node: Node) -> None:
    send(node, [registration()])
    send(node, [penalty(severity="serious", document_number="S1"),
                penalty(severity="minor", document_number="M1")])  # fmt: skip
    assert current(node[1], "S1").disclosure_until == date(2028, 5, 6)  # 36 months
    assert current(node[1], "M1").disclosure_until == date(2025, 5, 6)  # minor: not published


TOMORROW = (NOW.date() + timedelta(days=2)).isoformat()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"subject_code": USCC[:-1] + ("0" if USCC[-1] != "0" else "1")}, "uscc-check-digit"),
        ({"subject_code": ""}, "code-empty"),
        ({"subject_code": "0" * 17 + "X"}, "uscc-placeholder"),
        ({"catalog_item": "metro.fare_evasion"}, "unknown-item"),
        ({"catalog_item": "jud.defaulter"}, "department-not-allowed"),
        ({"catalog_item": "reg.natural_person"}, "department-not-allowed"),
        ({"document_number": ""}, "value-missing"),
        ({"decided_on": "2025-13-40"}, "date-invalid"),
        ({"decided_on": TOMORROW}, "date-future"),
        ({"decided_on": "2010-01-04"}, "date-before-subject"),
        ({"severity": "catastrophic"}, "severity-invalid"),
        ({"severity": None}, "value-missing"),
        ({"polarity": "positive"}, "polarity-mismatch"),
        ({"payload": {"violation_type": "x", "penalty_kind": "罚款", "religion": "佛教"}},
         "payload-unknown-field"),
        ({"payload": {"violation_type": "x"}}, "value-missing"),
        ({"payload": {"violation_type": "x", "penalty_kind": "罚款", "fine_yuan": "lots"}},
         "payload-type"),
        ({"payload": {"violation_type": "x", "penalty_kind": "罚款", "sector": "gossip"}},
         "payload-enum"),
    ],
)  # fmt: skip
def test_each_problem_is_refused_with_its_code_and_stored(
    node: Node, change: dict[str, Any], code: str
) -> None:
    send(node, [registration()])
    report = send(node, [penalty(**change)])
    assert (report.accepted, report.rejected) == (0, 1)
    assert next(iter(report.rejected_by_code)) == code
    with node[1].engine.connect() as conn:
        stored = conn.execute(
            select(rejected_row.c.error_code, rejected_row.c.raw).where(
                rejected_row.c.batch_id == report.batch_id
            )
        ).all()
        assert stored[0][0] == code
        assert stored[0][1]["document_number"] == penalty(**change)["document_number"]
        assert conn.execute(select(record.c.record_id).where(
            record.c.catalog_item == "adm.penalty")).all() == []  # fmt: skip


def test_a_record_needs_a_registered_subject(node: Node) -> None:
    report = send(node, [penalty()])
    assert dict(report.rejected_by_code) == {"unknown-subject": 1}


def test_a_person_code_under_an_organisation_only_item_is_refused(node: Node) -> None:
    report = send(node, [registration(code=RID)])
    assert next(iter(report.rejected_by_code)) == "item-subject-kind"


def test_the_same_number_twice_in_one_upload(node: Node) -> None:
    send(node, [registration()])
    report = send(node, [penalty(), penalty(), penalty(decided_on="2025-05-07")])
    assert (report.accepted, report.duplicates, report.rejected) == (1, 1, 1)
    assert dict(report.rejected_by_code) == {"duplicate-document-in-file": 1}


def test_revoking_what_was_never_reported_is_refused(node: Node) -> None:
    send(node, [registration()])
    report = send(node, [penalty(action="revoke")])
    assert dict(report.rejected_by_code) == {"revoke-unknown-record": 1}


def test_limits_and_unknown_departments_refuse_the_whole_call(node: Node) -> None:
    _, store, pack = node
    with pytest.raises(TooManyRecordsError):
        ingest_records(store, pack, "samr", [penalty()] * 3, NOW, limit=2)
    with pytest.raises(UnknownDepartmentError):
        send(node, [penalty()], department="propaganda")
