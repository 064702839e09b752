"""Small builders for store tests: valid codes, a subject row, a record."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from sqlalchemy import Connection

from xinyong.store.queries import records, reference, subjects

# Valid codes (check digits computed with python-stdnum).
USCC = "91350100M000100Y43"  # an enterprise registered in 福州市
USCC_2 = "91110000600037341L"  # an enterprise registered in 北京市
RESIDENT_ID = "350102198506152349"  # born 1985-06-15 in 福州市鼓楼区


def subject_row(code: str = USCC, name: str = "福州示例科技有限公司") -> subjects.SubjectRow:
    return subjects.SubjectRow(
        code=code,
        code_kind="uscc",
        subject_kind="legal",
        type_code=code[:2],
        name=name,
        region_code=code[2:8],
        legal_rep_code=RESIDENT_ID,
        legal_rep_name="张三",
        established_on=date(2015, 7, 1),
    )


def add_reference(
    conn: Connection, jurisdiction: str = "fuzhou", department: str = "market"
) -> None:
    reference.upsert_jurisdiction(
        conn, reference.JurisdictionRow(jurisdiction, "福州市", "Fuzhou", "city")
    )
    reference.upsert_department(
        conn,
        reference.DepartmentRow(jurisdiction, department, "市场监督管理局", "Market regulation"),
    )


def content_hash(payload: dict[str, Any], document_number: str) -> str:
    text = json.dumps([payload, document_number], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def new_record(
    subject_code: str = USCC,
    document_number: str = "榕市监罚〔2026〕1号",
    payload: dict[str, Any] | None = None,
    **overrides: Any,
) -> records.NewRecord:
    body = payload if payload is not None else {"事由": "未按规定公示年度报告", "罚款": 5000}
    values: dict[str, Any] = {
        "subject_code": subject_code,
        "catalog_item": "administrative_penalty",
        "department": "market",
        "jurisdiction": "fuzhou",
        "document_number": document_number,
        "decided_on": date(2026, 2, 27),
        "polarity": "negative",
        "payload": body,
        "disclosure_scope": "public",
        "content_hash": content_hash(body, document_number),
        "severity": "general",
    }
    values.update(overrides)
    return records.NewRecord(**values)
