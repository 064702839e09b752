"""Consent over HTTP: without → 403 and logged; with → the purpose's fields only, logged; revoked → 403."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from tests.api.conftest import File, KeyFor, bearer
from xinyong.keys.model import Role
from xinyong.policy.loader import load_pack


def _prefix(key: str) -> str:
    return key.split("_")[1]


def test_a_query_needs_a_consent_in_force_and_gets_only_the_purposes_fields(
    client: TestClient, key_for: KeyFor, subject_file: File
) -> None:
    operator, agency = key_for(Role.OPERATOR), key_for(Role.AGENCY)
    code = subject_file.company
    url = f"/api/v1/subjects/{code}/authorised?purpose=loan_application"
    refused = client.get(url, headers=bearer(agency))
    assert (refused.status_code, refused.json()["code"]) == (403, "consent-missing")
    until = (client.app.state.node.clock() + timedelta(days=30)).date()  # type: ignore[attr-defined]
    granted = client.post(f"/api/v1/subjects/{code}/consents", headers=bearer(operator),
                          json={"agency": _prefix(agency), "purpose": "loan_application",
                                "until": until.isoformat()})  # fmt: skip
    assert granted.status_code == 201, granted.text
    answered = client.get(url, headers=bearer(agency))
    assert answered.status_code == 200
    body = answered.json()
    purpose = next(p for p in load_pack("national").pack.purposes if p.code == "loan_application")
    assert body["fields"] == purpose.fields
    assert body["records"]
    assert all(set(r) <= set(purpose.fields) for r in body["records"])  # nothing else leaves
    assert "document_number" not in answered.text  # not a field this purpose allows
    assert len(body["records"]) == 2  # the public and the authorised record, not the shared one
    revoked = client.post(
        f"/api/v1/consents/{granted.json()['id']}/revoke", headers=bearer(operator)
    )
    assert revoked.json()["revoked_at"] is not None
    again = client.get(url, headers=bearer(agency))
    assert (again.status_code, again.json()["code"]) == (403, "consent-missing")
    history = client.get(f"/api/v1/subjects/{code}/history", headers=bearer(operator)).json()
    assert [(q["kind"], q["about"]) for q in history] == [
        ("authorised.refused", "loan_application"),
        ("authorised.read", "loan_application"),
        ("authorised.refused", "loan_application"),
    ]
    assert {q["who"] for q in history} == {f"key:{_prefix(agency)}"}


def test_consents_are_checked_when_granted(
    client: TestClient, key_for: KeyFor, subject_file: File
) -> None:
    operator, agency = key_for(Role.OPERATOR), key_for(Role.AGENCY)
    url = f"/api/v1/subjects/{subject_file.company}/consents"
    today = client.app.state.node.clock().date()  # type: ignore[attr-defined]
    cases = [
        ({"agency": _prefix(agency), "purpose": "no_such_purpose", "until": str(today)}, 404,
         "purpose-unknown"),
        ({"agency": _prefix(agency), "purpose": "loan_application",
          "until": str(today + timedelta(days=91))}, 400, "consent-invalid"),  # 90 days at most
        ({"agency": _prefix(operator), "purpose": "loan_application", "until": str(today)}, 400,
         "consent-invalid"),  # not an agency key
    ]  # fmt: skip
    for body, status, code in cases:
        answer = client.post(url, headers=bearer(operator), json=body)
        assert (answer.status_code, answer.json()["code"]) == (status, code), body
    assert client.get(url, headers=bearer(operator)).json() == []
    assert client.get(url, headers=bearer(agency)).status_code == 403
