"""A subject's own file: everything the node holds, every look at it, portable as JSON, audited."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import File, KeyFor, bearer
from tests.web.conftest import DEFAULTER_DOC, listed
from xinyong.keys.model import Role

__all__ = ["listed"]


def test_the_file_holds_every_scope_every_entry_and_every_look(
    client: TestClient, key_for: KeyFor, listed: File
) -> None:
    operator, agency, checker = (key_for(r) for r in (Role.OPERATOR, Role.AGENCY, Role.CHECKER))
    code = listed.company
    client.post(f"/api/v1/subjects/{code}/objections", headers=bearer(operator),
                data={"target": "record", "item": listed.ids["company_public"],
                      "reasons": "已缴清"})  # fmt: skip
    client.get(f"/api/v1/subjects/{code}/authorised?purpose=loan_application",
               headers=bearer(agency))  # fmt: skip
    client.post("/api/v1/checks", headers=bearer(checker),
                json={"subject_code": code, "matter": "flight_ticket"})  # fmt: skip
    file = client.get(f"/api/v1/subjects/{code}/file", headers=bearer(operator))
    assert file.status_code == 200
    body = file.json()
    ids = {r["record_id"] for r in body["records"]}
    assert {listed.ids[k] for k in ("company_public", "company_shared", "company_authorised",
                                    "company_revoked", "company_period_over")} <= ids  # fmt: skip
    (entry,) = body["list_entries"]
    assert entry["entry"]["basis"]["documents"] == [DEFAULTER_DOC]
    assert [s["to_state"] for s in entry["steps"]] == ["proposed", "notified", "listed"]
    assert entry["notice"]["text_zh"]
    assert [o["state"] for o in body["objections"]] == ["open"]
    assert {e["model"] for e in body["evaluations"]}  # a company is graded, reasons included
    kinds = [q["kind"] for q in body["history"]]
    assert "authorised.refused" in kinds
    assert "check" in kinds
    again = client.get(f"/api/v1/subjects/{code}/history", headers=bearer(operator)).json()
    assert again[-1]["kind"] == "file.read"  # reading the file is itself a look, shown next time
    assert client.get(f"/api/v1/subjects/{code}/file", headers=bearer(agency)).status_code == 403
