"""Signing in to the portal: CSRF on every form, a new session at sign-in, safe cookies, own file only."""

from __future__ import annotations

from datetime import datetime

from fastapi.testclient import TestClient

from tests.api.conftest import PERSON_NAME, File
from tests.store.helpers import RESIDENT_ID
from tests.web.forms import PASSWORD
from tests.web.forms import sign_in as _sign_in
from tests.web.forms import token as _token
from xinyong.rights.account_service import reset_password
from xinyong.store.engine import Store
from xinyong.web.session import SESSION_COOKIE

SHARED, AUTHORISED = (
    "国市监罚〔2026〕2号",
    "国市监罚〔2026〕3号",
)  # not public: only in one's own file


def test_signing_in_starts_a_new_safe_session_and_shows_the_whole_own_file(
    portal: TestClient,
) -> None:
    portal.cookies.set(SESSION_COOKIE, "planted-by-someone-else", domain="testserver")
    signed = _sign_in(portal)
    assert (signed.status_code, signed.headers["location"]) == (303, "/me")
    cookie = next(c for c in signed.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE))
    flags = cookie.lower()
    assert "httponly" in flags
    assert "secure" in flags
    assert "samesite=lax" in flags
    assert "max-age=1800" in flags
    assert "planted-by-someone-else" not in cookie  # fixation: never the session brought in
    assert RESIDENT_ID not in cookie  # the login rides in the cookie, not an identity number
    page = portal.get("/me", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert SHARED in page.text
    assert AUTHORISED in page.text
    download = portal.get("/me/file.json")
    assert download.headers["content-disposition"].startswith("attachment")
    assert {r["document_number"] for r in download.json()["records"]} >= {SHARED, AUTHORISED}


def test_a_form_without_its_token_is_refused_and_changes_nothing(portal: TestClient) -> None:
    for sent in ({}, {"csrf": "forged"}):
        refused = portal.post("/signin", data={"login": "company-agent", "password": PASSWORD,
                                               **sent}, follow_redirects=False)  # fmt: skip
        assert refused.status_code == 403
    assert portal.get("/me", follow_redirects=False).status_code == 303  # still signed out
    assert _sign_in(portal).status_code == 303
    out = portal.post("/signout", data={"csrf": "forged"}, follow_redirects=False)
    assert out.status_code == 403
    assert portal.get("/me", follow_redirects=False).status_code == 200  # still signed in
    token = _token(portal.get("/me").text)
    assert portal.post("/signout", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert portal.get("/me", follow_redirects=False).status_code == 303


def test_a_wrong_password_or_a_forged_cookie_reads_nothing(portal: TestClient) -> None:
    refused = _sign_in(portal, password="not the password")
    assert refused.status_code == 401
    assert "/me" not in refused.headers.get("location", "")
    portal.cookies.set(SESSION_COOKIE, "eyJsb2dpbiI6ImNvbXBhbnktYWdlbnQifQ.forged.sig",
                       domain="testserver")  # fmt: skip
    assert portal.get("/me", follow_redirects=False).status_code == 303


def test_the_own_file_has_no_id_to_change(portal: TestClient, subject_file: File) -> None:
    assert _sign_in(portal).status_code == 303
    for url in (f"/me?code={RESIDENT_ID}", f"/me/file.json?subject={RESIDENT_ID}"):
        answer = portal.get(url)
        assert PERSON_NAME not in answer.text  # the person's file is never read this way
        assert subject_file.company in answer.text


def test_signing_out_ends_the_session_for_every_copy_of_its_cookie(portal: TestClient) -> None:
    assert _sign_in(portal).status_code == 303
    copied = portal.cookies.get(SESSION_COOKIE)
    assert copied is not None
    token = _token(portal.get("/me").text)
    assert portal.post("/signout", data={"csrf": token}, follow_redirects=False).status_code == 303
    portal.cookies.set(SESSION_COOKIE, copied, domain="testserver")  # replayed, still signed
    assert portal.get("/me", follow_redirects=False).status_code == 303
    assert portal.get("/me/file.json", follow_redirects=False).status_code == 303


def test_a_new_password_ends_the_accounts_sessions(
    portal: TestClient, node_store: Store, now: datetime
) -> None:
    assert _sign_in(portal).status_code == 303
    assert portal.get("/me", follow_redirects=False).status_code == 200
    reset_password(node_store, "company-agent", "another good password", actor="operator", now=now)
    assert portal.get("/me", follow_redirects=False).status_code == 303
    assert _sign_in(portal, password="another good password").status_code == 303
    assert portal.get("/me", follow_redirects=False).status_code == 200
