"""Evaluation of a node's subjects: the batch run, one subject on demand, and explanations."""

from __future__ import annotations

from datetime import date

import pytest

from tests.evaluation.helpers import AS_OF, build_city
from tests.lists.helpers import COMPANY, PERSON, Node, at, link_record
from xinyong.evaluation.errors import NotGradedError, UnknownModelError
from xinyong.evaluation.service import (
    evaluate_all,
    evaluate_subject,
    explain_subject,
    stored_results,
)
from xinyong.registry.errors import SubjectNotFoundError
from xinyong.synth.ids import make_uscc


@pytest.fixture
def city(node: Node) -> Node:
    return build_city(node)


def test_the_batch_grades_every_subject_each_model_grades_and_stores_how(city: Node) -> None:
    settings, store, loaded = city
    runs = evaluate_all(store, loaded, settings.data_dir, now=at(2026, 10, 15), actor="cli:test",
                        as_of=AS_OF)  # fmt: skip
    by_model = {r.model.code: r for r in runs}
    # enterprise_risk: 100 − 30 (serious) − 10 (general) − 40 (defaulter) + 10 (3 × 5, capped) = 30.
    stored = {r.model_code: r for r in stored_results(store, COMPANY)}
    assert stored["enterprise_risk"].score == 30
    assert stored["enterprise_risk"].grade == "D"
    # tax_credit counts only the serious penalty (−11): 89, grade B.
    assert (stored["tax_credit"].score, stored["tax_credit"].grade) == (89, "B")
    assert "rongcheng_personal" not in stored  # a company has no personal points
    assert by_model["enterprise_risk"].distribution == {"D": 1}
    person = {r.model_code: r for r in stored_results(store, PERSON)}
    assert set(person) == {"rongcheng_personal"}
    assert (person["rongcheng_personal"].score, person["rongcheng_personal"].grade) == (1007, "A")
    for result in [*stored.values(), *person.values()]:
        assert result.policy_version == loaded.version
        assert result.as_of == AS_OF
        assert len(result.inputs_hash) == 64
        assert result.run_id is not None


def test_one_subject_on_demand_gives_exactly_the_batch_result(city: Node) -> None:
    settings, store, loaded = city
    evaluate_all(store, loaded, settings.data_dir, now=at(2026, 10, 15), actor="cli:test",
                 as_of=AS_OF)  # fmt: skip
    for code in (COMPANY, PERSON):
        batch = {
            (r.model_code, r.score, r.grade, r.inputs_hash) for r in stored_results(store, code)
        }
        single = {(r.model.code, r.score, r.grade, r.inputs_hash)
                  for r in evaluate_subject(store, loaded, code, as_of=AS_OF)}  # fmt: skip
        assert single == batch


def test_a_record_under_objection_or_linked_only_provisionally_moves_no_score(city: Node) -> None:
    _, store, loaded = city
    before = evaluate_subject(store, loaded, COMPANY, as_of=AS_OF, model_code="enterprise_risk")
    link_record(store, "（2026）鲁1082执100号", "provisional")
    after = evaluate_subject(store, loaded, COMPANY, as_of=AS_OF, model_code="enterprise_risk")
    assert after[0].score == before[0].score + 40
    assert after[0].inputs_hash != before[0].inputs_hash
    link_record(store, "（2026）鲁1082执100号", "confirmed")
    again = evaluate_subject(store, loaded, COMPANY, as_of=AS_OF, model_code="enterprise_risk")
    assert (again[0].score, again[0].inputs_hash) == (before[0].score, before[0].inputs_hash)


def test_the_explanation_sums_to_the_score_and_names_each_record_and_cap(city: Node) -> None:
    _, store, loaded = city
    [(result, why)] = explain_subject(store, loaded, COMPANY, as_of=AS_OF,
                                      model_code="enterprise_risk")  # fmt: skip
    assert why.total == result.score == 30
    codes = [(r.code, r.rule, r.points) for r in why.reasons]
    assert codes[0] == ("record", "jud.defaulter", -40)  # largest first
    assert ("rule_cap", "honour.commendation", -5) in codes
    assert [r.points for r in why.reasons] == sorted(
        (r.points for r in why.reasons), key=lambda p: -abs(p)
    )
    penalty_line = next(r for r in why.reasons if r.rule == "adm.penalty/general")
    assert penalty_line.decided_on == date(2025, 11, 20)
    assert penalty_line.leaves_on == date(2026, 11, 20)  # a 12-month window


def test_what_changes_it_names_the_day_each_record_leaves_and_the_grade_then(city: Node) -> None:
    _, store, loaded = city
    [(_, why)] = explain_subject(store, loaded, COMPANY, as_of=AS_OF, model_code="tax_credit")
    # The serious penalty of 2026-03-10 leaves its 12-month window on 2027-03-10: 100, grade A.
    assert [(c.on, c.score, c.grade) for c in why.changes] == [(date(2027, 3, 10), 100, "A")]
    [(_, person)] = explain_subject(store, loaded, PERSON, as_of=AS_OF)
    first = person.changes[0]
    assert first.on == date(2027, 1, 15)  # the first volunteering leaves a year later
    assert first.score == 1006


def test_an_unknown_model_or_subject_and_a_model_that_does_not_grade_are_clear_errors(
    city: Node,
) -> None:
    _, store, loaded = city
    with pytest.raises(UnknownModelError, match="enterprise_risk"):
        evaluate_subject(store, loaded, COMPANY, as_of=AS_OF, model_code="nope")
    with pytest.raises(NotGradedError):
        evaluate_subject(store, loaded, COMPANY, as_of=AS_OF, model_code="rongcheng_personal")
    with pytest.raises(SubjectNotFoundError):
        evaluate_subject(store, loaded, make_uscc("91", "371082", "MA3C9999"), as_of=AS_OF)
