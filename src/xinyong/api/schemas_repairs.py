"""Wire models of credit repair (信用修复) and of the notifications agencies acknowledge."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from xinyong.rights.repair_service import RepairView
from xinyong.rights.repairs import Eligibility


class EligibilityOut(BaseModel):
    eligible: bool
    reason: str
    possible_on: date | None = Field(description="The first day repair is possible, if ever.")

    @classmethod
    def of(cls, seen: Eligibility) -> EligibilityOut:
        return cls(eligible=seen.eligible, reason=seen.reason, possible_on=seen.possible_on)


class RepairIn(BaseModel):
    record_id: str = Field(max_length=64, description="The negative record to repair.")
    performed: str = Field(
        min_length=1, max_length=4000, description="How the obligations were performed."
    )
    committed: bool = Field(description="The credit commitment letter is signed (Order 36).")


class RepairOut(BaseModel):
    id: int
    subject_code: str
    record_id: str
    record_version: int
    department: str = Field(description="Who decides it (the reporting department).")
    performed: str
    commitment: str = Field(description="The commitment letter as signed.")
    filed_by: str
    filed_at: datetime
    due_on: date = Field(description="Last day to decide (the pack's working days).")
    due_provisional: bool
    state: str = Field(description="open, approved or refused.")
    decision_reason: str | None
    decided_by: str | None
    decided_at: datetime | None
    overdue: bool

    @classmethod
    def of(cls, view: RepairView) -> RepairOut:
        values: dict[str, Any] = dict(view.repair.__dict__)
        values["state"] = str(view.repair.state)
        return cls(**values, overdue=view.overdue)


class RepairsPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[RepairOut]


class RepairDecisionIn(BaseModel):
    approve: bool
    reason: str = Field("", max_length=4000, description="Required for a refusal.")


class NotificationOut(BaseModel):
    id: int
    kind: str = Field(description="repair.notice: stop publishing and using the record.")
    target: str
    subject_code: str
    detail: dict[str, Any]
    created_at: datetime
    attempts: int = Field(description="How many times it was sent again.")
