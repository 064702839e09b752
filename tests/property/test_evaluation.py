"""Evaluation properties: one subject alone scores as in the batch, and explanations add up.

Populations are small and random: one to six subjects of either kind (now
and then not active), each with up to fifteen records over every item a
shipped model scores plus one no model scores, of the severities the catalog
allows, in any status, sometimes linked only provisionally, decided up to
four years either side of the evaluation day. Every shipped model runs on
them: national ``enterprise_risk`` and ``tax_credit``, Rongcheng's
``rongcheng_personal`` and Fuzhou's ``fuzhou_jasmine``.

- A subject run on its own rows gets exactly the row it gets in the batch
  (the service's single-subject path relies on it).
- base + every reason line = the score (:mod:`xinyong.evaluation.explain`).
- The score lies within [floor, ceiling], and the grade is the score's band.
- :func:`~xinyong.evaluation.rules.leaves_on` is the first day a record no
  longer counts, by the rule :func:`~xinyong.evaluation.rules.since_for` uses.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import ibis
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from xinyong.clock import add_months
from xinyong.evaluation import expr, rules
from xinyong.evaluation.engine import DuckDBEngine
from xinyong.evaluation.explain import reasons
from xinyong.evaluation.snapshot import RECORDS, SUBJECTS, table_of
from xinyong.policy.loader import LoadedPack, load_pack
from xinyong.policy.model import ScoringModel
from xinyong.store.tables import RECORD_STATUSES, SUBJECT_STATUSES

Row = dict[str, Any]

NATIONAL, RONGCHENG, FUZHOU = (load_pack(code) for code in ("national", "rongcheng", "fuzhou"))


def _model(loaded: LoadedPack, code: str) -> tuple[LoadedPack, ScoringModel]:
    return loaded, next(m for m in loaded.pack.scoring if m.code == code)


MODELS = {
    "enterprise_risk": _model(NATIONAL, "enterprise_risk"),
    "tax_credit": _model(NATIONAL, "tax_credit"),
    "rongcheng_personal": _model(RONGCHENG, "rongcheng_personal"),
    "fuzhou_jasmine": _model(FUZHOU, "fuzhou_jasmine"),
}
UNSCORED = "adm.license"
SCORED = sorted({rule.item for _, model in MODELS.values() for rule in model.points})
USED = [i for i in NATIONAL.pack.catalog if i.code in SCORED or i.code == UNSCORED]
# (item, severity) pairs the catalog allows; items without severities carry none.
Kind = tuple[str, str | None]  # (catalog item, severity)
ITEMS: list[Kind] = [(i.code, s.value) for i in USED for s in i.severities] + [
    (i.code, None) for i in USED if not i.severities
]
# Positive items, drawn as often as all the others: their rule caps need several records.
POSITIVES: list[Kind] = [(i.code, None) for i in USED if i.polarity == "positive"]


# --- strategies -------------------------------------------------------------------------

days = st.dates(date(2023, 1, 1), date(2027, 12, 31)) | st.sampled_from(
    [date(2025, 2, 28), date(2026, 2, 28), date(2024, 2, 29), date(2026, 3, 31), date(2026, 8, 31)]
)
WINDOWS = sorted({r.window_months for _, m in MODELS.values() for r in m.points if r.window_months})
# Mostly active, unconfirmed links now and then: else too few records would count.
record_statuses = st.sampled_from(["active"] * 10 + [s for s in RECORD_STATUSES if s != "active"])
subject_statuses = st.sampled_from(["active"] * 4 + [s for s in SUBJECT_STATUSES if s != "active"])
provisional = st.sampled_from([False] * 7 + [True])


def decision_days(as_of: date) -> st.SearchStrategy[date]:
    """Days up to four years either side of ``as_of``, often inside or on a window's edge."""
    edges = [add_months(as_of, -w) + timedelta(days=k) for w in WINDOWS for k in (0, 1)]
    return (
        st.dates(add_months(as_of, -48), add_months(as_of, 48))
        | st.dates(add_months(as_of, -36), as_of)
        | st.dates(add_months(as_of, -12), as_of)
        | st.sampled_from([*edges, as_of, as_of + timedelta(days=1)])
    )


@st.composite
def populations(draw: st.DrawFn) -> tuple[date, list[Row], list[Row]]:
    """An evaluation day, subjects and their records (see the module docstring).

    Each subject's records come from a few items of its own, so that rules and
    categories reach their caps and scores their floor or ceiling.
    """
    as_of = draw(days)
    decided = decision_days(as_of)
    subjects, records = [], []
    for n in range(draw(st.integers(1, 6))):
        code = f"S{n}"
        subjects.append({
            "code": code,
            "subject_kind": draw(st.sampled_from(["legal", "natural"])),
            "status": draw(subject_statuses),
        })  # fmt: skip
        kinds = st.sampled_from(ITEMS) | st.sampled_from(POSITIVES)
        own = st.sampled_from(draw(st.lists(kinds, min_size=1, max_size=3)))
        for k in range(draw(st.integers(0, 15))):
            item, severity = draw(own)
            records.append({
                "subject_code": code, "record_id": f"{code}-{k}",
                "version": draw(st.integers(1, 3)), "catalog_item": item, "severity": severity,
                "decided_on": draw(decided), "status": draw(record_statuses),
                "provisional": draw(provisional),
            })  # fmt: skip
    return as_of, subjects, records


def _capped() -> tuple[date, list[Row], list[Row]]:
    """A population that reaches every kind of reason line each model can give.

    L1: penalties over their category cap, commendations over their rule cap, and
    the floor (enterprise_risk); L2: commendations alone, the ceiling; L3: tax
    arrears past tax_credit's floor; P1: donations and commendations over their
    caps (rongcheng_personal, fuzhou_jasmine); P2: court defaulters past Fuzhou's
    floor; P3: a deceased person with records.
    """
    as_of = date(2026, 6, 30)
    penalty: Kind = ("adm.penalty", "serious")
    commendation: Kind = ("honour.commendation", None)
    defaulter: Kind = ("jud.defaulter", "serious")
    held: dict[str, list[Kind]] = {
        "L1": [penalty] * 3 + [commendation] * 3 + [defaulter, ("abn.operation", "general")],
        "L2": [commendation] * 3,
        "L3": [("tax.arrears", "serious")] * 3,
        "P1": [("donation.record", None)] * 7 + [commendation] * 3,
        "P2": [defaulter] * 4,
        "P3": [defaulter],
    }
    subjects = [{"code": code, "subject_kind": "legal" if code[0] == "L" else "natural",
                 "status": "deceased" if code == "P3" else "active"} for code in held]  # fmt: skip
    records = [{"subject_code": code, "record_id": f"{code}-{k}", "version": 1,
                "catalog_item": item, "severity": severity, "decided_on": date(2026, 5, 1),
                "status": "active", "provisional": False}
               for code, items in held.items() for k, (item, severity) in enumerate(items)]  # fmt: skip
    return as_of, subjects, records


CAPPED = _capped()


# --- running the engine -----------------------------------------------------------------


@pytest.fixture(scope="module")
def engine() -> Iterator[DuckDBEngine]:
    duckdb = DuckDBEngine(threads=1)
    yield duckdb
    duckdb.close()


def _compiled(code: str, as_of: date) -> expr.Compiled:
    loaded, model = MODELS[code]
    return expr.compile_model(
        model, rules.rule_rows(model, loaded.pack, as_of), loaded.version, as_of
    )


def _tables(subjects: list[Row], records: list[Row]) -> tuple[ibis.Table, ibis.Table]:
    return ibis.memtable(table_of(SUBJECTS, subjects)), ibis.memtable(table_of(RECORDS, records))


def _scores(
    engine: DuckDBEngine, compiled: expr.Compiled, subjects: list[Row], records: list[Row]
) -> dict[str, Row]:
    table = engine.to_arrow(expr.scores(compiled, *_tables(subjects, records)))
    return {row["subject_code"]: row for row in table.to_pylist()}


def _by_subject(rows: list[Row], code: str) -> list[Row]:
    return [row for row in rows if row["subject_code"] == code]


each_model = pytest.mark.parametrize("code", sorted(MODELS))


# --- properties -------------------------------------------------------------------------


@each_model
@settings(deadline=None, max_examples=20)
@given(population=populations())
@example(population=CAPPED)
def test_a_subject_alone_gets_exactly_what_it_gets_in_the_batch(
    engine: DuckDBEngine, code: str, population: tuple[date, list[Row], list[Row]]
) -> None:
    as_of, subjects, records = population
    compiled = _compiled(code, as_of)
    batch = _scores(engine, compiled, subjects, records)
    for subject in subjects:
        alone = _scores(engine, compiled, [subject], _by_subject(records, subject["code"]))
        assert alone == (
            {subject["code"]: batch[subject["code"]]} if subject["code"] in batch else {}
        )


@each_model
@settings(deadline=None, max_examples=25)
@given(population=populations())
@example(population=CAPPED)
def test_base_plus_the_reason_lines_is_the_score(
    engine: DuckDBEngine, code: str, population: tuple[date, list[Row], list[Row]]
) -> None:
    as_of, subjects, records = population
    loaded, model = MODELS[code]
    compiled = _compiled(code, as_of)
    rule_rows = rules.rule_rows(model, loaded.pack, as_of)
    subject_table, record_table = _tables(subjects, records)
    scored = engine.to_arrow(expr.scores(compiled, subject_table, record_table)).to_pylist()
    matched = engine.to_arrow(expr.matched(compiled, record_table)).to_pylist()
    per_rule, per_category = (
        engine.to_arrow(t).to_pylist() for t in expr.breakdown(compiled, record_table)
    )
    for row in scored:
        mine = row["subject_code"]
        lines = reasons(model, rule_rows, row["score"], _by_subject(matched, mine),
                        _by_subject(per_rule, mine), _by_subject(per_category, mine))  # fmt: skip
        assert round(model.base * 100) + sum(round(r.points * 100) for r in lines) == row["score"]
        assert sum(line.code == "record" for line in lines) == row["records"]


@each_model
@settings(deadline=None, max_examples=30)
@given(population=populations())
@example(population=CAPPED)
def test_the_score_lies_within_floor_and_ceiling_and_the_grade_is_its_band(
    engine: DuckDBEngine, code: str, population: tuple[date, list[Row], list[Row]]
) -> None:
    as_of, subjects, records = population
    _, model = MODELS[code]
    scored = _scores(engine, _compiled(code, as_of), subjects, records)
    graded = {
        s["code"]
        for s in subjects
        if s["status"] == "active" and s["subject_kind"] in {k.value for k in model.subject_kinds}
    }
    assert set(scored) == graded
    for row in scored.values():
        assert round(model.floor * 100) <= row["score"] <= round(model.ceiling * 100)
        assert row["grade"] == model.grade(row["score"] / 100)


# A model that applies from the first day of the calendar: since_for is then the window alone.
ALWAYS = MODELS["enterprise_risk"][1].model_copy(update={"valid_from": date(1, 1, 1)})


def _counts(decided: date, window: int, day: date) -> bool:
    """Whether the record counts on ``day`` by since_for (decided on or before the day)."""
    return decided <= day and decided >= rules.since_for(ALWAYS, window, day)


@settings(deadline=None, max_examples=60)
@given(decided=st.dates(date(1990, 1, 1), date(2060, 12, 31)), window=st.integers(1, 60))
@example(decided=date(2026, 1, 31), window=1)  # counts through 28 February, leaves 1 March
@example(decided=date(2024, 2, 29), window=12)
@example(decided=date(2025, 11, 30), window=3)
def test_a_record_counts_the_day_before_it_leaves_and_not_on_the_day_it_leaves(
    decided: date, window: int
) -> None:
    leaves = rules.leaves_on(decided, window)
    before = leaves - timedelta(days=1)
    assert add_months(before, -window) < decided <= add_months(leaves, -window)
    assert _counts(decided, window, before)
    assert not _counts(decided, window, leaves)
    assert _counts(decided, window, decided)  # a record counts from its decision day
