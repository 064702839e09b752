"""Each shipped scoring model, on small record sets whose scores are worked out by hand.

The models are the national pack's ``enterprise_risk`` and ``tax_credit``,
Rongcheng's ``rongcheng_personal`` and Fuzhou's ``fuzhou_jasmine``. Every
expected score below is derived from the pack's TOML in the comment beside
it, never copied from the engine. The engine runs in memory on DuckDB, on
memtables of the rows each test builds (no store).

Windows: on day ``as_of`` a record decided on ``d`` counts under a rule of
``w`` months when ``add_months(as_of, -w) < d <= as_of`` and ``d`` is on or
after the model's ``valid_from`` (:func:`xinyong.evaluation.rules.since_for`).
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis
import pytest

from xinyong.evaluation import expr, rules
from xinyong.evaluation.engine import DuckDBEngine
from xinyong.evaluation.explain import Explanation, Reason, reasons
from xinyong.evaluation.snapshot import RECORDS, SUBJECTS, table_of
from xinyong.policy.loader import LoadedPack, load_pack
from xinyong.policy.model import ScoringModel

Row = dict[str, Any]

PACKS = {code: load_pack(code) for code in ("national", "rongcheng", "fuzhou")}
HOME = {
    "enterprise_risk": "national",
    "tax_credit": "national",
    "rongcheng_personal": "rongcheng",
    "fuzhou_jasmine": "fuzhou",
}
AS_OF = date(2026, 6, 30)
RECENT = (
    "2026-05-01"  # inside every window on AS_OF (the shortest, 3 months, opens after 2026-03-30)
)


def pack_and_model(code: str) -> tuple[LoadedPack, ScoringModel]:
    loaded = PACKS[HOME[code]]
    return loaded, next(m for m in loaded.pack.scoring if m.code == code)


# --- rows -------------------------------------------------------------------------------


def legal(code: str = "S", status: str = "active") -> Row:
    return {"code": code, "subject_kind": "legal", "status": status}


def natural(code: str = "S", status: str = "active") -> Row:
    return {"code": code, "subject_kind": "natural", "status": status}


_serial = itertools.count(1)


def rec(
    item: str,
    decided: str = RECENT,
    severity: str | None = None,
    *,
    subject: str = "S",
    record_id: str | None = None,
    version: int = 1,
    status: str = "active",
    provisional: bool = False,
) -> Row:
    """One current record version, as the snapshot holds it."""
    return {
        "subject_code": subject,
        "record_id": record_id or f"r{next(_serial)}",
        "version": version,
        "catalog_item": item,
        "severity": severity,
        "decided_on": date.fromisoformat(decided),
        "status": status,
        "provisional": provisional,
    }


def many(n: int, item: str, decided: str = RECENT, severity: str | None = None) -> list[Row]:
    return [rec(item, decided, severity) for _ in range(n)]


def serious(decided: str = RECENT, **kw: Any) -> Row:
    return rec("adm.penalty", decided, "serious", **kw)


def general(decided: str = RECENT, **kw: Any) -> Row:
    return rec("adm.penalty", decided, "general", **kw)


def minor(decided: str = RECENT, **kw: Any) -> Row:
    return rec("adm.penalty", decided, "minor", **kw)


# --- running the engine -----------------------------------------------------------------


@dataclass(frozen=True)
class Graded:
    score: float  # points
    grade: str
    inputs_hash: str
    records: int


Score = Callable[[str, date, Sequence[Row], Sequence[Row]], dict[str, Graded]]
Explain = Callable[[str, date, Sequence[Row], Sequence[Row]], tuple[Graded, list[Reason]]]


@pytest.fixture(scope="module")
def engine() -> Iterator[DuckDBEngine]:
    duckdb = DuckDBEngine(threads=1)
    yield duckdb
    duckdb.close()


@pytest.fixture(scope="module")
def score(engine: DuckDBEngine) -> Score:
    """``score(model, as_of, subjects, records)``: each graded subject's result, by code."""

    def run(
        code: str, as_of: date, subjects: Sequence[Row], records: Sequence[Row]
    ) -> dict[str, Graded]:
        loaded, model = pack_and_model(code)
        compiled = expr.compile_model(
            model, rules.rule_rows(model, loaded.pack, as_of), loaded.version, as_of
        )
        table = engine.to_arrow(
            expr.scores(
                compiled,
                ibis.memtable(table_of(SUBJECTS, subjects)),
                ibis.memtable(table_of(RECORDS, records)),
            )
        )
        return {
            row["subject_code"]: Graded(
                row["score"] / 100, row["grade"], row["inputs_hash"], row["records"]
            )
            for row in table.to_pylist()
        }

    return run


@pytest.fixture(scope="module")
def explain(engine: DuckDBEngine, score: Score) -> Explain:
    """``explain(model, as_of, subjects, records)``: subject S's result and its reason lines."""

    def run(
        code: str, as_of: date, subjects: Sequence[Row], records: Sequence[Row]
    ) -> tuple[Graded, list[Reason]]:
        loaded, model = pack_and_model(code)
        graded = score(code, as_of, subjects, records)["S"]
        rows = rules.rule_rows(model, loaded.pack, as_of)
        compiled = expr.compile_model(model, rows, loaded.version, as_of)
        table = ibis.memtable(table_of(RECORDS, [r for r in records if r["subject_code"] == "S"]))
        per_rule, per_category = expr.breakdown(compiled, table)
        lines = reasons(
            model,
            rows,
            round(graded.score * 100),
            engine.to_arrow(expr.matched(compiled, table)).to_pylist(),
            engine.to_arrow(per_rule).to_pylist(),
            engine.to_arrow(per_category).to_pylist(),
        )
        return graded, lines

    return run


def only(results: dict[str, Graded]) -> tuple[float, str]:
    """The one subject's (score, grade)."""
    (graded,) = results.values()
    return graded.score, graded.grade


def summed(model_code: str, lines: list[Reason]) -> float:
    """The explanation's arithmetic: base plus every line."""
    _, model = pack_and_model(model_code)
    return Explanation(model.base, 0, tuple(lines)).total


def lines_of(lines: list[Reason]) -> Counter[tuple[str, float]]:
    return Counter((line.code, line.points) for line in lines)


# --- national: enterprise_risk ----------------------------------------------------------
# base 100, floor 0, ceiling 100; A ≥ 90, B ≥ 70, C ≥ 50, D ≥ 0; penalties capped at 60.

ER = "enterprise_risk"


@pytest.mark.parametrize(
    ("records", "points", "grade"),
    [
        pytest.param([], 100, "A", id="no record: the base 100 is A"),
        pytest.param([general()], 90, "A", id="100 - 10 = 90 is the lowest A"),
        pytest.param([general(), minor()], 88, "B", id="100 - 10 - 2 = 88 is B"),
        pytest.param([serious()], 70, "B", id="100 - 30 = 70 is the lowest B"),
        pytest.param([serious(), minor()], 68, "C", id="100 - 30 - 2 = 68 is C"),
        pytest.param([rec("jud.defaulter")], 60, "C", id="100 - 40 = 60 is C"),
        pytest.param([serious(), rec("abn.operation")], 50, "C", id="100 - 30 - 20 = 50 is the lowest C"),
        pytest.param([serious(), rec("abn.operation"), minor()], 48, "D", id="100 - 30 - 20 - 2 = 48 is D"),
        pytest.param(
            [rec("jud.defaulter"), rec("tax.arrears", severity="general"), rec("si.arrears", severity="serious"),
             rec("contract.breach", severity="general")],
            25, "D", id="100 - 40 - 15 - 10 - 10 = 25 is D",
        ),
    ],
)  # fmt: skip
def test_enterprise_risk_grades_a_to_d_at_90_70_and_50(
    score: Score, records: list[Row], points: float, grade: str
) -> None:
    assert only(score(ER, AS_OF, [legal()], records)) == (points, grade)


@pytest.mark.parametrize(
    ("severity", "points"),
    [("serious", 70), ("general", 90), ("minor", 98)],  # 100 − 30, 100 − 10, 100 − 2
)
def test_each_penalty_severity_costs_its_own_points(
    score: Score, severity: str, points: float
) -> None:
    assert only(score(ER, AS_OF, [legal()], [rec("adm.penalty", severity=severity)]))[0] == points


def test_a_serious_a_general_and_a_minor_penalty_add_up(score: Score) -> None:
    # 100 − 30 − 10 − 2 = 58 → C
    assert only(score(ER, AS_OF, [legal()], [serious(), general(), minor()])) == (58, "C")


def test_penalties_together_cost_at_most_60_points_with_a_category_cap_line(
    explain: Explain,
) -> None:
    # 100 − 90 (three serious penalties at 30) + 30 (penalty category capped at 60) = 40 → D
    graded, lines = explain(ER, AS_OF, [legal()], [serious(), serious(), serious()])
    assert (graded.score, graded.grade) == (40, "D")
    assert lines_of(lines) == Counter({("record", -30): 3, ("category_cap", 30): 1})
    assert next(line.rule for line in lines if line.code == "category_cap") == "penalty"
    assert summed(ER, lines) == graded.score


def test_the_penalty_cap_holds_across_severities(score: Score) -> None:
    # 100 − (30 + 30 + 10 = 70, capped at 60) = 40 → D
    assert only(score(ER, AS_OF, [legal()], [serious(), serious(), general()])) == (40, "D")


def test_the_penalty_cap_does_not_reach_other_categories(explain: Explain) -> None:
    # 100 − 60 (three serious penalties, capped) − 40 (court defaulter, judicial) = 0 → D,
    # exactly the floor: no floor line.
    graded, lines = explain(
        ER, AS_OF, [legal()], [serious(), serious(), serious(), rec("jud.defaulter")]
    )
    assert (graded.score, graded.grade) == (0, "D")
    assert {line.code for line in lines} == {"record", "category_cap"}
    assert summed(ER, lines) == graded.score


def test_deductions_beyond_100_stop_at_the_floor_with_a_floor_line(explain: Explain) -> None:
    # 100 − 60 (three serious penalties, capped from 90) − 40 (defaulter) − 20 (abnormal
    # operation) = −20 → floor 0 (a +20 floor line) → D
    records = [serious(), serious(), serious(), rec("jud.defaulter"), rec("abn.operation")]
    graded, lines = explain(ER, AS_OF, [legal()], records)
    assert (graded.score, graded.grade) == (0, "D")
    assert lines_of(lines) == Counter(
        {("record", -30): 3, ("category_cap", 30): 1, ("record", -40): 1, ("record", -20): 1,
         ("floor", 20): 1}
    )  # fmt: skip
    assert summed(ER, lines) == graded.score
    assert [abs(line.points) for line in lines] == sorted(
        (abs(line.points) for line in lines), reverse=True
    )


def test_commendations_add_5_each_capped_at_10_with_a_rule_cap_line(explain: Explain) -> None:
    # 100 − 30 + 10 (three commendations at 5 = 15, capped at 10) = 80 → B
    records = [serious(), *many(3, "honour.commendation")]
    graded, lines = explain(ER, AS_OF, [legal()], records)
    assert (graded.score, graded.grade) == (80, "B")
    assert lines_of(lines) == Counter({("record", -30): 1, ("record", 5): 3, ("rule_cap", -5): 1})
    assert next(line.rule for line in lines if line.code == "rule_cap") == "honour.commendation"
    assert summed(ER, lines) == graded.score


def test_two_commendations_offset_a_general_penalty_exactly(score: Score) -> None:
    # 100 − 10 + 10 (two commendations at 5, at the cap, not above it) = 100 → A
    records = [general(), *many(2, "honour.commendation")]
    assert only(score(ER, AS_OF, [legal()], records)) == (100, "A")


def test_commendations_cannot_lift_a_clean_firm_above_the_ceiling(explain: Explain) -> None:
    # 100 + 10 (three commendations, 15 capped at 10) = 110 → ceiling 100 (a −10 ceiling line) → A
    graded, lines = explain(ER, AS_OF, [legal()], many(3, "honour.commendation"))
    assert (graded.score, graded.grade) == (100, "A")
    assert lines_of(lines) == Counter({("record", 5): 3, ("rule_cap", -5): 1, ("ceiling", -10): 1})
    assert summed(ER, lines) == graded.score


@pytest.mark.parametrize(
    ("as_of", "decided", "severity", "points"),
    [
        # 36 months before 2026-06-30 is 2023-06-30: that day is out, the next one in.
        pytest.param(AS_OF, "2023-06-30", "serious", 100, id="serious on the 36-month edge: out"),
        pytest.param(AS_OF, "2023-07-01", "serious", 70, id="serious a day inside: 100 - 30"),
        # 12 months before 2026-02-28 is 2025-02-28.
        pytest.param(date(2026, 2, 28), "2025-02-28", "general", 100, id="general on the 12-month edge: out"),
        pytest.param(date(2026, 2, 28), "2025-03-01", "general", 90, id="general a day inside: 100 - 10"),
        # 3 months before 2026-02-28 is 2025-11-28 < 2025-11-30: counts; before
        # 2026-03-01 is 2025-12-01 ≥ 2025-11-30: does not.
        pytest.param(date(2026, 2, 28), "2025-11-30", "minor", 98, id="minor of 30 Nov on 28 Feb: 100 - 2"),
        pytest.param(date(2026, 3, 1), "2025-11-30", "minor", 100, id="minor of 30 Nov on 1 Mar: out"),
        pytest.param(AS_OF, "2026-06-30", "serious", 70, id="decided on the evaluation day: counts"),
        pytest.param(AS_OF, "2026-07-01", "serious", 100, id="decided the day after: not yet"),
    ],
)  # fmt: skip
def test_a_record_counts_when_add_months_of_as_of_is_before_its_decision_and_it_is_not_after_as_of(
    score: Score, as_of: date, decided: str, severity: str, points: float
) -> None:
    assert only(score(ER, as_of, [legal()], [rec("adm.penalty", decided, severity)]))[0] == points


def test_a_records_reason_line_names_the_first_day_it_no_longer_counts(explain: Explain) -> None:
    # A minor penalty of 2025-11-30 (3 months) counts through 2026-02-28 and leaves on
    # 2026-03-01, the first day x with add_months(x, −3) = 2025-12-01 ≥ 2025-11-30.
    _, lines = explain(ER, date(2026, 2, 28), [legal()], [minor("2025-11-30")])
    (line,) = lines
    assert (line.rule, line.points, line.decided_on, line.leaves_on) == (
        "adm.penalty/minor",
        -2,
        date(2025, 11, 30),
        date(2026, 3, 1),
    )


@pytest.mark.parametrize(
    ("decided", "points"),
    # On 2024-06-30 the 36-month window would reach back to 2021-07-01, but the model
    # applies to decisions from its valid_from, 2022-01-13.
    [("2022-01-12", 100), ("2022-01-13", 70)],
)
def test_a_record_decided_before_the_model_applies_does_not_count(
    score: Score, decided: str, points: float
) -> None:
    assert only(score(ER, date(2024, 6, 30), [legal()], [serious(decided)]))[0] == points


@pytest.mark.parametrize(
    "status", ["under_objection", "revoked", "repaired", "corrected", "expired"]
)
def test_a_record_that_is_not_active_moves_no_score(score: Score, status: str) -> None:
    graded = score(ER, AS_OF, [legal()], [serious(status=status)])["S"]
    assert (graded.score, graded.grade, graded.records) == (100, "A", 0)


def test_a_record_linked_only_provisionally_moves_no_score(score: Score) -> None:
    graded = score(ER, AS_OF, [legal()], [serious(provisional=True)])["S"]
    assert (graded.score, graded.grade, graded.records) == (100, "A", 0)


def test_a_record_of_an_item_no_rule_names_moves_no_score(score: Score) -> None:
    # adm.license and contract.fulfilment have no points rule in enterprise_risk.
    graded = score(ER, AS_OF, [legal()], [rec("adm.license"), rec("contract.fulfilment")])["S"]
    assert (graded.score, graded.records) == (100, 0)


def test_enterprise_risk_grades_active_legal_persons_only(score: Score) -> None:
    subjects = [legal("L"), natural("N"), legal("X", "cancelled"), legal("R", "revoked")]
    records = [serious(subject=code) for code in ("L", "N", "X", "R")]
    results = score(ER, AS_OF, subjects, records)
    assert set(results) == {"L"}
    assert results["L"].score == 70  # 100 − 30


# --- national: tax_credit ---------------------------------------------------------------
# base 100, a deduction model; A ≥ 90, B 70–90, C 40–70, D < 40; no category caps.

TAX = "tax_credit"


def arrears(severity: str, decided: str = RECENT) -> Row:
    return rec("tax.arrears", decided, severity)


@pytest.mark.parametrize(
    ("records", "points", "grade"),
    [
        pytest.param([], 100, "A", id="no record: 100 is A"),
        pytest.param(many(2, "si.arrears"), 90, "A", id="100 - 5 - 5 = 90 is the lowest A"),
        pytest.param([serious()], 89, "B", id="100 - 11 (serious penalty) = 89 is B"),
        pytest.param(many(6, "si.arrears"), 70, "B", id="100 - 6 x 5 = 70 is the lowest B"),
        pytest.param([arrears("general"), arrears("general"), *many(2, "si.arrears")], 68, "C",
                     id="100 - 11 - 11 - 5 - 5 = 68 is C"),
        pytest.param([arrears("serious"), *many(4, "si.arrears")], 40, "C", id="100 - 40 - 4 x 5 = 40 is the lowest C"),
        pytest.param([arrears("serious"), arrears("general"), *many(2, "si.arrears")], 39, "D",
                     id="100 - 40 - 11 - 5 - 5 = 39 is D"),
        pytest.param([arrears("serious"), arrears("serious")], 20, "D", id="100 - 40 - 40 = 20 is D"),
        pytest.param([arrears("serious") for _ in range(3)], 0, "D", id="100 - 120 stops at the floor 0"),
    ],
)  # fmt: skip
def test_tax_credit_deducts_from_100_and_grades_at_90_70_and_40(
    score: Score, records: list[Row], points: float, grade: str
) -> None:
    assert only(score(TAX, AS_OF, [legal()], records)) == (points, grade)


def test_tax_credit_ignores_what_it_has_no_rule_for(score: Score) -> None:
    # Only serious penalties, tax and social-insurance arrears cost points here.
    records = [general(), minor(), rec("abn.operation"), rec("jud.defaulter"),
               rec("contract.breach", severity="serious"), rec("honour.commendation")]  # fmt: skip
    graded = score(TAX, AS_OF, [legal()], records)["S"]
    assert (graded.score, graded.grade, graded.records) == (100, "A", 0)


def test_tax_credit_has_no_penalty_cap_of_its_own(score: Score) -> None:
    # 100 − 6 × 11 = 34 → D (enterprise_risk's 60-point penalty cap is that model's own)
    assert only(score(TAX, AS_OF, [legal()], [serious() for _ in range(6)])) == (34, "D")


@pytest.mark.parametrize(
    ("as_of", "decided", "points"),
    [
        # 12 months before 2026-09-15 is 2025-09-15.
        (date(2026, 9, 15), "2025-09-15", 100),
        (date(2026, 9, 15), "2025-09-16", 60),  # 100 − 40
        # On 2026-03-31 the window would open 2025-04-01, but the model applies from 2025-07-01.
        (date(2026, 3, 31), "2025-06-30", 100),
        (date(2026, 3, 31), "2025-07-01", 60),
    ],
)
def test_tax_credit_counts_a_year_back_and_nothing_before_2025_07_01(
    score: Score, as_of: date, decided: str, points: float
) -> None:
    assert only(score(TAX, as_of, [legal()], [arrears("serious", decided)]))[0] == points


# --- Rongcheng: rongcheng_personal ------------------------------------------------------
# base 1000, floor 0, ceiling 2000; AAA ≥ 1050, AA ≥ 1030, A+ ≥ 1010, A ≥ 960, B ≥ 850,
# C ≥ 600, D ≥ 0. Volunteering +1 (cap 50), donations +5 (cap 30), commendations +30 (cap 60).

RC = "rongcheng_personal"


@pytest.mark.parametrize(
    ("records", "points", "grade"),
    [
        pytest.param([], 1000, "A", id="no record: 1000 is A"),
        pytest.param(many(3, "honour.commendation"), 1060, "AAA", id="1000 + 60 (90 capped) = 1060 is AAA"),
        pytest.param([rec("honour.commendation"), *many(20, "volunteer.service")], 1050, "AAA",
                     id="1000 + 30 + 20 = 1050 is the lowest AAA"),
        pytest.param([rec("honour.commendation"), *many(19, "volunteer.service")], 1049, "AA",
                     id="1000 + 30 + 19 = 1049 is AA"),
        pytest.param([rec("honour.commendation")], 1030, "AA", id="1000 + 30 = 1030 is the lowest AA"),
        pytest.param(many(2, "donation.record"), 1010, "A+", id="1000 + 5 + 5 = 1010 is the lowest A+"),
        pytest.param(many(9, "volunteer.service"), 1009, "A", id="1000 + 9 = 1009 is A"),
        pytest.param([general(), general()], 960, "A", id="1000 - 20 - 20 = 960 is the lowest A"),
        pytest.param([rec("jud.defaulter")], 950, "B", id="1000 - 50 = 950 is B"),
        pytest.param(many(3, "jud.defaulter"), 850, "B", id="1000 - 3 x 50 = 850 is the lowest B"),
        pytest.param([*many(3, "jud.defaulter"), rec("jud.judgment", severity="general")], 820, "C",
                     id="1000 - 150 - 30 = 820 is C"),
        pytest.param(many(8, "jud.defaulter"), 600, "C", id="1000 - 8 x 50 = 600 is the lowest C"),
        pytest.param(many(9, "jud.defaulter"), 550, "D", id="1000 - 9 x 50 = 550 is D"),
    ],
)  # fmt: skip
def test_rongcheng_personal_points_run_from_aaa_at_1050_down_to_d(
    score: Score, records: list[Row], points: float, grade: str
) -> None:
    assert only(score(RC, AS_OF, [natural()], records)) == (points, grade)


@pytest.mark.parametrize(
    ("records", "points", "grade"),
    [
        pytest.param(many(60, "volunteer.service"), 1050, "AAA", id="60 volunteerings at 1 are capped at 50"),
        pytest.param(many(7, "donation.record"), 1030, "AA", id="7 donations at 5 = 35 are capped at 30"),
        pytest.param(many(3, "honour.commendation"), 1060, "AAA", id="3 commendations at 30 = 90 are capped at 60"),
        pytest.param(
            [*many(55, "volunteer.service"), *many(7, "donation.record"), *many(3, "honour.commendation")],
            1140, "AAA", id="every positive at its cap: 1000 + 50 + 30 + 60 = 1140",
        ),
    ],
)  # fmt: skip
def test_rongcheng_positives_are_capped_each_on_its_own(
    score: Score, records: list[Row], points: float, grade: str
) -> None:
    graded = score(RC, AS_OF, [natural()], records)["S"]
    assert (graded.score, graded.grade, graded.records) == (points, grade, len(records))


def test_rongcheng_deductions_follow_its_table(score: Score) -> None:
    # 1000 − 50 (serious penalty) − 20 (general penalty) − 30 − 30 (judgments, either
    # severity) − 20 (tax arrears) + 0 (a minor penalty has no rule here) = 850 → B
    records = [serious(), general(), minor(), rec("jud.judgment", severity="general"),
               rec("jud.judgment", severity="serious"), rec("tax.arrears", severity="general")]  # fmt: skip
    graded = score(RC, AS_OF, [natural()], records)["S"]
    assert (graded.score, graded.grade, graded.records) == (850, "B", 5)


@pytest.mark.parametrize(("decided", "points"), [("2025-06-30", 1000), ("2025-07-01", 1001)])
def test_volunteering_counts_for_twelve_months(score: Score, decided: str, points: float) -> None:
    # 12 months before 2026-06-30 is 2025-06-30: out; 2025-07-01: in (+1).
    assert only(score(RC, AS_OF, [natural()], [rec("volunteer.service", decided)]))[0] == points


def test_rongcheng_personal_grades_natural_persons_only(score: Score) -> None:
    records = [rec("honour.commendation", subject=code) for code in ("P", "C")]
    results = score(RC, AS_OF, [natural("P"), legal("C")], records)
    assert set(results) == {"P"}
    assert results["P"].score == 1030  # 1000 + 30


@pytest.mark.parametrize("status", ["cancelled", "deceased", "revoked"])
def test_a_person_who_is_not_active_is_not_graded(score: Score, status: str) -> None:
    results = score(RC, AS_OF, [natural("P", status), natural("Q")], [])
    assert set(results) == {"Q"}


# --- Fuzhou: fuzhou_jasmine -------------------------------------------------------------
# base 500 on 0–1000; 优秀 ≥ 700, 良好 ≥ 600, 中等 ≥ 500, 较差 ≥ 400, 差 ≥ 0 (rules.toml).
# Volunteering +2 (cap 50), donations +10 (cap 50), commendations +40 (cap 80); court
# defaulter −150, judgment −40, serious penalty −60, tax arrears −30.

FZ = "fuzhou_jasmine"


@pytest.mark.parametrize(
    ("records", "points", "grade"),
    [
        pytest.param([], 500, "中等", id="no record: 500 is the lowest middle band"),
        pytest.param([rec("volunteer.service")], 502, "中等", id="500 + 2 = 502"),
        pytest.param([*many(2, "honour.commendation"), *many(9, "volunteer.service")], 598, "中等",
                     id="500 + 80 + 18 = 598"),
        pytest.param([*many(2, "honour.commendation"), *many(10, "volunteer.service")], 600, "良好",
                     id="500 + 80 + 20 = 600 is the lowest good band"),
        pytest.param([rec("jud.judgment", severity="general")], 460, "较差", id="500 - 40 = 460"),
        pytest.param([serious(), rec("jud.judgment", severity="serious")], 400, "较差",
                     id="500 - 60 - 40 = 400 is the lowest poor band"),
        pytest.param([*many(2, "jud.judgment", severity="general"), rec("tax.arrears", severity="general")],
                     390, "差", id="500 - 80 - 30 = 390"),
        pytest.param([rec("jud.defaulter")], 350, "差", id="500 - 150 = 350"),
        pytest.param(many(4, "jud.defaulter"), 0, "差", id="500 - 600 stops at the floor 0"),
    ],
)  # fmt: skip
def test_fuzhou_jasmine_grades_by_the_bands_of_its_pack(
    score: Score, records: list[Row], points: float, grade: str
) -> None:
    assert only(score(FZ, AS_OF, [natural()], records)) == (points, grade)


def test_the_bands_are_read_from_the_fuzhou_pack() -> None:
    _, model = pack_and_model(FZ)
    assert [(b.grade, b.min) for b in model.bands] == [
        ("优秀", 700), ("良好", 600), ("中等", 500), ("较差", 400), ("差", 0)
    ]  # fmt: skip
    assert (model.base, model.floor, model.ceiling) == (500, 0, 1000)


def test_every_fuzhou_positive_at_its_cap_reaches_680_short_of_the_top_band(score: Score) -> None:
    # 500 + 50 (30 volunteerings at 2 = 60, capped) + 50 (6 donations at 10 = 60, capped)
    # + 80 (3 commendations at 40 = 120, capped) = 680 → 良好: no record set reaches 优秀 (700).
    records = [
        *many(30, "volunteer.service"),
        *many(6, "donation.record"),
        *many(3, "honour.commendation"),
    ]
    assert only(score(FZ, AS_OF, [natural()], records)) == (680, "良好")


def test_a_general_penalty_costs_nothing_in_fuzhou(score: Score) -> None:
    # Only serious penalties have a rule (−60).
    graded = score(FZ, AS_OF, [natural()], [general(), minor()])["S"]
    assert (graded.score, graded.records) == (500, 0)


# --- across models ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "subject", "points", "grade"),
    [
        (ER, legal(), 100, "A"),
        (TAX, legal(), 100, "A"),
        (RC, natural(), 1000, "A"),  # 960 ≤ 1000 < 1010
        (FZ, natural(), 500, "中等"),  # 500 ≤ 500 < 600
    ],
)
def test_a_subject_with_no_records_keeps_the_base_score_and_its_grade(
    score: Score, model: str, subject: Row, points: float, grade: str
) -> None:
    graded = score(model, AS_OF, [subject], [])["S"]
    assert (graded.score, graded.grade, graded.records) == (points, grade, 0)


def test_the_city_packs_carry_the_national_models_unchanged() -> None:
    for city in ("rongcheng", "fuzhou"):
        for code in (ER, TAX):
            national = next(m for m in PACKS["national"].pack.scoring if m.code == code)
            assert next(m for m in PACKS[city].pack.scoring if m.code == code) == national


def test_the_records_count_is_the_number_of_records_that_count(score: Score) -> None:
    # Counting: one serious penalty and three commendations (the third one held back by
    # the cap still counts as a record) = 4. Not counting: revoked, provisional, an item
    # with no rule, a general penalty outside its 12 months, one decided after AS_OF.
    records = [serious(), *many(3, "honour.commendation"), serious(status="revoked"),
               serious(provisional=True), rec("adm.license"), general("2025-06-30"),
               general("2026-07-01")]  # fmt: skip
    graded = score(ER, AS_OF, [legal()], records)["S"]
    assert (graded.score, graded.records) == (80, 4)  # 100 − 30 + 10


def _hash(model: str, as_of: date, keys: str) -> str:
    loaded, _ = pack_and_model(model)
    return hashlib.sha256(
        f"{model}|{loaded.version}|{as_of.isoformat()}|{keys}".encode()
    ).hexdigest()


def test_the_inputs_hash_is_sha256_of_model_policy_day_and_the_sorted_counting_keys(
    score: Score,
) -> None:
    # Keys are record_id:version, sorted as strings ("r10:3" before "r2:1"); the revoked
    # record does not count and is not in the hash.
    records = [serious(record_id="r2"), general(record_id="r10", version=3),
               serious(record_id="r7", status="revoked")]  # fmt: skip
    graded = score(ER, AS_OF, [legal()], records)["S"]
    assert graded.inputs_hash == _hash(ER, AS_OF, "r10:3,r2:1")


def test_the_inputs_hash_is_equal_for_the_same_inputs_in_any_order(score: Score) -> None:
    records = [
        serious(record_id="a"),
        general(record_id="b"),
        rec("honour.commendation", record_id="c"),
    ]
    first = score(ER, AS_OF, [legal()], records)["S"]
    again = score(ER, AS_OF, [legal()], list(reversed(records)))["S"]
    assert again.inputs_hash == first.inputs_hash


def test_the_inputs_hash_changes_when_a_records_version_changes(score: Score) -> None:
    before = score(ER, AS_OF, [legal()], [serious(record_id="a", version=1)])["S"]
    after = score(ER, AS_OF, [legal()], [serious(record_id="a", version=2)])["S"]
    assert after.score == before.score  # 100 − 30 = 70 both times
    assert after.inputs_hash != before.inputs_hash


def test_the_inputs_hash_changes_with_the_evaluation_day(score: Score) -> None:
    records = [serious(record_id="a")]
    today = score(ER, AS_OF, [legal()], records)["S"]
    tomorrow = score(ER, date(2026, 7, 1), [legal()], records)["S"]
    assert today.inputs_hash != tomorrow.inputs_hash


def test_a_record_that_does_not_count_leaves_the_inputs_hash_as_it_was(score: Score) -> None:
    with_none = score(ER, AS_OF, [legal()], [])["S"]
    with_revoked = score(ER, AS_OF, [legal()], [serious(status="revoked")])["S"]
    assert with_revoked.inputs_hash == with_none.inputs_hash == _hash(ER, AS_OF, "")
