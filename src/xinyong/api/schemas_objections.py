"""Wire models of objections (异议): one objection with its deadlines, decisions and extensions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from xinyong.rights.objections import Ruling
from xinyong.rights.service import ObjectionView


class AttachmentOut(BaseModel):
    id: int
    filename: str = Field(description="The name it was sent with, reduced to a plain base name.")
    media_type: str = Field(description="What its content was checked to be.")
    size: int
    sha256: str


class ObjectionOut(BaseModel):
    id: int
    subject_code: str
    target: str = Field(description="record, list_entry or repair (a refusal contested).")
    record_id: str | None
    record_version: int | None = Field(description="The version objected to.")
    entry_id: int | None
    repair_id: int | None = Field(None, description="The refused application, for a repair.")
    department: str = Field(description="Who decides it (the reporting department).")
    reasons: str
    filed_by: str
    filed_at: datetime
    due_on: date = Field(description="Last day to decide (an extension included).")
    due_provisional: bool = Field(
        description="A day counted lies in a year whose official holiday schedule is not known."
    )
    latest_on: date = Field(description="The last day an extension may reach.")
    extension_reason: str | None
    state: str = Field(description="open, upheld, corrected or revoked.")
    decision_reason: str | None
    decided_by: str | None
    decided_at: datetime | None
    corrected_version: int | None
    escalated_at: datetime | None = Field(description="When it went overdue to the operator.")
    overdue: bool
    attachments: list[AttachmentOut]

    @classmethod
    def of(cls, view: ObjectionView) -> ObjectionOut:
        values: dict[str, Any] = dict(view.objection.__dict__)
        values["target"], values["state"] = str(view.objection.target), str(view.objection.state)
        attachments = [AttachmentOut(id=a.id or 0, filename=a.filename, media_type=a.media_type,
                                     size=a.size, sha256=a.sha256) for a in view.attachments]  # fmt: skip
        return cls(**values, overdue=view.overdue, attachments=attachments)


class ObjectionsPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[ObjectionOut]


class DecisionIn(BaseModel):
    ruling: Ruling = Field(description="uphold, correct or revoke.")
    reason: str = Field(
        min_length=1, max_length=4000, description="Written reason, for the subject."
    )
    correction: dict[str, Any] | None = Field(
        None, description="For correct: the payload fields as they should read."
    )


class ExtensionIn(BaseModel):
    until: date = Field(description="The new last day to decide (at most latest_on).")
    reason: str = Field(min_length=1, max_length=4000, description="Why more time is needed.")


class DepartmentLoadOut(BaseModel):
    workflow: str = Field(description="objections or repairs.")
    department: str
    open: int
    overdue: int = Field(description="Open past their last day.")
    oldest_due: date | None = Field(description="The earliest deadline still open.")
    decided: int
    median_working_days: float | None = Field(description="Filing to decision, decided ones.")
    limit_working_days: int = Field(description="The pack's deadline.")
