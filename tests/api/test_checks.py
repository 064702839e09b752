"""``POST /api/v1/checks``, ``…:batch`` and ``…/{id}/feedback`` against listed entries.

A company is listed as a judgment defaulter; its legal representative is a
person who is not listed himself. The index is built when the app starts
and takes in later list changes on refresh (here called directly, as the
app's background task does every ``check_refresh_seconds``).
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import COMPANY_NAME, KeyFor, app_for, bearer
from tests.lists.helpers import PERSON
from tests.store.helpers import USCC, USCC_2, new_record
from xinyong.api.deps import Node
from xinyong.config import Settings
from xinyong.keys.model import Role
from xinyong.lists.service import remove_by_decision, run_lists
from xinyong.lists.views import list_entries
from xinyong.policy.loader import load_pack
from xinyong.registry.model import LegalRepresentative, SubjectRegistration
from xinyong.registry.service import register_subject
from xinyong.store.engine import Store
from xinyong.store.queries import checks as check_queries
from xinyong.store.queries import records
from xinyong.store.uow import UnitOfWork

REP = PERSON  # the company's legal representative, not on any list himself


def _list_the_company(store: Store, now: datetime) -> None:
    rep = LegalRepresentative("王五", REP)
    register_subject(UnitOfWork(store), SubjectRegistration(USCC, COMPANY_NAME, legal_representative=rep), now)  # fmt: skip
    register_subject(UnitOfWork(store), SubjectRegistration(USCC_2, "北京示例有限公司"), now)
    payload = {"case_number": "（2026）闽01执1号", "court": "福州市中级人民法院",
               "circumstance": "有履行能力而拒不履行"}  # fmt: skip
    record = new_record(document_number="（2026）闽01执1号", payload=payload,
                        catalog_item="jud.defaulter", department="court", jurisdiction="national",
                        decided_on=date(2026, 1, 5), severity="serious")  # fmt: skip
    with UnitOfWork(store) as uow:
        records.insert_record(uow.connection, record, now)
        uow.commit()
    pack = load_pack("national")
    run_lists(store, pack, datetime(2026, 1, 6, 2, tzinfo=UTC))
    run_lists(store, pack, datetime(2026, 1, 20, 2, tzinfo=UTC))


@pytest.fixture
def node(client: TestClient, node_store: Store, now: datetime) -> Node:
    _list_the_company(node_store, now)
    app_node: Node = client.app.state.node  # type: ignore[attr-defined]
    assert app_node.checker.refresh() == 1  # the listing reaches the running index
    return app_node


def _check(client: TestClient, key: str, code: str, matter: str) -> dict:  # type: ignore[type-arg]
    answer = client.post("/api/v1/checks", json={"subject_code": code, "matter": matter},
                         headers=bearer(key))  # fmt: skip
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_a_listed_company_is_restricted_with_the_basis_of_each_measure(
    client: TestClient, key_for: KeyFor, node: Node
) -> None:
    body = _check(client, key_for(Role.CHECKER), USCC, "flight_ticket")
    assert body["outcome"] == "restrict"
    (measure,) = body["measures"]
    assert measure["measure"] == "no_flights"
    assert measure["memorandum"] == "defaulters_joint_sanctions"
    assert measure["memorandum_basis"] == "发改财金〔2016〕141号"
    assert "法释〔2015〕17号" in measure["legal_basis"]
    assert measure["list_code"] == "judgment_defaulters"
    assert measure["until"] == "2028-01-19"  # listed 20 January 2026 for 24 months
    assert measure["via"] is None
    assert len(body["check_id"]) == 32


def test_its_legal_representative_is_restricted_only_where_the_measure_reaches_him(
    client: TestClient, key_for: KeyFor, node: Node
) -> None:
    flight = _check(client, key_for(Role.CHECKER), REP, "flight_ticket")
    assert flight["outcome"] == "restrict"
    assert flight["measures"][0]["via"] == USCC
    # Exclusion from procurement reaches the listed legal person alone.
    assert _check(client, key_for(Role.CHECKER), REP, "procurement_bid")["outcome"] == "proceed"
    company = _check(client, key_for(Role.CHECKER), USCC, "procurement_bid")
    assert [m["measure"] for m in company["measures"]] == ["procurement_exclusion"]


def test_an_unlisted_subject_proceeds(client: TestClient, key_for: KeyFor, node: Node) -> None:
    body = _check(client, key_for(Role.OPERATOR), USCC_2, "flight_ticket")
    assert (body["outcome"], body["measures"]) == ("proceed", [])


def test_a_removal_stops_restricting_after_one_refresh(
    client: TestClient, key_for: KeyFor, node: Node, node_store: Store, now: datetime
) -> None:
    (view,) = list_entries(node_store, node.pack, "judgment_defaulters").entries
    assert view.entry.id is not None
    remove_by_decision(node_store, view.entry.id, "异议成立", now, actor="operator")
    assert _check(client, key_for(Role.CHECKER), USCC, "flight_ticket")["outcome"] == "restrict"
    assert node.checker.refresh() == 1
    assert _check(client, key_for(Role.CHECKER), USCC, "flight_ticket")["outcome"] == "proceed"
    assert _check(client, key_for(Role.CHECKER), REP, "flight_ticket")["outcome"] == "proceed"


def test_an_expired_entry_stops_applying(node: Node) -> None:
    checker, principal = node.checker, _principal(node)
    on_last_day = datetime(2028, 1, 19, 2, tzinfo=UTC)
    assert (
        checker.check(principal, USCC, "flight_ticket", on_last_day).decision.outcome == "restrict"
    )
    after = datetime(2028, 1, 20, 2, tzinfo=UTC)
    assert checker.check(principal, USCC, "flight_ticket", after).decision.outcome == "proceed"


def _principal(node: Node):  # type: ignore[no-untyped-def]
    from xinyong.keys.model import Principal

    return Principal(key_id=1, prefix="testprefix", name="t", role=Role.CHECKER)


def test_a_batch_answers_in_order_and_refuses_too_many(
    client: TestClient, key_for: KeyFor, node: Node
) -> None:
    key = key_for(Role.CHECKER)
    body = {"matter": "flight_ticket", "subject_codes": [USCC_2, USCC, REP]}
    answer = client.post("/api/v1/checks:batch", json=body, headers=bearer(key))
    assert [r["outcome"] for r in answer.json()["results"]] == ["proceed", "restrict", "restrict"]
    many = {"matter": "flight_ticket", "subject_codes": [USCC_2] * 10_001}
    refused = client.post("/api/v1/checks:batch", json=many, headers=bearer(key))
    assert (refused.status_code, refused.json()["code"]) == (413, "check-too-many-subjects")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"subject_code": USCC, "matter": "space_travel"}, 422, "check-unknown-matter"),
        ({"subject_code": USCC[:-1] + "0", "matter": "flight_ticket"}, 422, "uscc-check-digit"),
        ({"subject_code": USCC, "matter": "flight_ticket", "extra": 1}, 422, None),
    ],
)
def test_bad_checks_are_clear_422s(
    client: TestClient,
    key_for: KeyFor,
    node: Node,
    body: dict,
    status: int,
    code: str | None,  # type: ignore[type-arg]
) -> None:
    answer = client.post("/api/v1/checks", json=body, headers=bearer(key_for(Role.CHECKER)))
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("application/problem+json")
    if code is not None:
        assert answer.json()["code"] == code


@pytest.mark.parametrize("role", list(Role))
def test_only_checkers_and_operators_may_check(
    client: TestClient, key_for: KeyFor, node: Node, role: Role
) -> None:
    answer = client.post("/api/v1/checks", json={"subject_code": USCC, "matter": "flight_ticket"},
                         headers=bearer(key_for(role)))  # fmt: skip
    expected = 200 if role in (Role.CHECKER, Role.OPERATOR) else 403
    assert answer.status_code == expected


def test_every_check_is_logged_and_feedback_comes_from_who_checked(
    client: TestClient, key_for: KeyFor, node: Node, node_store: Store
) -> None:
    body = _check(client, key_for(Role.CHECKER), USCC, "flight_ticket")
    check_id = body["check_id"]
    feedback = {"applied": True, "reason": "购票被拒"}
    url = f"/api/v1/checks/{check_id}/feedback"
    other = client.post(url, json=feedback, headers=bearer(key_for(Role.OPERATOR)))
    assert other.status_code == 201  # the operator may
    own = client.post(url, json=feedback, headers=bearer(key_for(Role.CHECKER)))
    assert own.status_code == 201
    with UnitOfWork(node_store, read_only=True) as uow:
        logged = check_queries.get_check(uow.connection, check_id)
        notes = check_queries.feedback_of(uow.connection, check_id)
        history, total = check_queries.checks_of_subject(uow.connection, USCC, limit=10)
    assert logged is not None
    assert (logged.subject_code, logged.matter, logged.outcome) == (
        USCC,
        "flight_ticket",
        "restrict",
    )
    assert logged.actor.startswith("key:")
    assert logged.measures[0]["entry_id"] == body["measures"][0]["entry_id"]
    assert [n.applied for n in notes] == [True, True]
    assert total == 1
    assert history[0].id == check_id
    missing = client.post("/api/v1/checks/" + "0" * 32 + "/feedback", json=feedback,
                          headers=bearer(key_for(Role.CHECKER)))  # fmt: skip
    assert (missing.status_code, missing.json()["code"]) == (404, "check-not-found")


def test_feedback_from_another_checker_is_refused(
    client: TestClient, key_for: KeyFor, node: Node, node_store: Store, now: datetime
) -> None:
    from xinyong.keys.service import create_key

    body = _check(client, key_for(Role.CHECKER), USCC, "flight_ticket")
    _, second = create_key(node_store, name="another checker", role="checker", actor="t", now=now)
    answer = client.post(f"/api/v1/checks/{body['check_id']}/feedback",
                         json={"applied": False, "reason": "x"}, headers=bearer(second))  # fmt: skip
    assert (answer.status_code, answer.json()["code"]) == (403, "check-scope")


def test_the_log_keeps_what_it_could_not_write(node: Node, monkeypatch: pytest.MonkeyPatch) -> None:
    checker = node.checker
    checker.check(_principal(node), USCC, "flight_ticket", datetime(2026, 3, 2, tzinfo=UTC))
    monkeypatch.setattr(check_queries, "insert_checks", _fail)
    with pytest.raises(RuntimeError):
        checker.flush()
    monkeypatch.undo()
    assert checker.flush() == 1  # kept for the next flush, not lost


def _fail(*_args: object) -> int:
    raise RuntimeError("database away")


def test_the_operator_reads_the_checks_made_on_a_subject(
    client: TestClient, key_for: KeyFor, node: Node
) -> None:
    checked = _check(client, key_for(Role.CHECKER), USCC, "flight_ticket")
    url = f"/api/v1/subjects/{USCC.lower()}/checks"
    answer = client.get(url, headers=bearer(key_for(Role.OPERATOR))).json()
    assert (answer["subject_code"], answer["total"]) == (USCC, 1)
    (logged,) = answer["items"]
    assert (logged["check_id"], logged["matter"], logged["outcome"]) == (
        checked["check_id"], "flight_ticket", "restrict")  # fmt: skip
    assert logged["measures"][0]["measure"] == "no_flights"
    refused = client.get(url, headers=bearer(key_for(Role.CHECKER)))
    assert refused.status_code == 403


def test_the_running_app_takes_in_a_removal_by_itself(
    node_settings: Settings, node_store: Store, now: datetime, key_for: KeyFor
) -> None:
    """The lifespan's task refreshes every check_refresh_seconds; no one calls refresh here."""
    _list_the_company(node_store, now)
    quick = node_settings.model_copy(update={"check_refresh_seconds": 0.05})
    with TestClient(app_for(quick, now)) as client:
        key = key_for(Role.CHECKER)
        assert _check(client, key, USCC, "flight_ticket")["outcome"] == "restrict"
        app_node: Node = client.app.state.node  # type: ignore[attr-defined]
        (view,) = list_entries(node_store, app_node.pack, "judgment_defaulters").entries
        remove_by_decision(node_store, view.entry.id or 0, "异议成立", now, actor="operator")
        deadline = time.monotonic() + 10  # generous: the interval is 0.05 s
        while _check(client, key, USCC, "flight_ticket")["outcome"] == "restrict":
            assert time.monotonic() < deadline, "the removal never reached the index"
            time.sleep(0.05)
