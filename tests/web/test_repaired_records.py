"""A repaired record leaves every public view: the subject page, open data and the credit report."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.conftest import File, KeyFor, bearer
from xinyong.keys.model import Principal, Role
from xinyong.policy.loader import load_pack
from xinyong.rights.repair_service import apply_for_repair, decide_repair
from xinyong.store.engine import Store

DOC = "国市监罚〔2026〕1号"  # the company's public penalty in the subject file
SAMR = Principal(key_id=7, prefix="samr00007", name="samr clerk", role=Role.DEPARTMENT,
                 department="samr", jurisdiction="national")  # fmt: skip
MAY = datetime(2026, 5, 6, 2, tzinfo=UTC)  # past the 3 months of a general penalty (2019 rule)


def _views(client: TestClient, code: str, tmp_path: Path) -> dict[str, str]:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(client.get(f"/reports/{code}.pdf").content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    return {
        "page": client.get(f"/subjects/{code}").text,
        "json": client.get("/open-data/decisions.json").text,
        "csv": client.get("/open-data/decisions.csv").text,
        "pdf": text,
    }


def test_a_repaired_record_is_gone_from_pages_open_data_and_reports_and_from_sharing(
    client: TestClient, subject_file: File, node_store: Store, key_for: KeyFor, tmp_path: Path
) -> None:
    assert all(DOC in view for view in _views(client, subject_file.company, tmp_path).values())
    pack = load_pack("national")
    record_id = subject_file.ids["company_public"]
    application = apply_for_repair(node_store, pack, subject_code=subject_file.company,
                                   record_id=record_id, performed="罚款已缴清", committed=True,
                                   actor=f"subject:{subject_file.company}", now=MAY)  # fmt: skip
    decide_repair(node_store, pack, SAMR, application.id or 0, True, "准予修复", now=MAY)
    for name, view in _views(client, subject_file.company, tmp_path).items():
        assert DOC not in view, name
    shared = client.get(f"/api/v1/subjects/{subject_file.company}/records",
                        headers=bearer(key_for(Role.DEPARTMENT))).json()  # fmt: skip
    assert record_id not in {r["record_id"] for r in shared["items"]}  # sharing stops too
    kept = client.get(f"/api/v1/subjects/{subject_file.company}/records",
                      headers=bearer(key_for(Role.OPERATOR))).json()  # fmt: skip
    assert {r["status"] for r in kept["items"] if r["record_id"] == record_id} == {"repaired"}
