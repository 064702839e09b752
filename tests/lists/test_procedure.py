"""Each list through its whole procedure, on the store, with real dates and holidays.

Records arrive through the ingest (as a department's JSON), then
``run_lists`` runs on chosen days. The 2026 National Day holiday (1–7
October off, Saturday 10 October a make-up working day) sits inside the
objection windows, so the working-day arithmetic is exercised exactly.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from tests.lists.helpers import (
    COMPANY,
    PERSON,
    Node,
    at,
    court_defaulter,
    entries,
    penalty,
    person_registration,
    registration,
    send,
)
from xinyong.audit.service import entries_for_target
from xinyong.lists.errors import EntryStepRefusedError, RemovalReasonError
from xinyong.lists.service import remove_by_decision, run_lists
from xinyong.policy.model import HolidaySchedule
from xinyong.store.queries import lists as queries
from xinyong.store.queries import records
from xinyong.store.uow import UnitOfWork

SEPT_30 = at(2026, 9, 30)


def test_a_judgment_defaulter_is_notified_listed_and_expires(node: Node) -> None:
    _, store, pack = node
    send(node, [registration()], "samr", at(2026, 9, 1))
    send(node, [court_defaulter()], "court", at(2026, 9, 29))

    first = run_lists(store, pack, SEPT_30)
    assert first.proposed["judgment_defaulters"] == 1
    (entry,) = entries(store, "judgment_defaulters")
    # 3 working days after Wed 30 Sept: Thu 8, Fri 9, Sat 10 October (make-up day).
    assert (entry.state, entry.objection_until) == ("notified", date(2026, 10, 10))
    assert not entry.deadline_provisional

    assert run_lists(store, pack, at(2026, 10, 10)).changes == 0  # the last day to object
    listed = run_lists(store, pack, at(2026, 10, 11))
    assert listed.listed["judgment_defaulters"] == 1
    (entry,) = entries(store, "judgment_defaulters")
    assert (entry.state, entry.listed_on, entry.expires_on) == (
        "listed", date(2026, 10, 11), date(2028, 10, 11))  # fmt: skip

    assert run_lists(store, pack, at(2026, 10, 11)).changes == 0  # twice in a row: nothing
    assert run_lists(store, pack, at(2028, 10, 10)).changes == 0  # its last day
    ended = run_lists(store, pack, at(2028, 10, 11))
    assert ended.removed[("judgment_defaulters", "expired")] == 1
    # The same record founds no second entry once the first ran its course.
    assert run_lists(store, pack, at(2028, 10, 12)).changes == 0

    (entry,) = entries(store, "judgment_defaulters", states=("removed",))
    assert entry.removal == "expired"
    with UnitOfWork(store, read_only=True) as uow:
        steps = queries.transitions(uow.connection, entry.id or 0)
        notice = queries.notice_of(uow.connection, entry.id or 0)
        audited = entries_for_target(uow.connection, f"list_entry:{entry.id}")
    assert [(s.from_state, s.to_state) for s in steps] == [
        (None, "proposed"), ("proposed", "notified"), ("notified", "listed"),
        ("listed", "removed")]  # fmt: skip
    assert [s.at for s in steps] == [SEPT_30, SEPT_30, at(2026, 10, 11), at(2028, 10, 11)]
    assert [a.action for a in audited] == [
        "list.proposed", "list.notified", "list.listed", "list.removed"]  # fmt: skip
    assert audited[0].detail["basis"] == [list(r) for r in entry.basis["records"]]
    assert notice is not None
    assert "（2026）鲁1082执100号" in notice.text_zh
    assert "2026年10月10日" in notice.text_zh
    assert "2026-10-10" in notice.text_en


def test_every_entry_cites_its_records_rule_and_policy_version(node: Node) -> None:
    _, store, pack = node
    send(node, [registration()], "samr", at(2026, 9, 1))
    send(node, [court_defaulter()], "court", at(2026, 9, 29))
    run_lists(store, pack, SEPT_30)
    (entry,) = entries(store, "judgment_defaulters")
    with UnitOfWork(store, read_only=True) as uow:
        found = records.find_current_by_document(
            uow.connection, "rongcheng", "court", "（2026）鲁1082执100号"
        )
    assert found is not None
    assert entry.basis["records"] == [[found.record_id, found.version]]
    assert entry.basis["list"] == "judgment_defaulters"
    assert entry.policy_version == pack.version


def _item(
    item: str, number: str, payload: dict[str, Any], decided: str = "2026-09-01"
) -> dict[str, Any]:
    return {"catalog_item": item, "subject_code": COMPANY, "subject_name": "荣成示例",
            "document_number": number, "decided_on": decided, "payload": payload}  # fmt: skip


ARREARS = {"tax_type": "增值税", "amount_yuan": 1_200_000, "overdue_days": 120}
LIST_CASES: list[tuple[str, str, list[dict[str, Any]], str, int]] = [
    # (list, department, records, subject, objection working days)
    ("samr_serious_violation", "samr", [penalty("S1", "serious", sector="other")], COMPANY, 5),
    ("food_safety_serious", "samr",
     [penalty("F1", "serious"), penalty("F2", "serious", decided="2026-03-01")], COMPANY, 5),
    ("tax_arrears_defaulters", "tax",
     [_item("tax.arrears", "T1", ARREARS) | {"severity": "serious"}], COMPANY, 5),
]  # fmt: skip


@pytest.mark.parametrize(("code", "department", "items", "subject", "window"), LIST_CASES)
def test_each_black_list_walks_its_procedure(
    node: Node, code: str, department: str, items: list[dict[str, Any]], subject: str, window: int
) -> None:
    _, store, pack = node
    send(node, [registration()], "samr", at(2026, 9, 1))
    send(node, items, department, at(2026, 9, 29))
    run_lists(store, pack, SEPT_30)
    (entry,) = [e for e in entries(store, code) if e.subject_code == subject]
    # 5 working days after 30 Sept: 8, 9, 10 (Sat, make-up), 12, 13 October.
    assert entry.objection_until == date(2026, 10, 13)
    assert run_lists(store, pack, at(2026, 10, 13)).listed[code] == 0
    assert run_lists(store, pack, at(2026, 10, 14)).listed[code] == 1


def test_one_serious_food_penalty_is_not_enough_for_the_food_safety_list(node: Node) -> None:
    _, store, pack = node
    send(node, [registration()], "samr", at(2026, 9, 1))
    send(node, [penalty("F1", "serious")], "samr", at(2026, 9, 29))
    summary = run_lists(store, pack, SEPT_30)
    assert summary.proposed["food_safety_serious"] == 0
    assert summary.proposed["samr_serious_violation"] == 1  # one serious samr penalty is


def test_arrears_below_the_amount_or_the_time_list_nobody(node: Node) -> None:
    _, store, pack = node
    send(node, [registration()], "samr", at(2026, 9, 1))
    small = _item("tax.arrears", "T1", ARREARS | {"amount_yuan": 999_999}) | {"severity": "serious"}
    recent = _item("tax.arrears", "T2", ARREARS | {"overdue_days": 89}) | {"severity": "serious"}
    send(node, [small, recent], "tax", at(2026, 9, 29))
    assert run_lists(store, pack, SEPT_30).proposed["tax_arrears_defaulters"] == 0


def test_rongcheng_lists_its_honest_enterprises_on_two_positive_records(node: Node) -> None:
    """Rongcheng's pack replaces the national model-enterprise list with this one."""
    assert "model_enterprises" not in {entry.code for entry in node[2].pack.lists}
    _, store, pack = node
    send(node, [registration()], "samr", at(2026, 9, 1))
    send(node, [_item("honour.commendation", "H1", {"title": "诚信示范"})], "samr", at(2026, 9, 2))
    assert run_lists(store, pack, at(2026, 9, 3)).proposed["rongcheng_honest_enterprises"] == 0
    fulfilled = _item("contract.fulfilment", "C1", {"contract_number": "HT-1"})
    send(node, [fulfilled], "finance", at(2026, 9, 29))
    assert run_lists(store, pack, SEPT_30).proposed["rongcheng_honest_enterprises"] == 1
    assert run_lists(store, pack, at(2026, 10, 13)).listed["rongcheng_honest_enterprises"] == 0
    assert run_lists(store, pack, at(2026, 10, 14)).listed["rongcheng_honest_enterprises"] == 1


def test_a_general_penalty_lists_nobody(node: Node) -> None:
    _, store, pack = node
    send(node, [registration()], "samr", at(2026, 9, 1))
    send(node, [penalty("G1", "general"), penalty("G2", "general")], "samr", at(2026, 9, 29))
    assert run_lists(store, pack, SEPT_30).changes == 0


def test_red_lists_walk_their_procedure(node: Node) -> None:
    _, store, pack = node
    send(node, [registration()], "samr", at(2026, 9, 1))
    send(node, [person_registration()], "psb", at(2026, 9, 1))
    grade = {"catalog_item": "tax.grade", "subject_code": COMPANY, "subject_name": "威海示例",
             "document_number": "TAX-A-2025", "decided_on": "2026-04-30",
             "payload": {"grade": "A", "year": 2025}}  # fmt: skip
    send(node, [grade], "tax", at(2026, 9, 1))
    hours = [
        {
            "catalog_item": "volunteer.service",
            "subject_code": PERSON,
            "subject_name": "李四",
            "document_number": f"VOL-{i}",
            "decided_on": f"2026-0{i}-01",
            "payload": {"hours": 60},
        }
        for i in range(1, 5)
    ]
    send(node, hours, "volunteer", at(2026, 9, 1))
    summary = run_lists(store, pack, SEPT_30)
    assert summary.proposed["a_grade_taxpayers"] == 1
    assert summary.proposed["long_serving_volunteers"] == 1  # 240 h ≥ Rongcheng's 200 h
    assert run_lists(store, pack, at(2026, 10, 14)).listed == {
        "a_grade_taxpayers": 1, "long_serving_volunteers": 1}  # fmt: skip


def test_revoking_the_basis_removes_the_entry_and_correcting_it_renotifies(node: Node) -> None:
    _, store, pack = node
    send(node, [registration()], "samr", at(2026, 9, 1))
    send(node, [court_defaulter()], "court", at(2026, 9, 29))
    run_lists(store, pack, SEPT_30)
    run_lists(store, pack, at(2026, 10, 11))

    changed = court_defaulter(payload_changes={"obligation": "支付货款80万元"})
    send(node, [changed], "court", at(2026, 10, 12))
    summary = run_lists(store, pack, at(2026, 10, 12))
    assert summary.removed[("judgment_defaulters", "basis_revoked")] == 1
    assert summary.proposed["judgment_defaulters"] == 1  # the corrected record: a new notice
    (entry,) = entries(store, "judgment_defaulters")
    assert entry.state == "notified"
    assert entry.basis["records"][0][1] == 2
    assert run_lists(store, pack, at(2026, 10, 12)).changes == 0

    send(node, [court_defaulter(action="revoke")], "court", at(2026, 10, 13))
    revoked = run_lists(store, pack, at(2026, 10, 13))
    assert revoked.removed[("judgment_defaulters", "basis_revoked")] == 1
    assert entries(store, "judgment_defaulters") == []
    assert run_lists(store, pack, at(2026, 10, 20)).changes == 0


def test_a_record_under_objection_triggers_nothing_new(node: Node) -> None:
    _, store, pack = node
    send(node, [registration()], "samr", at(2026, 9, 1))
    send(node, [court_defaulter()], "court", at(2026, 9, 29))
    with UnitOfWork(store) as uow:
        found = records.find_current_by_document(
            uow.connection, "rongcheng", "court", "（2026）鲁1082执100号"
        )
        assert found is not None
        records.change_status(
            uow.connection, found.record_id, "under_objection", "objection", SEPT_30
        )
        uow.commit()
    assert run_lists(store, pack, SEPT_30).changes == 0


def test_a_provisionally_linked_record_triggers_nothing_until_confirmed(node: Node) -> None:
    _, store, pack = node
    send(node, [registration()], "samr", at(2026, 9, 1))
    send(node, [court_defaulter()], "court", at(2026, 9, 29))
    from tests.lists.helpers import link_record

    link_record(store, "（2026）鲁1082执100号", "provisional")
    assert run_lists(store, pack, SEPT_30).changes == 0
    link_record(store, "（2026）鲁1082执100号", "confirmed")
    assert run_lists(store, pack, SEPT_30).proposed["judgment_defaulters"] == 1


def test_a_window_ending_in_an_unpublished_year_holds_the_listing(node: Node) -> None:
    _, store, pack = node
    send(node, [registration()], "samr", at(2026, 9, 1))
    send(node, [court_defaulter(decided="2026-12-20")], "court", at(2026, 12, 29))
    run_lists(store, pack, at(2026, 12, 30))
    (entry,) = entries(store, "judgment_defaulters")
    # Thu 31 Dec, then 1 Jan 2027 is a holiday: Mon 4, Tue 5 January — provisionally.
    assert (entry.objection_until, entry.deadline_provisional) == (date(2027, 1, 5), True)
    held = run_lists(store, pack, at(2027, 1, 6))
    assert held.listed["judgment_defaulters"] == 0
    ((_list, reason),) = held.held
    assert "2027" in reason

    # The official schedule arrives in the pack (made up for this test: 4 January off).
    official = HolidaySchedule(code="cn_2027", year=2027, legal_basis="test schedule",
                               holidays=[date(2027, 1, 1), date(2027, 1, 4)])  # fmt: skip
    updated = replace(pack, pack=pack.pack.model_copy(update={"holiday_schedules": [official]}))
    assert run_lists(store, updated, at(2027, 1, 6)).listed["judgment_defaulters"] == 0
    (entry,) = entries(store, "judgment_defaulters")
    assert (entry.objection_until, entry.deadline_provisional) == (date(2027, 1, 6), False)
    assert run_lists(store, updated, at(2027, 1, 7)).listed["judgment_defaulters"] == 1


def test_an_operator_removes_an_entry_by_decision_once(node: Node) -> None:
    _, store, pack = node
    send(node, [registration()], "samr", at(2026, 9, 1))
    send(node, [court_defaulter()], "court", at(2026, 9, 29))
    run_lists(store, pack, SEPT_30)
    (entry,) = entries(store, "judgment_defaulters")
    assert entry.id is not None
    with pytest.raises(RemovalReasonError):
        remove_by_decision(store, entry.id, "  ", at(2026, 10, 2), actor="operator")
    removed = remove_by_decision(store, entry.id, "异议成立（鲁1082执异1号）", at(2026, 10, 2),
                                 actor="operator")  # fmt: skip
    assert (removed.state, removed.removal) == ("removed", "decision")
    with pytest.raises(EntryStepRefusedError):
        remove_by_decision(store, entry.id, "again", at(2026, 10, 3), actor="operator")
    assert run_lists(store, pack, at(2026, 10, 3)).changes == 0  # a decided basis founds nothing


def test_nothing_is_half_applied_when_a_run_fails(
    node: Node, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, store, pack = node
    send(node, [registration()], "samr", at(2026, 9, 1))
    send(node, [court_defaulter()], "court", at(2026, 9, 29))
    send(node, [penalty("S1", "serious", sector="other")], "samr", at(2026, 9, 29))
    from xinyong.lists import service

    calls = {"n": 0}
    original = service.notice_texts

    def failing(*args: Any) -> tuple[str, str]:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return original(*args)

    monkeypatch.setattr(service, "notice_texts", failing)
    with pytest.raises(RuntimeError):
        run_lists(store, pack, SEPT_30)
    assert entries(store, "judgment_defaulters") == []
    monkeypatch.setattr(service, "notice_texts", original)
    assert run_lists(store, pack, SEPT_30).changes == 2


def test_the_time_of_a_run_is_its_argument(node: Node) -> None:
    _, store, pack = node
    send(node, [registration()], "samr", at(2026, 9, 1))
    send(node, [court_defaulter()], "court", at(2026, 9, 29))
    late_evening_utc = datetime(2026, 10, 9, 17, 0, tzinfo=UTC)  # Saturday 10 October in Beijing
    run_lists(store, pack, late_evening_utc)
    (entry,) = entries(store, "judgment_defaulters")
    assert entry.objection_until == date(2026, 10, 14)  # Mon 12, Tue 13, Wed 14 (not 13)
