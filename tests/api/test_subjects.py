"""Subject pages and records through the API: what each role sees, masked, paginated."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import COMPANY_NAME, PAYLOAD, PERSON_NAME, File, KeyFor, bearer
from tests.store.helpers import RESIDENT_ID, USCC
from xinyong.keys.model import Role

# Which seeded records each role sees (see conftest.subject_file).
VISIBLE = {
    Role.OPERATOR: {
        "company_public",
        "company_shared",
        "company_authorised",
        "company_revoked",
        "company_period_over",
        "person_shared",
        "person_public",
    },
    Role.DEPARTMENT: {
        "company_public",
        "company_shared",
        "company_revoked",
        "company_period_over",
        "person_shared",
        "person_public",
    },
    Role.CHECKER: {
        "company_public",
        "company_shared",
        "company_revoked",
        "company_period_over",
        "person_shared",
        "person_public",
    },
    Role.AGENCY: {"company_public", "person_public"},
    Role.PUBLIC: {"company_public", "person_public"},
}


def _records(client: TestClient, key: str, code: str, **params: int) -> dict[str, object]:
    response = client.get(f"/api/v1/subjects/{code}/records", headers=bearer(key), params=params)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_the_records_of_its_scopes(
    client: TestClient, key_for: KeyFor, subject_file: File, role: Role
) -> None:
    key = key_for(role)
    seen = set()
    for code in (subject_file.company, subject_file.person):
        body = _records(client, key, code, limit=100)
        items = body["items"]
        assert isinstance(items, list)
        assert body["total"] == len(items)
        seen |= {item["record_id"] for item in items}
    names = {name for name, record_id in subject_file.ids.items() if record_id in seen}
    assert names == VISIBLE[role]


def test_public_cannot_see_a_persons_shared_record_and_sees_a_masked_name(
    client: TestClient, key_for: KeyFor, subject_file: File
) -> None:
    key = key_for(Role.PUBLIC)
    body = _records(client, key, RESIDENT_ID)
    assert body["subject"] == {
        "code": "350102********2349",
        "code_masked": True,
        "subject_kind": "natural",
        "name": "李**",
        "name_masked": True,
    }
    assert [i["record_id"] for i in body["items"]] == [subject_file.ids["person_public"]]  # type: ignore[attr-defined]
    assert PERSON_NAME not in str(body)
    assert RESIDENT_ID not in str(body)

    page = client.get(f"/api/v1/subjects/{RESIDENT_ID}", headers=bearer(key)).json()
    assert (page["code"], page["name"]) == ("350102********2349", "李**")
    assert (page["code_masked"], page["name_masked"]) == (True, True)
    assert page["established_on"] is None  # a birth date
    assert page["record_counts"] == [
        {"catalog_item": "adm.penalty", "status": "active", "count": 1}
    ]
    assert PERSON_NAME not in str(page)
    assert RESIDENT_ID not in str(page)


def test_an_agency_sees_the_code_but_not_the_name_of_a_person(
    client: TestClient, key_for: KeyFor, subject_file: File
) -> None:
    page = client.get(f"/api/v1/subjects/{RESIDENT_ID}", headers=bearer(key_for(Role.AGENCY)))
    body = page.json()
    assert (body["code"], body["name"]) == (RESIDENT_ID, "李**")
    assert (body["code_masked"], body["name_masked"]) == (False, True)


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.DEPARTMENT, Role.CHECKER])
def test_government_roles_see_a_person_whole(
    client: TestClient, key_for: KeyFor, subject_file: File, role: Role
) -> None:
    body = client.get(f"/api/v1/subjects/{RESIDENT_ID}", headers=bearer(key_for(role))).json()
    assert (body["code"], body["name"], body["established_on"]) == (
        RESIDENT_ID,
        PERSON_NAME,
        "1985-06-15",
    )
    assert (body["code_masked"], body["name_masked"]) == (False, False)
    assert sum(c["count"] for c in body["record_counts"]) == 2


def test_a_companys_page_masks_its_representatives_id_for_the_public(
    client: TestClient, key_for: KeyFor, subject_file: File
) -> None:
    public = client.get(f"/api/v1/subjects/{USCC}", headers=bearer(key_for(Role.PUBLIC))).json()
    assert (public["code"], public["name"], public["code_masked"]) == (USCC, COMPANY_NAME, False)
    assert public["legal_representative"] == {"name": "张三", "code": "350102********2349"}
    assert public["type_name"] == {"zh": "企业", "en": "enterprise"}
    operator = client.get(f"/api/v1/subjects/{USCC}", headers=bearer(key_for(Role.OPERATOR)))
    assert operator.json()["legal_representative"] == {"name": "张三", "code": RESIDENT_ID}
    counts = {(c["status"], c["count"]) for c in operator.json()["record_counts"]}
    assert counts == {("active", 4), ("revoked", 1)}


def test_the_public_sees_only_the_payload_fields_the_catalog_declares_public(
    client: TestClient, key_for: KeyFor, subject_file: File
) -> None:
    public = _records(client, key_for(Role.PUBLIC), USCC)["items"]
    assert [i["payload"] for i in public] == [  # type: ignore[union-attr]
        {"violation_type": PAYLOAD["violation_type"], "penalty_kind": PAYLOAD["penalty_kind"]}
    ]
    checker = _records(client, key_for(Role.CHECKER), USCC)["items"]
    assert all(i["payload"] == PAYLOAD for i in checker)  # type: ignore[union-attr]


def test_records_are_paginated_newest_first(
    client: TestClient, key_for: KeyFor, subject_file: File
) -> None:
    key = key_for(Role.OPERATOR)
    first = _records(client, key, USCC, limit=2)
    second = _records(client, key, USCC, limit=2, offset=2)
    rest = _records(client, key, USCC, limit=2, offset=4)
    assert (first["total"], first["limit"], first["offset"]) == (5, 2, 0)
    pages = [first["items"], second["items"], rest["items"]]
    decided = [i["decided_on"] for page in pages for i in page]  # type: ignore[union-attr]
    assert decided == sorted(decided, reverse=True)
    assert len(decided) == 5
    assert _records(client, key, USCC, offset=50)["items"] == []


def test_codes_are_normalised_before_lookup(
    client: TestClient, key_for: KeyFor, subject_file: File
) -> None:
    spaced = "9135 0100 m000 100y 43"
    response = client.get(f"/api/v1/subjects/{spaced}", headers=bearer(key_for(Role.CHECKER)))
    assert (response.status_code, response.json()["code"]) == (200, USCC)


def test_catalog_lists_the_node_packs_items(client: TestClient, key_for: KeyFor) -> None:
    body = client.get("/api/v1/catalog", headers=bearer(key_for(Role.PUBLIC))).json()
    assert body["jurisdiction"] == "national"
    assert body["pack_version"].startswith("national@")
    penalty = next(i for i in body["items"] if i["code"] == "adm.penalty")
    assert penalty["disclosure"] == {"legal": "public", "natural": "shared"}
    assert penalty["severities"] == ["minor", "general", "serious"]
    assert "samr" in penalty["departments"]
    assert penalty["legal_basis"].startswith("行政处罚法")
    fields = {f["name"]: f for f in penalty["payload"]}
    assert fields["violation_type"]["required"] is True
    assert penalty["name"] == {"zh": "行政处罚信息", "en": "Administrative penalty"}
