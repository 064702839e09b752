"""Objections, from filing to each decision: marked at once, deadlines in working days, flowing down."""

from __future__ import annotations

from datetime import date

import pytest

from tests.lists.helpers import COMPANY, Node, at, entries, penalty, send
from tests.rights.conftest import CHECKER, COURT, OPERATOR, SAMR, SUBJECT
from xinyong.audit.service import entries_for_target
from xinyong.checks.service import Checker
from xinyong.evaluation.service import evaluate_subject, stored_results
from xinyong.keys.errors import RoleForbiddenError
from xinyong.lists.service import run_lists
from xinyong.rights.attachments import Attachment
from xinyong.rights.errors import (
    ObjectionAlreadyOpenError,
    ObjectionForbiddenError,
    ObjectionInputError,
    ObjectionStepError,
    ObjectionTargetError,
    TooManyAttachmentsError,
)
from xinyong.rights.objection_queue import escalate_overdue, list_objections
from xinyong.rights.objections import Objection, Ruling, State, Target
from xinyong.rights.overview import rights_overview
from xinyong.rights.service import decide_objection, extend_objection, file_objection
from xinyong.store.engine import Store
from xinyong.store.queries import objections as queries
from xinyong.store.queries import records
from xinyong.store.uow import UnitOfWork

CASE = "（2026）鲁1082执100号"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8  # content is checked at the edge, not here


def _record(store: Store) -> records.RecordVersion:
    with UnitOfWork(store, read_only=True) as uow:
        found = records.find_current_by_document(uow.connection, "rongcheng", "court", CASE)
    assert found is not None
    return found


def _file(node: Node, day: date, **changes: object) -> Objection:
    _, store, pack = node
    values: dict[str, object] = {
        "subject_code": COMPANY, "target": Target.RECORD, "item": _record(store).record_id,
        "reasons": "已于2026年9月27日履行完毕，附银行回单", "actor": SUBJECT,
        "now": at(day.year, day.month, day.day),
    } | changes  # fmt: skip
    return file_objection(store, pack, **values)  # type: ignore[arg-type]


def _decide(node: Node, objection: Objection, ruling: Ruling, day: date, **kw: object) -> Objection:
    _, store, pack = node
    principal = kw.pop("principal", COURT)
    return decide_objection(store, pack, principal, objection.id or 0, ruling,  # type: ignore[arg-type]
                            "经复核", now=at(day.year, day.month, day.day), **kw)  # type: ignore[arg-type]  # fmt: skip


def _listed(node: Node) -> None:
    """Notice on 28 September, listed on 20 October (the window crosses National Day)."""
    _, store, pack = node
    run_lists(store, pack, at(2026, 9, 28))
    run_lists(store, pack, at(2026, 10, 20))
    assert [e.state for e in entries(store, "judgment_defaulters")] == ["listed"]


def test_filing_marks_the_record_at_once_and_counts_deadlines_across_national_day(
    reported: Node,
) -> None:
    _, store, _pack = reported
    before = _record(store)
    objection = _file(reported, date(2026, 9, 30))
    # Rongcheng follows Shandong: decided within 7 working days. 1–7 October are National
    # Day holidays and Saturday 10 October a working day (2026): seven working days after
    # 30 September are 8, 9, 10, 12, 13, 14 and 15 October.
    assert objection.due_on == date(2026, 10, 15)
    assert objection.latest_on == date(2026, 11, 3)  # twenty working days, the longest
    assert not objection.due_provisional
    assert objection.department == "court"
    now = _record(store)
    assert (now.status, now.version) == ("under_objection", before.version + 1)
    with UnitOfWork(store, read_only=True) as uow:
        history = records.history(uow.connection, now.record_id)
        events = entries_for_target(uow.connection, f"subject:{COMPANY}")
    assert [v.status for v in history] == ["active", "under_objection"]
    assert [e.action for e in events][-1] == "objection.file"


def test_an_open_objection_holds_the_listing_and_upholding_releases_it(reported: Node) -> None:
    _, store, pack = reported
    run_lists(store, pack, at(2026, 9, 28))  # notice given; the window ends 12 October
    objection = _file(reported, date(2026, 9, 30))
    (entry,) = entries(store, "judgment_defaulters")
    assert entry.objection_open
    run_lists(store, pack, at(2026, 10, 12))  # past the window, but the objection is open
    assert [e.state for e in entries(store, "judgment_defaulters")] == ["notified"]
    decided = _decide(reported, objection, Ruling.UPHOLD, date(2026, 10, 15))
    assert (decided.state, decided.decided_by) == (State.UPHELD, COURT.actor)
    assert _record(store).status == "active"
    # The decision re-derived the file at once: the window has passed, so the entry is listed.
    (entry,) = entries(store, "judgment_defaulters", states=("listed",))
    assert not entry.objection_open
    with UnitOfWork(store, read_only=True) as uow:
        (note,) = queries.notifications_of(uow.connection, COMPANY)
    assert (note.recipient, note.kind, note.detail["state"]) == (
        f"subject:{COMPANY}", "objection.decided", "upheld"
    )  # fmt: skip


def test_a_record_under_objection_triggers_no_new_entry(reported: Node) -> None:
    _, store, pack = reported
    objection = _file(reported, date(2026, 9, 28))
    run_lists(store, pack, at(2026, 9, 29))
    assert entries(store, "judgment_defaulters") == []
    _decide(reported, objection, Ruling.UPHOLD, date(2026, 9, 30))
    assert [e.state for e in entries(store, "judgment_defaulters")] == ["notified"]


def test_check_results_say_under_objection_and_a_correction_ends_the_entry(reported: Node) -> None:
    _, store, pack = reported
    _listed(reported)
    checker = Checker(store, pack)
    first = checker.check(CHECKER, COMPANY, "flight_ticket", at(2026, 10, 21))
    assert first.decision.outcome == "restrict"
    assert not any(m.under_objection for m in first.decision.measures)
    objection = _file(reported, date(2026, 10, 21))
    checker.refresh()
    marked = checker.check(CHECKER, COMPANY, "flight_ticket", at(2026, 10, 21))
    assert marked.decision.outcome == "restrict"  # the entry stands until decided …
    assert marked.decision.measures
    assert all(m.under_objection for m in marked.decision.measures)  # … and the checker is told
    decided = _decide(reported, objection, Ruling.CORRECT, date(2026, 10, 22),
                      correction={"circumstance": "违反财产报告制度"})  # fmt: skip
    assert decided.state is State.CORRECTED
    corrected = _record(store)
    assert corrected.version == decided.corrected_version
    assert corrected.payload["circumstance"] == "违反财产报告制度"
    assert corrected.status == "active"
    removed = entries(store, "judgment_defaulters", states=("removed",))
    assert [e.removal for e in removed] == ["basis_revoked"]
    # The corrected record still qualifies: a new entry, with a new notice and window.
    assert [e.state for e in entries(store, "judgment_defaulters")] == ["notified"]
    checker.refresh()
    after = checker.check(CHECKER, COMPANY, "flight_ticket", at(2026, 10, 22))
    assert after.decision.outcome == "proceed"


def test_revoking_the_record_ends_the_entry_for_good(reported: Node) -> None:
    _, store, _pack = reported
    _listed(reported)
    objection = _file(reported, date(2026, 10, 21))
    _decide(reported, objection, Ruling.REVOKE, date(2026, 10, 22))
    assert _record_status(store) == "revoked"
    assert entries(store, "judgment_defaulters") == []
    assert [e.removal for e in entries(store, "judgment_defaulters", states=("removed",))] == [
        "basis_revoked"
    ]


def test_a_decision_regrades_the_subject_at_once(reported: Node) -> None:
    _, store, pack = reported
    send(reported, [penalty("荣市监罚〔2026〕8号", "general")], "samr", at(2026, 9, 2))
    with UnitOfWork(store, read_only=True) as uow:
        fined = records.find_current_by_document(uow.connection, "rongcheng", "samr",
                                                 "荣市监罚〔2026〕8号")  # fmt: skip
    assert fined is not None
    day = date(2026, 10, 22)
    counted = {r.model.code: r.records for r in evaluate_subject(store, pack, COMPANY, as_of=day)}
    assert any(counted.values())  # some model counts the fine
    objection = _file(reported, date(2026, 10, 21), item=fined.record_id)
    _decide(reported, objection, Ruling.REVOKE, day, principal=SAMR)
    regraded = stored_results(store, COMPANY)  # stored at the decision, not at the next run
    assert {r.computed_at for r in regraded} == {at(2026, 10, 22)}
    assert {r.model_code: r.records for r in regraded} == {
        m: max(n - 1, 0) for m, n in counted.items()
    }


def _record_status(store: Store) -> str:
    with UnitOfWork(store, read_only=True) as uow:
        record_id = queries.objections(uow.connection)[0][0].record_id or ""
        current = records.get_current(uow.connection, record_id)
    assert current is not None
    return current.status


def test_an_objection_to_a_list_entry_is_upheld_or_revoked_never_corrected(
    reported: Node,
) -> None:
    _, store, _pack = reported
    _listed(reported)
    (entry,) = entries(store, "judgment_defaulters")
    objection = _file(reported, date(2026, 10, 21), target=Target.LIST_ENTRY, item=str(entry.id))
    assert objection.department == "court"  # the department of the record it rests on
    assert _record(store).status == "active"  # the record itself is not disputed
    with pytest.raises(ObjectionStepError, match="only a record can be corrected"):
        _decide(reported, objection, Ruling.CORRECT, date(2026, 10, 22), correction={"x": 1})
    _decide(reported, objection, Ruling.REVOKE, date(2026, 10, 22))
    assert [e.removal for e in entries(store, "judgment_defaulters", states=("removed",))] == [
        "decision"
    ]


def test_a_department_decides_only_its_own_and_only_once(reported: Node) -> None:
    objection = _file(reported, date(2026, 9, 30))
    with pytest.raises(ObjectionForbiddenError):
        _decide(reported, objection, Ruling.UPHOLD, date(2026, 10, 8), principal=SAMR)
    _decide(reported, objection, Ruling.UPHOLD, date(2026, 10, 8), principal=OPERATOR)
    with pytest.raises(ObjectionStepError, match="already upheld"):
        _decide(reported, objection, Ruling.REVOKE, date(2026, 10, 9))


def test_an_extension_needs_a_reason_and_stops_at_the_longest(reported: Node) -> None:
    _, store, _pack = reported
    objection = _file(reported, date(2026, 9, 30))
    oid, now = objection.id or 0, at(2026, 10, 9)
    with pytest.raises(ObjectionStepError, match="recorded reason"):
        extend_objection(store, COURT, oid, date(2026, 10, 30), " ", now=now)
    with pytest.raises(ObjectionStepError, match="longest extension"):
        extend_objection(store, COURT, oid, date(2026, 11, 4), "需调取卷宗", now=now)
    extended = extend_objection(store, COURT, oid, date(2026, 11, 3), "需调取卷宗", now=now)
    assert (extended.due_on, extended.extension_reason) == (date(2026, 11, 3), "需调取卷宗")


def test_overdue_objections_go_to_the_operator_once(reported: Node) -> None:
    _, store, _pack = reported
    objection = _file(reported, date(2026, 9, 30))
    assert escalate_overdue(store, now=at(2026, 10, 15)) == []  # the last day is not overdue
    assert escalate_overdue(store, now=at(2026, 10, 16)) == [objection.id]
    assert escalate_overdue(store, now=at(2026, 10, 19)) == []
    views, total = list_objections(store, OPERATOR, overdue_only=True, now=at(2026, 10, 19))
    assert total == 1
    assert views[0].overdue
    assert views[0].objection.escalated_at == at(2026, 10, 16)
    queue, _ = list_objections(store, SAMR, now=at(2026, 10, 19))
    assert queue == []  # not samr's record
    mine, _ = list_objections(store, COURT, now=at(2026, 10, 19))
    assert [v.objection.id for v in mine] == [objection.id]


def test_one_open_objection_per_item_and_only_on_ones_own_file(reported: Node) -> None:
    _, store, _pack = reported
    _file(reported, date(2026, 9, 30))
    with pytest.raises(ObjectionAlreadyOpenError):
        _file(reported, date(2026, 9, 30))
    with pytest.raises(ObjectionTargetError):
        _file(reported, date(2026, 9, 30), item="no-such-record")
    with pytest.raises(ObjectionTargetError):
        _file(reported, date(2026, 9, 30), target=Target.LIST_ENTRY, item="12345")
    with pytest.raises(ObjectionInputError, match="needs its reasons"):
        _file(reported, date(2026, 9, 30), reasons="  ", item=_other_record(store))


def _other_record(store: Store) -> str:
    with UnitOfWork(store, read_only=True) as uow:
        found = records.find_current_by_document(uow.connection, "rongcheng", "samr",
                                                 f"REG-{COMPANY}")  # fmt: skip
    assert found is not None
    return found.record_id


def test_attachments_are_kept_with_the_objection_and_limited_in_number(reported: Node) -> None:
    _, store, _pack = reported
    files = [Attachment(f"回单{n}.png", "image/png", PNG + bytes([n])) for n in range(6)]
    with pytest.raises(TooManyAttachmentsError):
        _file(reported, date(2026, 9, 30), attachments=files)
    assert _record(store).status == "active"  # refused whole: nothing marked
    objection = _file(reported, date(2026, 9, 30), attachments=files[:2])
    views, _ = list_objections(store, COURT, now=at(2026, 9, 30))
    stored = views[0].attachments
    assert [(a.filename, a.sha256) for a in stored] == [(f.filename, f.sha256) for f in files[:2]]
    with UnitOfWork(store, read_only=True) as uow:
        found = queries.attachment_content(uow.connection, stored[1].id or 0)
    assert found is not None
    assert found[1] == files[1].content
    assert views[0].objection.id == objection.id


def test_the_operator_sees_open_overdue_and_median_days_per_department(reported: Node) -> None:
    _, store, pack = reported
    first = _file(reported, date(2026, 9, 30))  # due 15 October
    _decide(reported, first, Ruling.UPHOLD, date(2026, 10, 9))  # 8, 9 October: 2 working days
    _file(reported, date(2026, 10, 9), item=_other_record(store), reasons="登记信息有误")
    loads = {(x.workflow, x.department): x for x in
             rights_overview(store, pack, OPERATOR, now=at(2026, 10, 30))}  # fmt: skip
    assert set(loads) == {("objections", "court"), ("objections", "samr")}  # no repairs yet
    court, samr = loads["objections", "court"], loads["objections", "samr"]
    assert (court.open, court.decided, court.median_working_days) == (0, 1, 2)
    assert court.limit_working_days == 7  # Shandong's
    assert (samr.open, samr.overdue, samr.decided) == (1, 1, 0)
    # Filed on 9 October: 10 (a working Saturday), 12–16 and 19 October; now it is the 30th.
    assert samr.oldest_due == date(2026, 10, 19)
    with pytest.raises(RoleForbiddenError):
        rights_overview(store, pack, COURT, now=at(2026, 10, 30))
