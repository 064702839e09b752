"""``GET /api/v1/subjects/{code}/evaluations``: explained scores, and who may see which.

A Rongcheng node: a company graded by the national models (the tax grade is
public, the credit-risk class is not) and a person with Rongcheng's personal
points, which no one but the operator may see.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import bearer
from tests.evaluation.helpers import build_city
from tests.lists.helpers import COMPANY, PERSON, Node, at, send
from xinyong.api.app import create_app
from xinyong.audit.service import entries_for_target
from xinyong.config import Settings
from xinyong.evaluation.service import evaluate_all
from xinyong.keys.model import Role
from xinyong.keys.service import create_key
from xinyong.policy.service import node_pack
from xinyong.registry.service import initialise_node
from xinyong.store.engine import open_store
from xinyong.store.uow import UnitOfWork

NOW = at(2026, 10, 15)
Api = tuple[TestClient, dict[Role, str]]


@pytest.fixture
def node(tmp_path: Path, store_url: str) -> Iterator[Node]:
    settings = Settings(data_dir=tmp_path, database_url=store_url, jurisdiction="rongcheng")
    initialise_node(settings)
    store = open_store(store_url)
    yield settings, store, node_pack(settings)
    store.dispose()


@pytest.fixture
def city(node: Node) -> Node:
    return build_city(node)


@pytest.fixture
def api(city: Node) -> Iterator[Api]:
    settings, store, _ = city
    keys = {}
    for role in Role:
        dept = "samr" if role is Role.DEPARTMENT else None
        _, keys[role] = create_key(store, name=role.value, role=role.value, department=dept,
                                   jurisdiction="rongcheng" if dept else None, actor="test",
                                   now=NOW)  # fmt: skip
    with TestClient(create_app(settings, clock=lambda: NOW)) as client:
        yield client, keys


def _get(client: TestClient, key: str, code: str, **params: str) -> tuple[int, dict[str, Any]]:
    response = client.get(f"/api/v1/subjects/{code}/evaluations", headers=bearer(key),
                          params=params)  # fmt: skip
    return response.status_code, response.json()


def test_the_operator_sees_each_score_with_reasons_that_sum_to_it(api: Api, city: Node) -> None:
    client, keys = api
    status, body = _get(client, keys[Role.OPERATOR], COMPANY)
    assert status == 200
    by_model = {e["model"]: e for e in body["items"]}
    assert set(by_model) == {"enterprise_risk", "tax_credit"}
    risk = by_model["enterprise_risk"]
    assert (risk["score"], risk["grade"]) == (30, "D")
    assert risk["base"] + sum(r["points"] for r in risk["reasons"]) == risk["score"]
    assert risk["reasons"][0]["rule"] == "jud.defaulter"
    assert risk["stored"] is None  # no batch run yet
    assert risk["legal_basis"].startswith("关于推进企业信用风险分类管理")


def test_after_a_run_the_answer_is_shown_beside_the_stored_result(api: Api, city: Node) -> None:
    client, keys = api
    settings, store, loaded = city
    evaluate_all(store, loaded, settings.data_dir, now=NOW, actor="test", as_of=NOW.date())
    _, body = _get(client, keys[Role.OPERATOR], COMPANY, model="tax_credit")
    [item] = body["items"]
    assert item["stored"]["same_inputs"] is True
    assert item["stored"]["inputs_hash"] == item["inputs_hash"]


def test_a_natural_persons_score_is_refused_to_everyone_but_the_operator(
    api: Api, city: Node
) -> None:
    client, keys = api
    for role in (Role.PUBLIC, Role.AGENCY, Role.DEPARTMENT, Role.CHECKER):
        status, body = _get(client, keys[role], PERSON)
        assert status == 403, role
        assert body["type"].endswith("evaluation-hidden")
        assert "1007" not in str(body)
    status, body = _get(client, keys[Role.OPERATOR], PERSON)
    assert status == 200
    assert [(e["model"], e["score"]) for e in body["items"]] == [("rongcheng_personal", 1007)]


def test_an_operator_reading_a_persons_score_is_in_the_audit_log(api: Api, city: Node) -> None:
    client, keys = api
    _, store, _ = city
    _get(client, keys[Role.OPERATOR], PERSON)
    with UnitOfWork(store, read_only=True) as uow:
        entries = entries_for_target(uow.connection, f"subject:{PERSON}")
    reads = [e for e in entries if e.action == "evaluation.read"]
    assert len(reads) == 1
    assert reads[0].detail["models"] == ["rongcheng_personal"]


def test_the_public_sees_only_a_legal_persons_public_grades(api: Api, city: Node) -> None:
    client, keys = api
    for role in (Role.PUBLIC, Role.AGENCY):
        status, body = _get(client, keys[role], COMPANY)
        assert status == 200
        assert [e["model"] for e in body["items"]] == ["tax_credit"]  # the risk class is not public
    _, body = _get(client, keys[Role.DEPARTMENT], COMPANY)
    assert {e["model"] for e in body["items"]} == {"enterprise_risk", "tax_credit"}


def test_bad_codes_unknown_subjects_and_models_are_problems(api: Api, city: Node) -> None:
    client, keys = api
    status, body = _get(client, keys[Role.OPERATOR], "not-a-code")
    assert status == 400
    status, body = _get(client, keys[Role.OPERATOR], COMPANY, model="nope")
    assert (status, body["type"].rsplit("/", 1)[-1]) == (404, "evaluation-model-unknown")
    status, _ = _get(client, keys[Role.OPERATOR], COMPANY, on="2026-13-01")
    assert status == 422


def test_the_public_explanation_folds_records_it_may_not_see_into_one_line(
    api: Api, city: Node
) -> None:
    client, keys = api
    arrears = {"subject_code": COMPANY, "subject_name": "荣成示例海洋食品有限公司",
               "catalog_item": "si.arrears", "document_number": "荣人社欠〔2026〕3号",
               "decided_on": "2026-08-01", "severity": "general",
               "payload": {"amount_yuan": "80000", "months": 4}}  # fmt: skip
    send(city, [arrears], "hrss", at(2026, 9, 30))  # social-insurance arrears: shared, not public
    _, body = _get(client, keys[Role.OPERATOR], COMPANY, model="tax_credit")
    [full] = body["items"]
    _, body = _get(client, keys[Role.PUBLIC], COMPANY, model="tax_credit")
    [public] = body["items"]
    assert public["score"] == full["score"] == 100 - 11 - 5
    assert public["base"] + sum(r["points"] for r in public["reasons"]) == public["score"]
    hidden = [r for r in public["reasons"] if r["code"] == "undisclosed"]
    assert [(r["points"], r["record_id"], r["rule"]) for r in hidden] == [(-5, None, None)]
    shared_id = next(r["record_id"] for r in full["reasons"] if r["rule"] == "si.arrears")
    assert shared_id not in str(public)
