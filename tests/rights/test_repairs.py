"""Credit repair: refused before the minimum period with its day; approved, it flows down and out."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.lists.helpers import COMPANY, Node, at, entries, penalty, registration, send
from tests.rights.conftest import CHECKER, OPERATOR, SAMR
from xinyong.checks.service import Checker
from xinyong.keys.model import Principal, Role
from xinyong.keys.service import create_key
from xinyong.lists.service import run_lists
from xinyong.policy.loader import load_pack
from xinyong.rights import repairs
from xinyong.rights.errors import (
    NotificationNotFoundError,
    ObjectionAlreadyOpenError,
    ObjectionStepError,
    ObjectionTargetError,
    RepairAlreadyOpenError,
    RepairForbiddenError,
    RepairNotYetError,
    RepairRefusedError,
    RepairStepError,
)
from xinyong.rights.objections import Ruling, Target
from xinyong.rights.repair_service import (
    acknowledge_notification,
    agency_notifications,
    apply_for_repair,
    decide_repair,
    list_repairs,
    repair_eligibility,
    retry_notifications,
)
from xinyong.rights.service import decide_objection, file_objection
from xinyong.store.engine import Store
from xinyong.store.queries import objections as notes
from xinyong.store.queries import records
from xinyong.store.uow import UnitOfWork

FINE = "荣市监罚〔2025〕1号"


@pytest.fixture
def listed(node: Node) -> Node:
    """A serious market-regulation penalty of 1 September 2025, and the company listed for it."""
    _, store, pack = node
    send(node, [registration()], "samr", at(2025, 8, 1))
    send(node, [penalty(FINE, "serious", sector="other", decided="2025-09-01")], "samr",
         at(2025, 9, 2))  # fmt: skip
    run_lists(store, pack, at(2025, 9, 3))
    run_lists(store, pack, at(2025, 9, 20))
    assert [e.state for e in entries(store, "samr_serious_violation")] == ["listed"]
    return node


def _fine(store: Store) -> records.RecordVersion:
    with UnitOfWork(store, read_only=True) as uow:
        found = records.find_current_by_document(uow.connection, "rongcheng", "samr", FINE)
    assert found is not None
    return found


def _apply(node: Node, day: date) -> repairs.Repair:
    _, store, pack = node
    return apply_for_repair(store, pack, subject_code=COMPANY, record_id=_fine(store).record_id,
                            performed="罚款已于2025年9月15日缴清（附缴款凭证）", committed=True,
                            actor=f"subject:{COMPANY}", now=at(day.year, day.month, day.day))  # fmt: skip


def test_repair_is_refused_before_the_minimum_period_with_the_day_it_becomes_possible(
    listed: Node,
) -> None:
    _, store, pack = listed
    # Decided before 2026-04-01, so the 2019 rule governs: serious, at least 6 months public.
    seen = repair_eligibility(store, pack, COMPANY, _fine(store).record_id, now=at(2026, 2, 27))
    assert (seen.eligible, seen.possible_on) == (False, date(2026, 3, 1))
    with pytest.raises(RepairNotYetError) as refused:
        _apply(listed, date(2026, 2, 27))
    assert "2026-03-01" in refused.value.render("en")
    chinese = refused.value.render("zh-CN")  # the rule's own reason, said in Chinese
    assert "最短公示期（6 个月）至 2026-03-01 届满" in chinese
    assert "minimum" not in chinese
    assert repair_eligibility(store, pack, COMPANY, _fine(store).record_id,
                              now=at(2026, 3, 1)).eligible  # fmt: skip


def test_order_36_periods_apply_to_decisions_from_april_2026_and_excluded_items_never() -> None:
    pack = load_pack("national").pack
    items = {i.code: i for i in pack.catalog}
    regimes = pack.disclosure_periods

    def check(item: str, severity: str, decided: date, today: date) -> repairs.Eligibility:
        return repairs.eligibility(items[item], polarity="negative", severity=severity,
                                   status="active", decided_on=decided, regimes=regimes,
                                   today=today)  # fmt: skip

    serious = check("adm.penalty", "serious", date(2026, 5, 1), date(2026, 12, 1))
    assert serious.possible_on == date(2027, 5, 1)  # Order 36: serious, one year at least
    general = check("adm.penalty", "general", date(2026, 5, 1), date(2026, 12, 1))
    assert (general.eligible, general.possible_on) == (True, date(2026, 8, 1))  # three months
    defaulter = check("jud.defaulter", "serious", date(2020, 1, 1), date(2026, 12, 1))
    assert (defaulter.eligible, defaulter.possible_on) == (False, None)  # the courts' rules
    positive = repairs.eligibility(items["adm.penalty"], polarity="positive", severity=None,
                                   status="active", decided_on=date(2020, 1, 1), regimes=regimes,
                                   today=date(2026, 12, 1))  # fmt: skip
    assert not positive.eligible


def test_an_approved_repair_ends_publication_lifts_measures_and_tells_every_agency(
    listed: Node,
) -> None:
    _, store, pack = listed
    agency, _key = create_key(store, name="某银行", role="agency", actor="test", now=at(2026, 1, 1))
    checker = Checker(store, pack)
    before = checker.check(CHECKER, COMPANY, "procurement_bid", at(2026, 3, 2))
    assert before.decision.outcome == "restrict"
    application = _apply(listed, date(2026, 3, 2))
    assert application.due_on == date(2026, 3, 5)  # three working days
    with pytest.raises(RepairAlreadyOpenError):
        _apply(listed, date(2026, 3, 2))
    approved = decide_repair(store, pack, SAMR, application.id or 0, True, "材料齐全，准予修复",
                             now=at(2026, 3, 4))  # fmt: skip
    assert approved.state is repairs.State.APPROVED
    assert _fine(store).status == "repaired"
    removed = entries(store, "samr_serious_violation", states=("removed",))
    assert [e.removal for e in removed] == ["repaired"]
    checker.refresh()
    assert checker.check(CHECKER, COMPANY, "procurement_bid", at(2026, 3, 4)).decision.outcome == (
        "proceed"
    )
    (notice,) = agency_notifications(store, agency)
    assert (notice["kind"], notice["target"]) == ("repair.notice", f"repair:{application.id}")
    assert retry_notifications(store, now=at(2026, 3, 4)) == []  # not a day old yet
    assert retry_notifications(store, now=at(2026, 3, 6)) == [notice["id"]]
    acknowledge_notification(store, agency, int(notice["id"]), now=at(2026, 3, 6))
    assert agency_notifications(store, agency) == []
    assert retry_notifications(store, now=at(2026, 3, 9)) == []
    with UnitOfWork(store, read_only=True) as uow:
        kinds = [n.kind for n in notes.notifications_of(uow.connection, COMPANY)]
    assert kinds == ["repair.decided", "repair.notice"]
    other = Principal(key_id=10, prefix="other0001", name="另一机构", role=Role.AGENCY)
    with pytest.raises(NotificationNotFoundError):
        acknowledge_notification(store, other, int(notice["id"]), now=at(2026, 3, 6))


def test_a_refusal_needs_reasons_and_only_the_reporting_department_decides(listed: Node) -> None:
    _, store, pack = listed
    application = _apply(listed, date(2026, 3, 2))
    court = Principal(key_id=2, prefix="court0001", name="court", role=Role.DEPARTMENT,
                      department="court", jurisdiction="rongcheng")  # fmt: skip
    with pytest.raises(RepairForbiddenError):
        decide_repair(store, pack, court, application.id or 0, True, "", now=at(2026, 3, 3))
    with pytest.raises(RepairStepError, match="written reasons"):
        decide_repair(store, pack, SAMR, application.id or 0, False, " ", now=at(2026, 3, 3))
    refused = decide_repair(store, pack, OPERATOR, application.id or 0, False,
                            "缴款凭证与处罚决定书金额不符", now=at(2026, 3, 3))  # fmt: skip
    assert (refused.state, refused.decision_reason) == (
        repairs.State.REFUSED, "缴款凭证与处罚决定书金额不符"
    )  # fmt: skip
    assert _fine(store).status == "active"  # nothing changed
    assert [e.state for e in entries(store, "samr_serious_violation")] == ["listed"]
    views, total = list_repairs(store, SAMR, now=at(2026, 3, 3) + timedelta(days=10))
    assert (total, views[0].repair.state, views[0].overdue) == (1, repairs.State.REFUSED, False)


def test_both_materials_are_needed(listed: Node) -> None:
    _, store, pack = listed
    common = {"subject_code": COMPANY, "record_id": _fine(store).record_id,
              "actor": f"subject:{COMPANY}", "now": at(2026, 3, 2)}  # fmt: skip
    with pytest.raises(RepairRefusedError, match="commitment letter"):
        apply_for_repair(store, pack, performed="已缴清", committed=False, **common)  # type: ignore[arg-type]
    with pytest.raises(RepairRefusedError, match="obligations were performed"):
        apply_for_repair(store, pack, performed=" ", committed=True, **common)  # type: ignore[arg-type]


def _refused(node: Node) -> repairs.Repair:
    _, store, pack = node
    application = _apply(node, date(2026, 3, 2))
    return decide_repair(store, pack, SAMR, application.id or 0, False, "缴款凭证金额不符",
                         now=at(2026, 3, 3))  # fmt: skip


def test_a_refusal_can_be_objected_to_and_revoked_the_application_is_decided_again(
    listed: Node,
) -> None:
    _, store, pack = listed
    refused = _refused(listed)
    objection = file_objection(store, pack, subject_code=COMPANY, target=Target.REPAIR,
                               item=str(refused.id), reasons="凭证金额与决定书一致，附银行回单",
                               actor=f"subject:{COMPANY}", now=at(2026, 3, 4))  # fmt: skip
    assert (objection.item, objection.department) == (f"repair:{refused.id}", "samr")
    assert _fine(store).status == "active"  # contesting a refusal marks no record
    with pytest.raises(ObjectionAlreadyOpenError):
        file_objection(store, pack, subject_code=COMPANY, target=Target.REPAIR,
                       item=str(refused.id), reasons="再次", actor=f"subject:{COMPANY}",
                       now=at(2026, 3, 4))  # fmt: skip
    with pytest.raises(ObjectionStepError, match="only a record can be corrected"):
        decide_objection(store, pack, SAMR, objection.id or 0, Ruling.CORRECT, "更正",
                         now=at(2026, 3, 5))  # fmt: skip
    decide_objection(store, pack, SAMR, objection.id or 0, Ruling.REVOKE, "经复核，不予修复的决定撤销",
                     now=at(2026, 3, 5))  # fmt: skip
    (view,), _ = list_repairs(store, SAMR, now=at(2026, 3, 5))
    assert view.repair.state == repairs.State.OPEN  # decided again, within the pack's days
    assert (view.repair.decided_at, view.repair.decision_reason) == (None, None)
    assert view.repair.due_on == date(2026, 3, 10)  # 3 working days from Thursday 5 March
    approved = decide_repair(store, pack, SAMR, refused.id or 0, True, "", now=at(2026, 3, 6))
    assert approved.state == repairs.State.APPROVED
    assert _fine(store).status == "repaired"


def test_an_upheld_objection_leaves_the_refusal_and_only_refusals_can_be_contested(
    listed: Node,
) -> None:
    _, store, pack = listed
    refused = _refused(listed)
    objection = file_objection(store, pack, subject_code=COMPANY, target=Target.REPAIR,
                               item=str(refused.id), reasons="有误", actor=f"subject:{COMPANY}",
                               now=at(2026, 3, 4))  # fmt: skip
    decide_objection(store, pack, SAMR, objection.id or 0, Ruling.UPHOLD, "维持不予修复决定",
                     now=at(2026, 3, 5))  # fmt: skip
    (view,), _ = list_repairs(store, SAMR, now=at(2026, 3, 5))
    assert (view.repair.state, view.repair.decision_reason) == (
        repairs.State.REFUSED,
        "缴款凭证金额不符",
    )
    again = _apply(listed, date(2026, 3, 6))  # a new application may follow
    for item in (str(again.id), "999", "not-a-number"):  # open, absent, nonsense
        with pytest.raises(ObjectionTargetError):
            file_objection(store, pack, subject_code=COMPANY, target=Target.REPAIR, item=item,
                           reasons="有误", actor=f"subject:{COMPANY}", now=at(2026, 3, 6))  # fmt: skip
