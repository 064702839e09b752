"""Wire models of checks: what a checking department sends and what it is answered."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from xinyong.checks.model import AppliedMeasure
from xinyong.checks.service import CheckResult
from xinyong.store.queries.checks import CheckRow, FeedbackRow


class CheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject_code: str = Field(
        max_length=64, description="USCC or resident ID of who the matter is about."
    )
    matter: str = Field(
        max_length=64,
        description="The matter being handled, e.g. flight_ticket (GET /api/v1/catalog lists none; see the pack's matters).",
    )


class CheckBatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    matter: str = Field(max_length=64, description="The matter, for every subject of the call.")
    subject_codes: list[str] = Field(
        min_length=1, description="Up to XINYONG_API_MAX_CHECKS_PER_CALL (10,000) codes."
    )


class MeasureOut(BaseModel):
    """One measure that applies, with its whole basis."""

    measure: str = Field(description="Measure code.")
    kind: str = Field(description="sanction or reward.")
    name_zh: str
    name_en: str
    legal_basis: str = Field(description="The measure's own legal basis.")
    department: str = Field(description="Department that implements it.")
    memorandum: str = Field(description="The memorandum linking the list to the measure.")
    memorandum_basis: str
    entry_id: int = Field(description="The list entry that triggers it.")
    list_code: str
    until: date | None = Field(
        description="Last day it applies; empty: until the entry is removed."
    )
    via: str | None = Field(
        description="Set when the subject is reached as the legal representative of this listed legal person."
    )
    under_objection: bool = Field(
        description=(
            "The subject disputes the entry or a record it rests on (异议): the entry stands "
            "until the objection is decided; take that into account."
        )
    )

    @classmethod
    def of(cls, measure: AppliedMeasure) -> MeasureOut:
        return cls(**{name: getattr(measure, name) for name in cls.model_fields})


class CheckOut(BaseModel):
    check_id: str = Field(description="Quote it when reporting feedback.")
    subject_code: str
    matter: str
    outcome: str = Field(
        description="proceed, restrict (a sanction applies) or favour (only rewards apply)."
    )
    measures: list[MeasureOut]
    checked_at: datetime

    @classmethod
    def of(cls, result: CheckResult) -> CheckOut:
        return cls(
            check_id=result.check_id, subject_code=result.subject_code, matter=result.matter,
            outcome=result.decision.outcome, checked_at=result.at,
            measures=[MeasureOut.of(m) for m in result.decision.measures],
        )  # fmt: skip


class CheckBatchOut(BaseModel):
    matter: str
    results: list[CheckOut] = Field(description="One per subject, in the order sent.")


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    applied: bool = Field(description="Whether the measures were applied to the matter.")
    reason: str = Field(
        min_length=1,
        max_length=2000,
        description="Why (e.g. the ticket was refused; or the subject showed performance).",
    )


class FeedbackOut(BaseModel):
    check_id: str
    applied: bool
    reason: str
    at: datetime

    @classmethod
    def of(cls, row: FeedbackRow) -> FeedbackOut:
        return cls(check_id=row.check_id, applied=row.applied, reason=row.reason, at=row.at)


class LoggedCheckOut(BaseModel):
    """A check as the log keeps it: who asked, for what matter, what was answered."""

    check_id: str
    checked_at: datetime
    asked_by: str = Field(description="The key that asked (its prefix).")
    department: str | None
    matter: str
    outcome: str
    measures: list[dict[str, object]] = Field(
        description="The measures answered, with their basis."
    )
    policy_version: str

    @classmethod
    def of(cls, row: CheckRow) -> LoggedCheckOut:
        return cls(
            check_id=row.id, checked_at=row.at, asked_by=row.actor, department=row.department,
            matter=row.matter, outcome=row.outcome, measures=row.measures,
            policy_version=row.policy_version,
        )  # fmt: skip


class ChecksPage(BaseModel):
    subject_code: str
    total: int
    limit: int
    offset: int
    items: list[LoggedCheckOut] = Field(description="Newest first.")
