"""The scoring logic, once, as Ibis expressions that DuckDB and Spark both run.

Every number an evaluation reports comes from these functions, on either
backend and for one subject or a million: :func:`scores` for results,
:func:`breakdown` and :func:`matched` for their explanations. Nothing here
knows where the tables come from (a Parquet snapshot, a memtable of one
subject's records) or which engine runs them.

Input tables (see :mod:`.snapshot` for their Arrow schemas):

- records: ``subject_code, record_id, version, catalog_item, severity,
  decided_on, status, provisional`` — current versions only;
- subjects: ``code, subject_kind, status``.

Only active records tied to the subject by its code count: a record under
objection, revoked, repaired or corrected, or one linked to the subject by a
fuzzy match not yet confirmed, moves no score (PRODUCT.md principles).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import ibis
import ibis.expr.types as ir

from xinyong.evaluation.rules import RuleRow, centi
from xinyong.policy.model import ScoringModel

# Stands in for "no cap": larger than any sum of centipoints a subject can reach.
_UNCAPPED = 10**15

RULE_SCHEMA = ibis.schema(
    {
        "rule_no": "int64",
        "item": "string",
        "rule_severity": "string",
        "category": "string",
        "points": "int64",
        "since": "date",
        "rule_cap": "int64",
        "category_cap": "int64",
    }
)


@dataclass(frozen=True)
class Compiled:
    """A model on one day, ready to join: its rule table and constants."""

    model: ScoringModel
    policy_version: str
    as_of: date
    rules: ir.Table

    @property
    def prefix(self) -> str:
        """What the inputs hash covers besides the records: model, policy and day."""
        return f"{self.model.code}|{self.policy_version}|{self.as_of.isoformat()}|"


def compile_model(
    model: ScoringModel, rows: list[RuleRow], policy_version: str, as_of: date
) -> Compiled:
    """The model's rules as an Ibis memtable (tiny: every backend broadcasts it)."""
    caps = {str(k): centi(v) for k, v in model.category_caps.items()}
    table = ibis.memtable(
        {
            "rule_no": [r.rule_no for r in rows],
            "item": [r.item for r in rows],
            "rule_severity": [r.severity for r in rows],
            "category": [r.category for r in rows],
            "points": [r.points for r in rows],
            "since": [r.since for r in rows],
            "rule_cap": [r.cap if r.cap is not None else _UNCAPPED for r in rows],
            "category_cap": [caps.get(r.category, _UNCAPPED) for r in rows],
        },
        schema=RULE_SCHEMA,
    )
    return Compiled(model=model, policy_version=policy_version, as_of=as_of, rules=table)


def matched(compiled: Compiled, records: ir.Table) -> ir.Table:
    """Each counting record with the one rule it matches (rules never overlap)."""
    rules = compiled.rules
    counting = records.filter(
        records.status == "active",
        ~records.provisional,
        records.decided_on <= ibis.literal(compiled.as_of),
    )
    joined = counting.join(
        rules,
        [
            counting.catalog_item == rules.item,
            rules.rule_severity.isnull() | (rules.rule_severity == counting.severity),
            counting.decided_on >= rules.since,
        ],
    )
    return joined.select(
        "subject_code",
        "record_id",
        "version",
        "decided_on",
        "rule_no",
        "category",
        "points",
        "rule_cap",
        "category_cap",
    )


def _clip(value: ir.IntegerValue, cap: ir.IntegerValue) -> ir.IntegerValue:
    return ibis.least(ibis.greatest(value, -cap), cap)


def breakdown(compiled: Compiled, records: ir.Table) -> tuple[ir.Table, ir.Table]:
    """Points per rule (raw and capped) and per category (summed and capped), per subject."""
    m = matched(compiled, records)
    per_rule = m.group_by(["subject_code", "rule_no", "category", "rule_cap", "category_cap"]).agg(
        raw=m.points.sum(), records=m.count()
    )
    per_rule = per_rule.mutate(capped=_clip(per_rule.raw, per_rule.rule_cap))
    per_category = per_rule.group_by(["subject_code", "category", "category_cap"]).agg(
        summed=per_rule.capped.sum(), records=per_rule.records.sum()
    )
    per_category = per_category.mutate(capped=_clip(per_category.summed, per_category.category_cap))
    return per_rule, per_category


def scores(compiled: Compiled, subjects: ir.Table, records: ir.Table) -> ir.Table:
    """One row per subject the model grades: ``subject_code, score, grade, inputs_hash, records``.

    ``score`` is in centipoints. Subjects with no counting record keep the
    base score. ``inputs_hash`` is SHA-256 over the model, policy version,
    day and the sorted ``record_id:version`` of every counting record.
    """
    model = compiled.model
    _, per_category = breakdown(compiled, records)
    totals = per_category.group_by("subject_code").agg(
        points=per_category.capped.sum(), records=per_category.records.sum()
    )
    m = matched(compiled, records)
    key = m.record_id + ":" + m.version.cast("string")
    inputs = m.group_by("subject_code").agg(keys=key.collect().sort().join(","))

    graded = subjects.filter(
        subjects.subject_kind.isin([k.value for k in model.subject_kinds]),
        subjects.status == "active",
    )
    joined = graded.left_join(totals, graded.code == totals.subject_code).left_join(
        inputs, graded.code == inputs.subject_code
    )
    raw = centi(model.base) + joined.points.fill_null(0)
    score = ibis.least(ibis.greatest(raw, centi(model.floor)), centi(model.ceiling))
    grade = ibis.cases(
        *[(score >= centi(band.min), band.grade) for band in model.bands[:-1]],
        else_=model.bands[-1].grade,
    )
    digest = (ibis.literal(compiled.prefix) + joined["keys"].fill_null("")).hexdigest("sha256")
    return joined.select(
        subject_code=joined.code,
        score=score.cast("int64"),
        grade=grade,
        inputs_hash=digest,
        records=joined.records.fill_null(0).cast("int64"),
    )
