"""Wire models of consent (授权), authorised queries and a subject's query history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from xinyong.rights.consent_service import AuthorisedFile, Query
from xinyong.rights.consents import Consent


class ConsentIn(BaseModel):
    agency: str = Field(max_length=16, description="The agency key's public prefix.")
    purpose: str = Field(max_length=64, description="A purpose of the pack (GET /api/v1/catalog).")
    until: date = Field(description="The last day the consent may be used.")


class ConsentOut(BaseModel):
    id: int
    subject_code: str
    agency: str
    agency_name: str
    purpose: str
    granted_by: str
    granted_at: datetime
    valid_until: date
    revoked_at: datetime | None
    revoked_by: str | None

    @classmethod
    def of(cls, consent: Consent) -> ConsentOut:
        return cls(**{**consent.__dict__, "id": consent.id or 0})


class AuthorisedOut(BaseModel):
    subject_code: str
    purpose: str
    consent_id: int
    fields: list[str] = Field(description="The record fields this purpose allows.")
    records: list[dict[str, Any]] = Field(description="Each record cut to those fields.")

    @classmethod
    def of(cls, found: AuthorisedFile) -> AuthorisedOut:
        return cls(subject_code=found.subject_code, purpose=found.purpose.code,
                   consent_id=found.consent_id, fields=list(found.purpose.fields),
                   records=found.records)  # fmt: skip


class QueryOut(BaseModel):
    at: datetime
    who: str = Field(description="The key (and department) that looked.")
    kind: str = Field(description="check, or the audited read (records.read, authorised.read …).")
    about: str = Field(description="The matter of a check or the purpose of a query.")

    @classmethod
    def of(cls, query: Query) -> QueryOut:
        return cls(at=query.at, who=query.who, kind=query.kind, about=query.about)
