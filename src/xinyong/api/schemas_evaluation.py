"""Wire models of evaluations: a score, the lines behind it, and what will change it."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from xinyong.disclosure.evaluations import SubjectEvaluation
from xinyong.evaluation.explain import Change, Reason


class ReasonOut(BaseModel):
    code: str = Field(
        description="record, rule_cap, category_cap, floor, ceiling or undisclosed (points of records this caller may not see)."
    )
    points: float = Field(description="What this line adds to the score (negative: deducts).")
    rule: str | None = Field(None, description="The rule (item or item/severity), or category.")
    record_id: str | None = None
    version: int | None = None
    decided_on: date | None = None
    leaves_on: date | None = Field(None, description="First day the record no longer counts.")

    @classmethod
    def of(cls, r: Reason) -> ReasonOut:
        return cls(code=r.code, points=r.points, rule=r.rule, record_id=r.record_id,
                   version=r.version, decided_on=r.decided_on, leaves_on=r.leaves_on)  # fmt: skip


class ChangeOut(BaseModel):
    on: date
    leaving: list[str] = Field(description="Records that leave their window that day.")
    score: float
    grade: str

    @classmethod
    def of(cls, c: Change) -> ChangeOut:
        return cls(on=c.on, leaving=list(c.leaving), score=c.score, grade=c.grade)


class StoredOut(BaseModel):
    run_id: int | None
    as_of: date
    score: float
    grade: str
    inputs_hash: str
    same_inputs: bool = Field(description="Whether today's inputs are the run's (same hash).")


class EvaluationOut(BaseModel):
    model: str
    model_name_zh: str
    model_name_en: str
    legal_basis: str
    as_of: date
    score: float
    grade: str
    base: float
    policy_version: str
    inputs_hash: str = Field(description="SHA-256 of model, policy version, day and records.")
    records: int = Field(description="Records that count.")
    reasons: list[ReasonOut] = Field(description="Largest contribution first; base + sum = score.")
    changes: list[ChangeOut] = Field(description="Coming days on which the score changes.")
    stored: StoredOut | None = Field(description="The latest stored run's result, if any.")

    @classmethod
    def of(cls, e: SubjectEvaluation) -> EvaluationOut:
        r, why, s = e.result, e.explanation, e.stored
        stored = None
        if s is not None:
            stored = StoredOut(run_id=s.run_id, as_of=s.as_of, score=s.score, grade=s.grade,
                               inputs_hash=s.inputs_hash, same_inputs=s.inputs_hash == r.inputs_hash)  # fmt: skip
        return cls(model=r.model.code, model_name_zh=r.model.name.zh, model_name_en=r.model.name.en,
                   legal_basis=r.model.legal_basis, as_of=r.as_of, score=r.score, grade=r.grade,
                   base=why.base, policy_version=r.policy_version, inputs_hash=r.inputs_hash,
                   records=r.records, reasons=[ReasonOut.of(x) for x in why.reasons],
                   changes=[ChangeOut.of(c) for c in why.changes], stored=stored)  # fmt: skip


class EvaluationsOut(BaseModel):
    subject_code: str
    items: list[EvaluationOut]
