"""Objections over HTTP: filing with evidence at the counter, the department's queue, decisions."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfWriter

from tests.api.conftest import File, KeyFor, bearer
from xinyong.keys.model import Role


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def _file(
    client: TestClient, key: str, code: str, item: str, files: list[tuple[str, bytes, str]]
) -> object:
    return client.post(
        f"/api/v1/subjects/{code}/objections",
        headers=bearer(key),
        data={"target": "record", "item": item, "reasons": "罚款已缴纳，处罚决定已撤销"},
        files=[("files", f) for f in files],
    )


def test_the_counter_files_with_evidence_and_the_department_decides(
    client: TestClient, key_for: KeyFor, subject_file: File
) -> None:
    operator, samr = key_for(Role.OPERATOR), key_for(Role.DEPARTMENT)
    item = subject_file.ids["company_public"]
    pdf = _pdf()
    filed = _file(client, operator, subject_file.company, item,
                  [("回单.pdf", pdf, "application/pdf"), ("照片.png", _png(), "image/png")])  # fmt: skip
    assert filed.status_code == 201, filed.text  # type: ignore[attr-defined]
    body = filed.json()  # type: ignore[attr-defined]
    assert (body["state"], body["department"], body["record_id"]) == ("open", "samr", item)
    assert [a["media_type"] for a in body["attachments"]] == ["application/pdf", "image/png"]
    records = client.get(f"/api/v1/subjects/{subject_file.company}/records",
                         headers=bearer(samr)).json()  # fmt: skip
    (shown,) = [r for r in records["items"] if r["record_id"] == item]
    assert shown["status"] == "under_objection"
    for role in (Role.AGENCY, Role.CHECKER, Role.PUBLIC):  # in exchange, marked alike
        exchanged = client.get(f"/api/v1/subjects/{subject_file.company}/records",
                               headers=bearer(key_for(role))).json()  # fmt: skip
        (seen,) = [r for r in exchanged["items"] if r["record_id"] == item]
        assert seen["status"] == "under_objection", role
    page = client.get(f"/subjects/{subject_file.company}", headers={"Accept-Language": "en"})
    assert "under objection" in page.text.lower()
    queue = client.get("/api/v1/objections", headers=bearer(samr)).json()
    assert [o["id"] for o in queue["items"]] == [body["id"]]
    attachment = body["attachments"][0]
    download = client.get(f"/api/v1/objections/{body['id']}/attachments/{attachment['id']}",
                          headers=bearer(samr))  # fmt: skip
    assert download.content == pdf
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("attachment;")
    decided = client.post(f"/api/v1/objections/{body['id']}/decision", headers=bearer(samr),
                          json={"ruling": "revoke", "reason": "处罚决定已被复议撤销"})  # fmt: skip
    assert decided.status_code == 200, decided.text
    assert decided.json()["state"] == "revoked"
    again = client.post(f"/api/v1/objections/{body['id']}/decision", headers=bearer(samr),
                        json={"ruling": "uphold", "reason": "再次"})  # fmt: skip
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json()["code"] == "objection-step-refused"


def test_spoofed_and_oversized_attachments_are_refused_and_nothing_is_filed(
    client: TestClient, key_for: KeyFor, subject_file: File
) -> None:
    operator = key_for(Role.OPERATOR)
    item = subject_file.ids["company_public"]
    cases = [
        (("证明.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"), 415),
        (("证明.pdf", _png(), "application/pdf"), 415),  # a PNG calling itself a PDF
        (("证明.png", b"\x89PNG\r\n\x1a\n" + b"not really an image", "image/png"), 415),
        (("证明.pdf", b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024), "application/pdf"), 413),
    ]
    for upload, status in cases:
        refused = _file(client, operator, subject_file.company, item, [upload])
        assert refused.status_code == status, upload[0]  # type: ignore[attr-defined]
        assert refused.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
    queue = client.get("/api/v1/objections", headers=bearer(operator)).json()
    assert queue["total"] == 0
    records = client.get(f"/api/v1/subjects/{subject_file.company}/records",
                         headers=bearer(operator)).json()  # fmt: skip
    assert {r["status"] for r in records["items"] if r["record_id"] == item} == {"active"}


def test_only_the_operator_files_and_only_deciders_see_the_queue(
    client: TestClient, key_for: KeyFor, subject_file: File
) -> None:
    item = subject_file.ids["company_public"]
    for role in (Role.DEPARTMENT, Role.CHECKER, Role.AGENCY, Role.PUBLIC):
        assert _file(client, key_for(role), subject_file.company, item, []).status_code == 403  # type: ignore[attr-defined]
    for role in (Role.CHECKER, Role.AGENCY, Role.PUBLIC):
        assert client.get("/api/v1/objections", headers=bearer(key_for(role))).status_code == 403
    missing = client.get("/api/v1/objections/999", headers=bearer(key_for(Role.OPERATOR)))
    assert missing.status_code == 404
    assert missing.json()["code"] == "objection-not-found"
    unknown = _file(client, key_for(Role.OPERATOR), subject_file.company, "no-such-record", [])
    assert unknown.status_code == 404  # type: ignore[attr-defined]
    assert unknown.json()["code"] == "objection-target-not-found"  # type: ignore[attr-defined]


def test_the_operator_overview_counts_per_department(
    client: TestClient, key_for: KeyFor, subject_file: File
) -> None:
    operator = key_for(Role.OPERATOR)
    item = subject_file.ids["company_public"]
    assert _file(client, operator, subject_file.company, item, []).status_code == 201  # type: ignore[attr-defined]
    loads = client.get("/api/v1/rights/overview", headers=bearer(operator)).json()
    assert [
        (x["workflow"], x["department"], x["open"], x["limit_working_days"]) for x in loads
    ] == [("objections", "samr", 1, 5)]
    denied = client.get("/api/v1/rights/overview", headers=bearer(key_for(Role.DEPARTMENT)))
    assert denied.status_code == 403
