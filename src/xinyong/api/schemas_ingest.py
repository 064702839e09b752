"""Wire models of collection: records sent as JSON, batches and their rejected rows.

Field names are the catalog's (see docs/ingest.md, "Records as JSON"); values
stay as departments write them (dates as text in any accepted form, amounts
as text or numbers), because validating them is the ingest's job and its
refusals are per row, not per call. Unknown top-level fields are refused.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from xinyong.ingest.model import BatchReport
from xinyong.ingest.service import BatchDetail

Text = str | int | float | None


class RegistrationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    legal_rep_name: str | None = Field(None, max_length=100, description="Legal representative.")
    legal_rep_code: str | None = Field(None, max_length=64, description="Their resident ID.")
    established_on: str | None = Field(None, max_length=32, description="Date established.")
    status: str = Field(
        "active", max_length=16, description="active, cancelled, revoked, deceased."
    )


class RecordIn(BaseModel):
    """One record as a department reports it."""

    model_config = ConfigDict(extra="forbid")

    subject_code: str = Field(max_length=64, description="USCC or resident ID.")
    subject_name: str = Field("", max_length=300, description="Name as the department has it.")
    catalog_item: str = Field(max_length=64, description="Catalog item code, e.g. adm.penalty.")
    document_number: str = Field(max_length=200, description="Unique per department.")
    decided_on: Text = Field(description="Decision date, e.g. 2025-05-06 or 2025年5月6日.")
    occurred_on: Text = Field(None, description="Date of the conduct, if known.")
    severity: str | None = Field(None, max_length=16, description="minor, general or serious.")
    polarity: str | None = Field(None, max_length=16, description="Must agree with the item.")
    payload: dict[str, Any] = Field(default_factory=dict, description="Catalog payload fields.")
    action: Literal["report", "revoke"] = Field("report", description="revoke withdraws it.")
    registration: RegistrationIn | None = Field(None, description="For registration items.")


class RecordsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    department: str | None = Field(
        None, max_length=64, description="Reporting department (operator keys only)."
    )
    records: list[RecordIn] = Field(min_length=1, description="The records of this batch.")


class BatchOut(BaseModel):
    """批次 (batch): one upload and what became of its rows."""

    batch_id: int = Field(description="Id of the batch (of the earlier one if already applied).")
    filename: str
    department: str
    sha256: str = Field(description="SHA-256 of the file, or of the canonical JSON records.")
    format: str = Field(description="csv, xlsx, jsonl or json.")
    encoding: str
    mapping: str | None = Field(description="The mapping that read the file.")
    rows: int
    accepted: int = Field(description="New records stored.")
    duplicates: int = Field(description="The same records again: nothing stored.")
    corrections: int = Field(description="Changed records: new versions stored.")
    revocations: int = Field(description="Records revoked.")
    rejected: int = Field(description="Rows refused; see GET /api/v1/batches/{id}.")
    rejected_by_code: dict[str, int] = Field(description="Rejected rows by their main error code.")
    already_applied: bool = Field(description="The same file had been applied: nothing changed.")

    @classmethod
    def of(cls, report: BatchReport) -> BatchOut:
        return cls(
            batch_id=report.batch_id,
            filename=report.filename,
            department=report.department,
            sha256=report.sha256,
            format=report.format,
            encoding=report.encoding,
            mapping=report.mapping,
            rows=report.rows,
            accepted=report.accepted,
            duplicates=report.duplicates,
            corrections=report.corrections,
            revocations=report.revocations,
            rejected=report.rejected,
            rejected_by_code=dict(report.rejected_by_code),
            already_applied=report.already_applied,
        )


class RejectedRowOut(BaseModel):
    row: int = Field(description="1-based data row (or JSON record) number.")
    field: str | None = Field(description="Field at fault; null for the row as a whole.")
    error_code: str = Field(description="Stable error code (docs/errors.md).")
    message: str
    original: dict[str, Any] = Field(description="The row as it was sent.")


class BatchDetailOut(BaseModel):
    batch_id: int
    department: str
    filename: str
    sha256: str
    format: str
    encoding: str
    mapping: str | None
    status: str = Field(description="applied (a batch is never half-applied).")
    rows: int
    accepted: int
    duplicates: int
    corrections: int
    revocations: int
    rejected: int
    created_at: datetime
    applied_at: datetime | None
    rejected_rows: list[RejectedRowOut] = Field(description="Rejected rows in file order.")

    @classmethod
    def of(cls, detail: BatchDetail) -> BatchDetailOut:
        b = detail.batch
        return cls(
            batch_id=b.id,
            department=b.department,
            filename=b.filename,
            sha256=b.sha256,
            format=b.format,
            encoding=b.encoding,
            mapping=b.mapping,
            status=b.status,
            rows=b.rows,
            accepted=b.accepted,
            duplicates=b.duplicates,
            corrections=b.corrections,
            revocations=b.revocations,
            rejected=b.rejected,
            created_at=b.created_at,
            applied_at=b.applied_at,
            rejected_rows=[
                RejectedRowOut(
                    row=r.row_number,
                    field=r.field,
                    error_code=r.error_code,
                    message=r.message,
                    original=r.raw,
                )
                for r in detail.rejected
            ],
        )
