"""The subject's own file on the portal: the day each record can be repaired, the file as PDF,
objecting to a list entry, and getting one's own evidence back (and no one else's)."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.conftest import File, KeyFor, app_for
from tests.web.forms import AGENT_LOGIN, PASSWORD, png, sign_in, token
from xinyong.config import Settings
from xinyong.keys.model import Role
from xinyong.keys.service import authenticate
from xinyong.policy.loader import load_pack
from xinyong.rights.account_service import invite_account
from xinyong.rights.objections import Target
from xinyong.rights.repair_service import apply_for_repair, decide_repair, repair_eligibility
from xinyong.rights.service import accept_attachments, file_objection
from xinyong.store.engine import Store

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN"}


def _row(page: str, document: str) -> str:
    """The table row of one record on the subject's page."""
    found = re.search(r"<tr><td>" + re.escape(document) + r"</td>.*?</tr>", page, re.S)
    assert found is not None, document
    return found.group(0)


def test_each_negative_record_says_when_it_can_be_repaired(
    portal: TestClient, subject_file: File, node_store: Store, now: datetime
) -> None:
    assert sign_in(portal).status_code == 303
    page = portal.get("/me", headers=EN).text
    pack = load_pack("national")
    for what in ("company_public", "company_shared", "company_authorised"):
        seen = repair_eligibility(node_store, pack, subject_file.company, subject_file.ids[what],
                                  now=now)  # fmt: skip
        assert seen.possible_on is not None
        assert not seen.eligible  # decided weeks ago: the minimum period still runs
        number = int(what != "company_public") + int(what == "company_authorised") + 1
        row = _row(page, f"国市监罚〔2026〕{number}号")
        assert f"possible from {seen.possible_on.isoformat()}" in row
    revoked = _row(page, "国市监罚〔2026〕4号")
    assert "the record no longer stands" in revoked  # the rule's reason, not a day
    chinese = portal.get("/me", headers=ZH).text
    assert "起可申请" in _row(chinese, "国市监罚〔2026〕1号")
    assert "该记录已不再有效" in _row(chinese, "国市监罚〔2026〕4号")


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "file.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True)  # fmt: skip
    return done.stdout


def test_the_file_as_pdf_holds_every_record_and_each_look_and_is_itself_a_look(
    portal: TestClient, subject_file: File, tmp_path: Path
) -> None:
    assert sign_in(portal).status_code == 303
    portal.get("/me")  # one look the PDF must list
    answer = portal.get("/me/file.pdf", headers=EN)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].startswith("attachment")
    assert answer.headers["cache-control"] == "no-store"
    text = _pdf_text(answer.content, tmp_path)
    for number in (1, 2, 3):  # public, shared and authorised alike
        assert f"国市监罚〔2026〕{number}号" in text
    assert "Who looked at my file" in text
    assert "Read the whole file" in text
    assert "not for publication" in text
    chinese = _pdf_text(portal.get("/me/file.pdf", headers=ZH).content, tmp_path)
    assert "本人档案" in chinese
    history = portal.get("/me/file.json").json()["history"]
    assert sum(q["kind"] == "file.read" for q in history) == 3  # the page and both PDFs


def test_a_subject_objects_to_its_own_list_entry_from_its_file(
    portal: TestClient, listed: File
) -> None:
    assert sign_in(portal).status_code == 303
    page = portal.get("/me", headers=EN).text
    form = re.search(r'id="entry-item" name="item">\s*<option value="(\d+)"', page)
    assert form is not None
    filed = portal.post("/me/objections", data={
        "target": "list_entry", "item": form[1], "reasons": "执行款已全部履行",
        "csrf": token(page)}, follow_redirects=False)  # fmt: skip
    assert filed.status_code == 303
    after = portal.get("/me", headers=EN).text
    assert f"list_entry:{form[1]}: <strong>Open</strong>" in after
    again = portal.post("/me/objections", data={
        "target": "list_entry", "item": form[1], "reasons": "再次", "csrf": token(after)},
        follow_redirects=False)  # fmt: skip
    assert again.status_code == 409  # one open objection per item


def test_ones_own_evidence_comes_back_and_another_subjects_ids_are_absent(
    portal: TestClient, subject_file: File, node_store: Store, now: datetime
) -> None:
    theirs = file_objection(
        node_store, load_pack("national"), subject_code=subject_file.person, target=Target.RECORD,
        item=subject_file.ids["person_public"], reasons="他人的异议",
        attachments=accept_attachments([("他人.png", png(), "image/png")], max_bytes=10**6),
        actor=f"subject:{subject_file.person}", now=now)  # fmt: skip
    assert sign_in(portal).status_code == 303
    evidence = png()
    filed = portal.post("/me/objections", data={
        "target": "record", "item": subject_file.ids["company_public"], "reasons": "罚款已缴纳",
        "csrf": token(portal.get("/me").text)},
        files=[("files", ("回单.png", evidence, "image/png"))], follow_redirects=False)  # fmt: skip
    assert filed.status_code == 303
    link = re.search(r'href="(/me/objections/(\d+)/attachments/(\d+))"', portal.get("/me").text)
    assert link is not None
    mine = portal.get(link[1])
    assert mine.status_code == 200
    assert mine.content == evidence
    assert mine.headers["content-type"] == "image/png"
    assert mine.headers["content-disposition"].startswith("attachment")
    assert mine.headers["x-content-type-options"] == "nosniff"
    their_id = theirs.id  # filed first: its evidence is attachment 1, ours the next
    assert their_id is not None
    for oid, aid in ((their_id, 1), (their_id, int(link[3])), (int(link[2]), int(link[3]) - 1)):
        refused = portal.get(f"/me/objections/{oid}/attachments/{aid}")
        assert refused.status_code == 404, (oid, aid)
        assert refused.content != evidence


def test_a_refused_repair_is_contested_from_ones_own_file(
    node_settings: Settings, node_store: Store, subject_file: File, key_for: KeyFor, now: datetime
) -> None:
    later = now + timedelta(days=92)  # the February penalties may be repaired by then
    pack = load_pack("national")
    applied = apply_for_repair(node_store, pack, subject_code=subject_file.company,
                               record_id=subject_file.ids["company_public"], performed="已缴清",
                               committed=True, actor=f"subject:{subject_file.company}", now=later)  # fmt: skip
    decide_repair(node_store, pack, authenticate(node_store, key_for(Role.DEPARTMENT)),
                  applied.id or 0, False, "凭证不清晰", now=later)  # fmt: skip
    invite_account(node_store, subject_code=subject_file.company, login=AGENT_LOGIN,
                   password=PASSWORD, actor="operator", now=now)  # fmt: skip
    with TestClient(app_for(node_settings, later), base_url="https://testserver") as client:
        assert sign_in(client).status_code == 303
        page = client.get("/me", headers=EN).text
        assert f'name="item" value="{applied.id}"' in page  # the refusal's own form
        filed = client.post("/me/objections", data={
            "target": "repair", "item": str(applied.id), "reasons": "凭证清晰，附原件扫描",
            "csrf": token(page)}, follow_redirects=False)  # fmt: skip
        assert filed.status_code == 303
        assert f"repair:{applied.id}: <strong>Open</strong>" in client.get("/me", headers=EN).text
