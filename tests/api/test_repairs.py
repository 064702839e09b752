"""Credit repair over HTTP: the day it becomes possible, the application, the decision, the notices."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from tests.api.conftest import File, KeyFor, app_for, bearer
from xinyong.config import Settings
from xinyong.keys.model import Role

MAY = datetime(2026, 5, 6, 2, tzinfo=UTC)


def test_too_early_says_from_when_and_later_an_approval_reaches_the_agency(
    client: TestClient, node_settings: Settings, key_for: KeyFor, subject_file: File
) -> None:
    operator, samr, agency = (key_for(r) for r in (Role.OPERATOR, Role.DEPARTMENT, Role.AGENCY))
    code, record = subject_file.company, subject_file.ids["company_public"]
    seen = client.get(f"/api/v1/subjects/{code}/records/{record}/repair-eligibility",
                      headers=bearer(operator)).json()  # fmt: skip
    # A general penalty of 1 February 2026 (the 2019 rule): three months at least.
    assert (seen["eligible"], seen["possible_on"]) == (False, "2026-05-01")
    body = {"record_id": record, "performed": "罚款已缴清", "committed": True}
    early = client.post(f"/api/v1/subjects/{code}/repairs", headers=bearer(operator), json=body)
    assert early.status_code == 409
    assert early.json()["code"] == "repair-not-yet"
    assert "2026-05-01" in early.json()["detail"]
    assert client.post(f"/api/v1/subjects/{code}/repairs", headers=bearer(samr),
                       json=body).status_code == 403  # fmt: skip
    with TestClient(app_for(node_settings, MAY)) as later:
        filed = later.post(f"/api/v1/subjects/{code}/repairs", headers=bearer(operator), json=body)
        assert filed.status_code == 201, filed.text
        repair = filed.json()
        assert (repair["state"], repair["department"]) == ("open", "samr")
        queue = later.get("/api/v1/repairs", headers=bearer(samr)).json()
        assert [r["id"] for r in queue["items"]] == [repair["id"]]
        refused = later.post(f"/api/v1/repairs/{repair['id']}/decision", headers=bearer(samr),
                             json={"approve": False, "reason": " "})  # fmt: skip
        assert (refused.status_code, refused.json()["code"]) == (409, "repair-step-refused")
        approved = later.post(f"/api/v1/repairs/{repair['id']}/decision", headers=bearer(samr),
                              json={"approve": True, "reason": "准予修复"})  # fmt: skip
        assert approved.json()["state"] == "approved"
        (notice,) = later.get("/api/v1/notifications", headers=bearer(agency)).json()
        assert notice["kind"] == "repair.notice"
        assert notice["detail"]["record_id"] == record
        ack = later.post(f"/api/v1/notifications/{notice['id']}/ack", headers=bearer(agency))
        assert ack.status_code == 204
        assert later.get("/api/v1/notifications", headers=bearer(agency)).json() == []
        again = later.post(f"/api/v1/notifications/{notice['id']}/ack", headers=bearer(operator))
        assert again.status_code == 403  # only agencies acknowledge, each its own
