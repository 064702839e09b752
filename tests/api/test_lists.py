"""``GET /api/v1/lists/{list}/entries``: who sees which list, which states, masked how."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import COMPANY_NAME, PERSON_NAME, KeyFor, bearer
from tests.store.helpers import RESIDENT_ID, USCC, USCC_2, new_record
from xinyong.audit.service import entries_for_target
from xinyong.keys.model import Role
from xinyong.lists.service import run_lists
from xinyong.policy.loader import load_pack
from xinyong.registry.model import LegalRepresentative, SubjectRegistration
from xinyong.registry.service import register_subject
from xinyong.store.engine import Store
from xinyong.store.queries import records
from xinyong.store.uow import UnitOfWork

DEFAULTERS = "/api/v1/lists/judgment_defaulters/entries"


def _defaulter(code: str, number: str) -> Any:
    payload = {"case_number": number, "court": "福州市中级人民法院",
               "circumstance": "有履行能力而拒不履行"}  # fmt: skip
    return new_record(subject_code=code, document_number=number, payload=payload,
                      catalog_item="jud.defaulter", department="court", jurisdiction="national",
                      decided_on=date(2026, 1, 5), severity="serious")  # fmt: skip


@pytest.fixture
def listed(node_store: Store, now: datetime) -> None:
    """A company and a person on the defaulters list; one more company only notified."""
    rep = LegalRepresentative("张三", RESIDENT_ID)
    register_subject(UnitOfWork(node_store), SubjectRegistration(USCC, COMPANY_NAME, legal_representative=rep), now)  # fmt: skip
    register_subject(UnitOfWork(node_store), SubjectRegistration(RESIDENT_ID, PERSON_NAME), now)
    register_subject(UnitOfWork(node_store), SubjectRegistration(USCC_2, "北京示例有限公司"), now)
    with UnitOfWork(node_store) as uow:
        for code, number in ((USCC, "（2026）闽01执1号"), (RESIDENT_ID, "（2026）闽01执2号")):
            records.insert_record(uow.connection, _defaulter(code, number), now)
        late = _defaulter(USCC_2, "（2026）闽01执3号")
        records.insert_record(uow.connection, replace(late, decided_on=date(2026, 1, 19)), now)
        uow.commit()
    pack = load_pack("national")
    run_lists(node_store, pack, datetime(2026, 1, 6, 2, tzinfo=UTC))
    run_lists(node_store, pack, datetime(2026, 1, 20, 2, tzinfo=UTC))


def test_the_operator_sees_entries_whole(client: TestClient, key_for: KeyFor, listed: None) -> None:
    body = client.get(DEFAULTERS, headers=bearer(key_for(Role.OPERATOR))).json()
    assert body["total"] == 2
    assert body["masked"] is False
    by_kind = {item["subject_kind"]: item for item in body["items"]}
    assert by_kind["natural"]["subject_code"] == RESIDENT_ID
    assert by_kind["natural"]["subject_name"] == PERSON_NAME
    assert by_kind["legal"]["basis"]["documents"] == ["（2026）闽01执1号"]
    assert by_kind["legal"]["state"] == "listed"
    assert by_kind["legal"]["objection_until"] == "2026-01-09"  # 3 working days after Tue 6


def test_the_public_sees_natural_persons_masked(
    client: TestClient, key_for: KeyFor, listed: None
) -> None:
    body = client.get(DEFAULTERS, headers=bearer(key_for(Role.PUBLIC))).json()
    assert body["masked"] is True
    by_kind = {item["subject_kind"]: item for item in body["items"]}
    assert by_kind["natural"]["subject_code"] == "350102********2349"
    assert by_kind["natural"]["subject_name"] == "李**"
    assert by_kind["legal"]["subject_code"] == USCC  # legal persons are public whole
    assert RESIDENT_ID not in str(body)


def test_only_the_operator_sees_entries_not_yet_listed_and_that_read_is_audited(
    client: TestClient, key_for: KeyFor, listed: None, node_store: Store
) -> None:
    asked = {"state": ["proposed", "notified", "listed", "removed"]}
    checker = client.get(DEFAULTERS, params=asked, headers=bearer(key_for(Role.CHECKER))).json()
    assert sorted(item["state"] for item in checker["items"]) == ["listed", "listed"]
    operator = client.get(DEFAULTERS, params=asked, headers=bearer(key_for(Role.OPERATOR)))
    assert sorted(item["state"] for item in operator.json()["items"]) == [
        "listed", "listed", "notified"]  # fmt: skip
    with UnitOfWork(node_store, read_only=True) as uow:
        audited = entries_for_target(uow.connection, "list:judgment_defaulters")
    assert [a.action for a in audited] == ["list.read"]


def test_an_unknown_list_is_a_404_problem(client: TestClient, key_for: KeyFor) -> None:
    answer = client.get("/api/v1/lists/nope/entries", headers=bearer(key_for(Role.CHECKER)))
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == "list-unknown"
