"""On the portal: a subject files an objection with evidence; the department decides it at its desk."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from fastapi.testclient import TestClient

from tests.api.conftest import File, KeyFor
from tests.web.forms import png, sign_in, token
from xinyong.keys.model import Role
from xinyong.keys.service import create_key
from xinyong.policy.loader import load_pack
from xinyong.rights.consent_service import consents, grant_consent
from xinyong.store.engine import Store

EN = {"Accept-Language": "en"}


def _sign_in(client: TestClient) -> str:
    """Signed in as the company's agent: the token of its own file's forms."""
    assert sign_in(client).status_code == 303
    return token(client.get("/me").text)


def _object(client: TestClient, csrf: str, item: str) -> object:
    return client.post("/me/objections", data={"target": "record", "item": item,
                                               "reasons": "罚款已缴纳", "csrf": csrf},
                       files=[("files", ("回单.png", png(), "image/png"))],
                       follow_redirects=False)  # fmt: skip


def test_a_subject_objects_and_the_department_decides_at_its_desk(
    portal: TestClient, subject_file: File, key_for: KeyFor
) -> None:
    csrf = _sign_in(portal)
    filed = _object(portal, csrf, subject_file.ids["company_public"])
    assert filed.status_code == 303  # type: ignore[attr-defined]
    mine = portal.get("/me", headers=EN).text
    assert "<strong>Open</strong>" in mine
    public = portal.get(f"/subjects/{subject_file.company}", headers=EN).text
    assert "Under objection" in public
    desk = TestClient(portal.app, base_url="https://testserver")
    desk_token = token(desk.get("/desk/signin").text)
    signed = desk.post("/desk/signin", data={"key": key_for(Role.DEPARTMENT), "csrf": desk_token},
                       follow_redirects=False)  # fmt: skip
    assert signed.status_code == 303
    queue = desk.get("/desk", headers=EN).text
    assert "罚款已缴纳" in queue
    assert "回单.png" in queue
    objection_id = re.search(r"/desk/objections/(\d+)/decision", queue)
    assert objection_id is not None
    decided = desk.post(f"/desk/objections/{objection_id[1]}/decision",
                        data={"ruling": "revoke", "reason": "处罚决定已撤销",
                              "csrf": token(queue)}, follow_redirects=False)  # fmt: skip
    assert decided.status_code == 303
    assert "Nothing to decide." in desk.get("/desk", headers=EN).text
    after = portal.get("/me", headers=EN).text
    assert "<strong>Revoked</strong>" in after
    assert "处罚决定已撤销" in after


def test_forms_need_their_token_and_one_reaches_only_ones_own_records(
    portal: TestClient, subject_file: File, key_for: KeyFor
) -> None:
    csrf = _sign_in(portal)
    assert _object(portal, "forged", subject_file.ids["company_public"]).status_code == 403  # type: ignore[attr-defined]
    someone_elses = _object(portal, csrf, subject_file.ids["person_public"])
    assert someone_elses.status_code == 404  # type: ignore[attr-defined]
    assert "<strong>Open</strong>" not in portal.get("/me", headers=EN).text  # nothing filed
    checker = TestClient(portal.app, base_url="https://testserver")
    desk_token = token(checker.get("/desk/signin").text)
    answer = checker.post("/desk/signin", data={"key": key_for(Role.CHECKER), "csrf": desk_token},
                          follow_redirects=False)  # fmt: skip
    assert answer.status_code == 403
    assert checker.get("/desk", follow_redirects=False).status_code == 303  # not signed in


def test_repair_and_consent_from_ones_own_file_and_no_one_elses_consent(
    portal: TestClient, subject_file: File, node_store: Store, now: datetime
) -> None:
    csrf = _sign_in(portal)
    forms = {"/me/repairs": {"record_id": subject_file.ids["company_public"],
                             "performed": "已缴清", "committed": "true"},
             "/me/consents": {"agency": "x", "purpose": "loan_application",
                              "until": "2026-03-10"}}  # fmt: skip
    for url, fields in forms.items():
        forged = portal.post(url, data={**fields, "csrf": "forged"}, follow_redirects=False)
        assert forged.status_code == 403, url
    early = portal.post("/me/repairs", headers=EN, data={
        "record_id": subject_file.ids["company_public"], "performed": "已缴清",
        "committed": "true", "csrf": csrf}, follow_redirects=False)  # fmt: skip
    assert early.status_code == 409
    assert "2026-05-01" in early.text  # the day repair becomes possible (general, 3 months)
    agency, _ = create_key(node_store, name="某银行", role="agency", actor="test", now=now)
    until = (now + timedelta(days=10)).date().isoformat()
    granted = portal.post("/me/consents", data={"agency": agency.prefix,
                                                "purpose": "loan_application", "until": until,
                                                "csrf": csrf}, follow_redirects=False)  # fmt: skip
    assert granted.status_code == 303
    (mine,) = consents(node_store, subject_file.company)
    theirs = grant_consent(node_store, load_pack("national"), subject_code=subject_file.person,
                           agency_prefix=agency.prefix, purpose="loan_application",
                           until=(now + timedelta(days=5)).date(), granted_by="subject",
                           now=now)  # fmt: skip
    stolen = portal.post(f"/me/consents/{theirs.id}/revoke", data={"csrf": csrf},
                         follow_redirects=False)  # fmt: skip
    assert stolen.status_code == 404
    assert consents(node_store, subject_file.person)[0].revoked_at is None  # untouched
    revoked = portal.post(f"/me/consents/{mine.id}/revoke", data={"csrf": csrf},
                          follow_redirects=False)  # fmt: skip
    assert revoked.status_code == 303
    assert consents(node_store, subject_file.company)[0].revoked_at is not None
