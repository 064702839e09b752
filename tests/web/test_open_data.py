"""The double-publicity feed and open data: public decisions and lists only, persons masked, reusable."""

from __future__ import annotations

import csv
import io
import itertools
import json
from datetime import date, datetime

from fastapi.testclient import TestClient

from tests.api.conftest import COMPANY_NAME, PERSON_NAME, File
from tests.store.helpers import RESIDENT_ID, USCC_2, new_record
from tests.web.conftest import DEFAULTER_DOC, PERSON_DEFAULTER_DOC
from xinyong.disclosure.lists import every_public_entry
from xinyong.policy.loader import load_pack
from xinyong.registry.model import SubjectRegistration
from xinyong.registry.service import register_subject
from xinyong.store.engine import Store
from xinyong.store.queries import records
from xinyong.store.uow import UnitOfWork
from xinyong.web.pages import PORTAL

EN = {"Accept-Language": "en"}
MASKED_ID = "350102********2349"
UNPUBLISHED = "long_serving_volunteers"  # national pack, public = false


def _doc(n: int) -> str:
    return f"国市监罚〔2026〕{n}号"


def test_the_feed_lists_public_decisions_only_and_masks_persons(
    client: TestClient, subject_file: File
) -> None:
    page = client.get("/feed", headers=EN)
    assert page.status_code == 200
    for shown in (1, 7):  # the company's public penalty, the person's public penalty
        assert _doc(shown) in page.text
    for hidden in (2, 3, 4, 5, 6):  # shared, authorised, revoked, past its period, shared
        assert _doc(hidden) not in page.text
    assert COMPANY_NAME in page.text
    assert MASKED_ID in page.text
    assert RESIDENT_ID not in page.text
    assert PERSON_NAME not in page.text
    assert "2 found." in page.text


def test_the_feed_filters_by_department_and_date(client: TestClient, subject_file: File) -> None:
    assert _doc(1) in client.get("/feed", params={"department": "samr"}).text
    assert _doc(1) not in client.get("/feed", params={"department": "tax"}).text
    # Record 1 was decided on 2026-02-01, record 7 on 2026-02-07.
    window = client.get("/feed", params={"from": "2026-02-02", "to": "2026-02-28"}).text
    assert (_doc(1) in window, _doc(7) in window) == (False, True)
    assert client.get("/feed", params={"from": "not-a-date"}).status_code == 422


def test_the_json_pages_carry_the_licence_and_the_next_page(
    client: TestClient, subject_file: File
) -> None:
    response = client.get("/open-data/decisions.json")
    assert response.status_code == 200
    assert 'rel="license"' in response.headers["link"]
    body = response.json()
    assert body["licence"].startswith("CC BY 4.0")
    assert body["total"] == 2
    assert body["next"] is None
    by_doc = {item["document_number"]: item for item in body["items"]}
    assert set(by_doc) == {_doc(1), _doc(7)}
    assert by_doc[_doc(7)]["subject"] == {"code": MASKED_ID, "name": "李**", "kind": "natural"}
    assert "internal_note" not in by_doc[_doc(1)]["payload"]  # not declared public


def test_the_bulk_files_hold_the_same_decisions_and_neutralise_formulas(
    client: TestClient, subject_file: File, node_store: Store, now: datetime
) -> None:
    hostile = '=HYPERLINK("http://evil.example","点击")有限公司'
    register_subject(UnitOfWork(node_store), SubjectRegistration(USCC_2, hostile), now)
    record = new_record(subject_code=USCC_2, document_number="国市监罚〔2026〕99号",
                        catalog_item="adm.penalty", department="samr", jurisdiction="national",
                        decided_on=date(2026, 3, 1), disclosure_scope="public",
                        payload={"violation_type": "虚假宣传", "penalty_kind": "罚款"})  # fmt: skip
    with UnitOfWork(node_store) as uow:
        records.insert_record(uow.connection, record, now)
        uow.commit()
    raw = client.get("/open-data/decisions.csv")
    assert raw.status_code == 200
    assert raw.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.content.decode("utf-8-sig"))))
    assert [r["document_number"] for r in rows] == [_doc(1), _doc(7), "国市监罚〔2026〕99号"]
    assert rows[2]["subject_name"].startswith("'=HYPERLINK")  # a spreadsheet shows, not runs it
    assert rows[1]["subject_code"] == MASKED_ID
    assert RESIDENT_ID not in raw.text
    lines = client.get("/open-data/decisions.jsonl").text.splitlines()
    assert [json.loads(line)["document_number"] for line in lines] == [
        r["document_number"] for r in rows
    ]


def test_a_published_list_is_open_data_with_its_basis_and_persons_masked(
    client: TestClient, both_listed: File
) -> None:
    response = client.get("/open-data/lists/judgment_defaulters.json")
    assert response.status_code == 200
    assert 'rel="license"' in response.headers["link"]
    body = response.json()
    assert body["list"]["code"] == "judgment_defaulters"
    assert body["list"]["legal_basis"]
    assert body["total"] == 2
    assert body["next"] is None
    by_doc = {tuple(item["documents"]): item for item in body["items"]}
    assert by_doc[(DEFAULTER_DOC,)]["subject"]["name"] == COMPANY_NAME
    assert by_doc[(PERSON_DEFAULTER_DOC,)]["subject"] == {
        "code": MASKED_ID, "name": "李**", "kind": "natural"
    }  # fmt: skip
    raw = client.get("/open-data/lists/judgment_defaulters.csv")
    rows = list(csv.DictReader(io.StringIO(raw.content.decode("utf-8-sig"))))
    assert [r["documents"] for r in rows] == [i["documents"][0] for i in body["items"]]
    assert {r["until"] for r in rows} == {i["until"] for i in body["items"]}
    lines = client.get("/open-data/lists/judgment_defaulters.jsonl").text.splitlines()
    assert [json.loads(line) for line in lines] == body["items"]
    for text in (response.text, raw.text, "\n".join(lines)):
        assert RESIDENT_ID not in text
        assert PERSON_NAME not in text


def test_an_unknown_or_unpublished_list_is_a_problem_before_any_file(
    client: TestClient, listed: File
) -> None:
    for code, suffix in itertools.product(("no_such_list", UNPUBLISHED), ("json", "csv", "jsonl")):
        response = client.get(f"/open-data/lists/{code}.{suffix}")
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "list-unknown"
        assert UNPUBLISHED not in response.json()["detail"].replace(code, "")  # not among "known"
    assert client.get(f"/lists/{UNPUBLISHED}").status_code == 404


def test_the_bulk_list_file_reads_past_its_batch_size(
    node_store: Store, both_listed: File, now: datetime
) -> None:
    loaded = load_pack("national")
    views = every_public_entry(node_store, PORTAL, loaded, "judgment_defaulters", now=now,
                               batch=1)  # fmt: skip
    assert sorted(v.entry.basis["documents"][0] for v in views) == sorted(
        [DEFAULTER_DOC, PERSON_DEFAULTER_DOC]
    )
