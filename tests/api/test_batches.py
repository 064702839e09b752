"""Writing through the API: uploads and JSON records as batches, scoped by role and department.

The role matrix lists the exact status each role gets from each write
endpoint; a department key writes and reads back only for its own
department, and a revoked key is refused.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import KeyFor, app_for, bearer
from tests.store.helpers import RESIDENT_ID, USCC
from xinyong.config import Settings
from xinyong.keys.model import Role
from xinyong.keys.service import create_key, revoke_key
from xinyong.store.engine import Store


def registration() -> dict[str, Any]:
    return {
        "subject_code": USCC,
        "subject_name": "福州示例科技有限公司",
        "catalog_item": "reg.legal_person",
        "document_number": "REG-1",
        "decided_on": "2015-07-01",
        "registration": {"legal_rep_name": "张三", "legal_rep_code": RESIDENT_ID,
                         "established_on": "2015-07-01"},
    }  # fmt: skip


def penalty(number: str = "榕市监罚〔2025〕1号", **changes: Any) -> dict[str, Any]:
    record = {
        "subject_code": USCC,
        "subject_name": "福州示例科技有限公司",
        "catalog_item": "adm.penalty",
        "document_number": number,
        "decided_on": "2025年5月6日",
        "severity": "general",
        "payload": {"violation_type": "食品安全", "penalty_kind": "罚款", "fine_yuan": 20000},
    }
    return record | changes


CSV = (
    "行政相对人名称,行政相对人类别,行政相对人代码_1(统一社会信用代码),证件号码,"
    "行政处罚决定书文号,违法行为类型,处罚类别,罚款金额（万元）,处罚决定日期,备注\n"
    f"福州示例科技有限公司,法人及非法人组织,{USCC},,榕市监罚〔2025〕9号,食品安全,罚款,2,2025/05/06,\n"
    f"福州示例科技有限公司,法人及非法人组织,{USCC[:-1]}0,,榕市监罚〔2025〕10号,食品安全,罚款,2,2025/05/06,\n"
).encode()


def _seed(client: TestClient, key: str) -> None:
    answer = client.post("/api/v1/records", json={"records": [registration()]}, headers=bearer(key))
    assert answer.status_code == 201, answer.json()


# role → exact status of (POST /records, POST /batches, GET /batches/{id}).
MATRIX = {
    Role.OPERATOR: (201, 201, 200),
    Role.DEPARTMENT: (201, 201, 200),
    Role.CHECKER: (403, 403, 403),
    Role.AGENCY: (403, 403, 403),
    Role.PUBLIC: (403, 403, 403),
}


@pytest.mark.parametrize("role", list(Role))
def test_role_matrix_of_the_write_endpoints(
    client: TestClient, key_for: KeyFor, role: Role
) -> None:
    _seed(client, key_for(Role.DEPARTMENT))
    key = key_for(role)
    extra = {"department": "samr"} if role is Role.OPERATOR else {}
    records = client.post("/api/v1/records", json={"records": [penalty()], **extra},
                          headers=bearer(key))  # fmt: skip
    upload = client.post(
        "/api/v1/batches",
        files={"file": ("penalty.csv", CSV, "text/csv")},
        data=extra,
        headers=bearer(key),
    )
    seen = client.get("/api/v1/batches/1", headers=bearer(key))
    assert (records.status_code, upload.status_code, seen.status_code) == MATRIX[role]
    for answer in (records, upload, seen):
        if answer.status_code == 403:
            assert answer.json()["code"] == "role-forbidden"
            assert answer.headers["content-type"].startswith("application/problem+json")


def test_an_upload_reports_its_counts_and_lists_rejected_rows(
    client: TestClient, key_for: KeyFor
) -> None:
    key = key_for(Role.DEPARTMENT)
    _seed(client, key)
    answer = client.post("/api/v1/batches", files={"file": ("penalty.csv", CSV, "text/csv")},
                         headers=bearer(key))  # fmt: skip
    assert answer.status_code == 201
    batch = answer.json()
    assert (batch["mapping"], batch["rows"], batch["accepted"], batch["rejected"]) == (
        "dp_penalty", 2, 1, 1)  # fmt: skip
    assert batch["rejected_by_code"] == {"uscc-check-digit": 1}
    detail = client.get(f"/api/v1/batches/{batch['batch_id']}", headers=bearer(key)).json()
    [row] = detail["rejected_rows"]
    assert (row["row"], row["field"], row["error_code"]) == (2, "subject_code", "uscc-check-digit")
    assert row["original"]["行政处罚决定书文号"] == "榕市监罚〔2025〕10号"
    again = client.post("/api/v1/batches", files={"file": ("penalty.csv", CSV, "text/csv")},
                        headers=bearer(key))  # fmt: skip
    assert again.status_code == 200
    assert again.json()["already_applied"] is True
    assert again.json()["batch_id"] == batch["batch_id"]


def test_a_department_writing_another_departments_item_is_403(
    client: TestClient, key_for: KeyFor
) -> None:
    key = key_for(Role.DEPARTMENT)  # samr
    _seed(client, key)
    court_item = penalty(catalog_item="jud.defaulter")
    answer = client.post("/api/v1/records", json={"records": [penalty("ok"), court_item]},
                         headers=bearer(key))  # fmt: skip
    assert answer.status_code == 403
    assert answer.json()["code"] == "item-forbidden"
    assert "jud.defaulter" in answer.json()["detail"]
    # Nothing of the call was applied: the allowed record is not there either.
    assert client.get("/api/v1/batches/2", headers=bearer(key)).status_code == 404


def test_a_department_key_cannot_report_or_read_for_another_department(
    client: TestClient, key_for: KeyFor, node_store: Store, now: datetime
) -> None:
    samr = key_for(Role.DEPARTMENT)
    _, tax = create_key(node_store, name="tax", role="department", department="tax",
                        jurisdiction="national", actor="test", now=now)  # fmt: skip
    answer = client.post("/api/v1/records", json={"department": "tax", "records": [penalty()]},
                         headers=bearer(samr))  # fmt: skip
    assert (answer.status_code, answer.json()["code"]) == (403, "department-scope")
    _seed(client, samr)  # batch 1, samr's
    other = client.get("/api/v1/batches/1", headers=bearer(tax))
    assert (other.status_code, other.json()["code"]) == (403, "batch-scope")
    assert client.get("/api/v1/batches/1", headers=bearer(samr)).status_code == 200


def test_an_operator_must_name_the_department(client: TestClient, key_for: KeyFor) -> None:
    answer = client.post("/api/v1/records", json={"records": [penalty()]},
                         headers=bearer(key_for(Role.OPERATOR)))  # fmt: skip
    assert (answer.status_code, answer.json()["code"]) == (400, "department-required")


def test_a_revoked_department_key_is_401(
    client: TestClient, key_for: KeyFor, node_store: Store, now: datetime
) -> None:
    key = key_for(Role.DEPARTMENT)
    revoke_key(node_store, key.split("_")[1], actor="test", now=now)
    answer = client.post("/api/v1/records", json={"records": [penalty()]}, headers=bearer(key))
    assert (answer.status_code, answer.json()["code"]) == (401, "api-key-revoked")


def test_more_records_than_the_limit_is_413(
    node_settings: Settings, now: datetime, key_for: KeyFor
) -> None:
    limited = node_settings.model_copy(update={"api_max_records_per_call": 2})
    with TestClient(app_for(limited, now)) as client:
        body = {"records": [penalty(str(n)) for n in range(3)]}
        answer = client.post("/api/v1/records", json=body, headers=bearer(key_for(Role.DEPARTMENT)))
    assert (answer.status_code, answer.json()["code"]) == (413, "ingest-too-many-records")


def test_an_unknown_top_level_field_is_refused_before_anything_is_stored(
    client: TestClient, key_for: KeyFor
) -> None:
    record = penalty() | {"religion": "佛教"}
    answer = client.post("/api/v1/records", json={"records": [record]},
                         headers=bearer(key_for(Role.DEPARTMENT)))  # fmt: skip
    assert (answer.status_code, answer.json()["code"]) == (422, "request-invalid")


def test_a_file_no_mapping_reads_is_one_clear_422(client: TestClient, key_for: KeyFor) -> None:
    answer = client.post(
        "/api/v1/batches",
        files={"file": ("x.csv", b"colour,mood\nred,happy\n", "text/csv")},
        headers=bearer(key_for(Role.DEPARTMENT)),
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "ingest-unknown-layout")
    assert "colour, mood" in answer.json()["detail"]


def test_a_batch_id_beyond_64_bits_is_a_422_not_a_database_error(
    client: TestClient, key_for: KeyFor
) -> None:
    # Found by schemathesis: SQLite cannot bind integers past 64 bits.
    answer = client.get(
        "/api/v1/batches/99999999999999999999", headers=bearer(key_for(Role.DEPARTMENT))
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "request-invalid")


def test_a_large_upload_is_checked_in_workers_inside_the_server(
    client: TestClient, key_for: KeyFor
) -> None:
    # Over the 1 MB at which rows are checked in forked workers: the fork happens
    # in the server's worker thread, and the batch must come out whole and exact.
    key = key_for(Role.DEPARTMENT)
    _seed(client, key)
    header, good, bad = CSV.decode().splitlines()
    lines = [header]
    for n in range(8000):
        row = bad if n % 100 == 7 else good
        lines.append(
            row.replace("〔2025〕9号", f"〔2025〕A{n}号").replace("〔2025〕10号", f"〔2025〕A{n}号")
        )
    body = ("\n".join(lines) + "\n").encode()
    assert len(body) > 1 << 20
    answer = client.post("/api/v1/batches", files={"file": ("big.csv", body, "text/csv")},
                         headers=bearer(key))  # fmt: skip
    assert answer.status_code == 201, answer.json()
    batch = answer.json()
    assert (batch["rows"], batch["accepted"], batch["rejected"]) == (8000, 7920, 80)
    assert batch["rejected_by_code"] == {"uscc-check-digit": 80}
