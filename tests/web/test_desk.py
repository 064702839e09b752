"""The desk on the portal: a department decides repairs and reads evidence of its own objections
only; the operator sees every department's load; signing out ends the desk's session."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import File, KeyFor, app_for
from tests.web.forms import png, token
from xinyong.config import Settings
from xinyong.keys.model import Role
from xinyong.keys.service import create_key
from xinyong.policy.loader import load_pack
from xinyong.registry.service import current_records
from xinyong.rights.objection_queue import objections_of
from xinyong.rights.objections import Target
from xinyong.rights.repair_service import apply_for_repair, repairs_of
from xinyong.rights.service import accept_attachments, file_objection
from xinyong.store.engine import Store
from xinyong.web.session import DESK_COOKIE

EN = {"Accept-Language": "en"}


@pytest.fixture
def later(now: datetime) -> datetime:
    """Three months on: the company's general penalties of February may be repaired."""
    return now + timedelta(days=92)


@pytest.fixture
def desk(node_settings: Settings, later: datetime) -> Iterator[TestClient]:
    with TestClient(app_for(node_settings, later), base_url="https://testserver") as client:
        yield client


def _sign_in(desk: TestClient, key: str) -> str:
    answer = desk.post("/desk/signin", data={"key": key, "csrf": token(desk.get("/desk/signin").text)},
                       follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303
    return desk.get("/desk", headers=EN).text


def test_a_department_approves_a_repair_at_its_desk(
    desk: TestClient, subject_file: File, node_store: Store, key_for: KeyFor, later: datetime
) -> None:
    pack = load_pack("national")
    applied = apply_for_repair(node_store, pack, subject_code=subject_file.company,
                               record_id=subject_file.ids["company_public"],
                               performed="罚款已缴清", committed=True,
                               actor=f"subject:{subject_file.company}", now=later)  # fmt: skip
    page = _sign_in(desk, key_for(Role.DEPARTMENT))
    assert f"/desk/repairs/{applied.id}/decision" in page
    assert "罚款已缴清" in page
    assert f"{applied.id}: 国市监罚〔2026〕1号</h2>" in page  # the record by its document number
    assert 'id="overview"' not in page  # a department sees its own work, not everyone's load
    empty = desk.post(f"/desk/repairs/{applied.id}/decision",
                      data={"decision": "refuse", "reason": "", "csrf": token(page)})  # fmt: skip
    assert empty.status_code == 409  # a refusal needs its reasons
    done = desk.post(f"/desk/repairs/{applied.id}/decision",
                     data={"decision": "approve", "csrf": token(page)}, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    (view,) = repairs_of(node_store, subject_file.company, now=later)
    assert view.repair.state == "approved"
    public = desk.get(f"/subjects/{subject_file.company}").text
    assert "国市监罚〔2026〕1号" not in public  # repaired: no longer published


def test_evidence_opens_at_its_own_departments_desk_only(
    desk: TestClient, subject_file: File, node_store: Store, key_for: KeyFor, later: datetime
) -> None:
    evidence = png()
    filed = file_objection(
        node_store, load_pack("national"), subject_code=subject_file.company, target=Target.RECORD,
        item=subject_file.ids["company_public"], reasons="罚款已缴纳",
        attachments=accept_attachments([("回单.png", evidence, "image/png")], max_bytes=10**6),
        actor=f"subject:{subject_file.company}", now=later)  # fmt: skip
    page = _sign_in(desk, key_for(Role.DEPARTMENT))
    assert f"{filed.id}: 国市监罚〔2026〕1号</h2>" in page
    link = re.search(rf'href="(/desk/objections/{filed.id}/attachments/\d+)"', page)
    assert link is not None
    got = desk.get(link[1])
    assert got.status_code == 200
    assert got.content == evidence
    assert got.headers["content-disposition"].startswith("attachment")
    _, court_key = create_key(node_store, name="法院", role="department", department="court",
                              jurisdiction="national", actor="test", now=later)  # fmt: skip
    court = TestClient(desk.app, base_url="https://testserver")
    assert "罚款已缴纳" not in _sign_in(court, court_key)  # not its queue
    refused = court.get(link[1])
    assert refused.status_code == 404
    assert refused.content != evidence


def test_the_operator_sees_each_departments_load_against_the_packs_limits(
    desk: TestClient, subject_file: File, node_store: Store, key_for: KeyFor, later: datetime
) -> None:
    file_objection(node_store, load_pack("national"), subject_code=subject_file.company,
                   target=Target.RECORD, item=subject_file.ids["company_public"], reasons="有误",
                   attachments=[], actor=f"subject:{subject_file.company}",
                   now=later - timedelta(days=30))  # fmt: skip
    page = _sign_in(desk, key_for(Role.OPERATOR))
    overview = page[page.index('id="overview"') :]
    row = re.search(r"<tr class=\"objected\"><td>Objections</td><td>samr</td>(.*?)</tr>", overview)
    assert row is not None  # overdue: filed a month ago, the limit is 5 working days
    cells = re.findall(r"<td>(.*?)</td>", row[1])
    assert cells[0:2] == ["1", "1"]  # open, overdue
    assert cells[-1] == str(load_pack("national").pack.objections.decide_within_working_days)


def test_signing_out_of_the_desk_ends_its_session_on_the_server(
    desk: TestClient, key_for: KeyFor
) -> None:
    page = _sign_in(desk, key_for(Role.DEPARTMENT))
    copied = desk.cookies.get(DESK_COOKIE)
    assert copied is not None
    out = desk.post("/desk/signout", data={"csrf": token(page)}, follow_redirects=False)
    assert out.status_code == 303
    desk.cookies.set(DESK_COOKIE, copied, domain="testserver")
    assert desk.get("/desk", follow_redirects=False).status_code == 303  # to the sign-in


def test_a_department_corrects_a_record_from_its_present_fields(
    desk: TestClient, subject_file: File, node_store: Store, key_for: KeyFor, later: datetime
) -> None:
    item = subject_file.ids["company_public"]
    filed = file_objection(node_store, load_pack("national"), subject_code=subject_file.company,
                           target=Target.RECORD, item=item, reasons="处罚种类登记有误",
                           attachments=[], actor=f"subject:{subject_file.company}", now=later)  # fmt: skip
    page = _sign_in(desk, key_for(Role.DEPARTMENT))
    assert 'name="field.penalty_kind" value="罚款"' in page  # the present value, to edit
    unchanged = desk.post(f"/desk/objections/{filed.id}/decision", data={
        "ruling": "correct", "reason": "更正", "field.penalty_kind": "罚款", "csrf": token(page)})  # fmt: skip
    assert unchanged.status_code == 400  # a correction that changes nothing is refused
    done = desk.post(f"/desk/objections/{filed.id}/decision", data={
        "ruling": "correct", "reason": "处罚种类应为警告", "field.penalty_kind": "警告",
        "field.violation_type": "未按规定公示年度报告", "csrf": token(page)},
        follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    (view,) = objections_of(node_store, subject_file.company, now=later)
    assert view.objection.state == "corrected"
    record = current_records(node_store, [item])[item]
    assert record.payload["penalty_kind"] == "警告"
    assert record.payload["violation_type"] == "未按规定公示年度报告"  # untouched fields kept
    assert record.version == view.objection.corrected_version
