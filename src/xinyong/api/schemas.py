"""Wire models of the read endpoints: what the JSON says, built from domain types.

Each ``…Out``/``…Page`` model documents its fields (they become the OpenAPI
schema) and has an ``of`` constructor from the domain value; no rule lives
here: what a role may see was decided by :mod:`xinyong.disclosure`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from xinyong.disclosure.model import DisclosedRecords, DisclosedSubject
from xinyong.policy.loader import LoadedPack
from xinyong.policy.model import CatalogItem, Names, PayloadField
from xinyong.registry.model import Record, Subject


class HealthOut(BaseModel):
    status: str = Field(description="Always `ok` when the process answers.")


class CatalogItemOut(BaseModel):
    """目录条目 (catalog item): one type of public credit information this node records."""

    code: str = Field(description="Item code, e.g. adm.penalty.")
    name: Names = Field(description="Item name in Chinese and English.")
    category: str = Field(description="Category from the closed national list.")
    subject_kinds: list[str] = Field(description="Who records can be about: legal, natural.")
    departments: list[str] = Field(description="Departments allowed to report it.")
    polarity: str = Field(description="negative, positive or neutral.")
    severities: list[str] = Field(description="Severity classes a record may carry.")
    payload: list[PayloadField] = Field(description="Typed payload fields of a record.")
    disclosure: dict[str, str] = Field(
        description="Disclosure scope per subject kind: public, shared or authorised."
    )
    legal_basis: str = Field(description="Law, regulation or policy it rests on.")
    valid_from: date = Field(description="First decision date the item applies to.")
    valid_to: date | None = Field(description="Last decision date; null while in force.")

    @classmethod
    def of(cls, item: CatalogItem) -> CatalogItemOut:
        return cls(
            code=item.code,
            name=item.name,
            category=item.category,
            subject_kinds=[k.value for k in item.subject_kinds],
            departments=list(item.departments),
            polarity=item.polarity.value,
            severities=[s.value for s in item.severities],
            payload=list(item.payload),
            disclosure={kind.value: scope.value for kind, scope in item.disclosure.items()},
            legal_basis=item.legal_basis,
            valid_from=item.valid_from,
            valid_to=item.valid_to,
        )


class CatalogOut(BaseModel):
    jurisdiction: str = Field(description="The jurisdiction whose pack this node runs.")
    pack_version: str = Field(description="Pack version and content digest.")
    items: list[CatalogItemOut] = Field(description="Every catalog item of the node's pack.")

    @classmethod
    def of(cls, loaded: LoadedPack) -> CatalogOut:
        return cls(
            jurisdiction=loaded.pack.meta.code,
            pack_version=loaded.version,
            items=[CatalogItemOut.of(item) for item in loaded.pack.catalog],
        )


class LegalRepresentativeOut(BaseModel):
    name: str = Field(description="Name of the legal representative.")
    code: str | None = Field(description="Resident identity number; masked on public views.")


class ProfessionOut(BaseModel):
    profession: str = Field(description="Key group (profession) code.")
    since: date
    until: date | None
    department: str = Field(description="Department that reported it.")
    jurisdiction: str


class RecordCountOut(BaseModel):
    catalog_item: str
    status: str
    count: int = Field(
        description="Current records of this item in this status the caller may see."
    )


class SubjectPage(BaseModel):
    """信用主体 (subject) as the caller's role may see it."""

    code: str = Field(description="USCC or resident identity number; masked for the public.")
    code_masked: bool = Field(description="Whether `code` is masked.")
    code_kind: str = Field(description="uscc or resident_id.")
    subject_kind: str = Field(description="legal or natural.")
    name: str = Field(description="Name; a natural person's is masked for agency and public.")
    name_masked: bool = Field(description="Whether `name` is masked.")
    type_code: str | None = Field(description="USCC characters 1-2 (legal persons).")
    type_name: Names | None = Field(description="Name of the USCC entity type.")
    region_code: str = Field(description="Administrative division code.")
    region_name: str | None = Field(description="Province, prefecture and county names.")
    status: str = Field(description="active, cancelled, revoked or deceased.")
    established_on: date | None = Field(
        description="Date of establishment or birth; a person's is hidden on public views."
    )
    legal_representative: LegalRepresentativeOut | None
    professions: list[ProfessionOut] = Field(
        description="Key groups the subject belongs to (government roles only)."
    )
    record_counts: list[RecordCountOut] = Field(
        description="Current records by item and status, among those the caller may see."
    )

    @classmethod
    def of(cls, disclosed: DisclosedSubject) -> SubjectPage:
        view, subject = disclosed.view, disclosed.view.subject
        rep = subject.legal_representative
        return cls(
            code=subject.code,
            code_masked=disclosed.masks.code,
            code_kind=subject.code_kind,
            subject_kind=subject.subject_kind,
            name=subject.name,
            name_masked=disclosed.masks.name,
            type_code=subject.type_code,
            type_name=Names(zh=view.type_name[0], en=view.type_name[1]) if view.type_name else None,
            region_code=subject.region_code,
            region_name=view.region_name or None,
            status=subject.status,
            established_on=subject.established_on,
            legal_representative=LegalRepresentativeOut(name=rep.name, code=rep.code)
            if rep
            else None,
            professions=[
                ProfessionOut(
                    profession=p.profession,
                    since=p.since,
                    until=p.until,
                    department=p.department,
                    jurisdiction=p.jurisdiction,
                )
                for p in view.professions
            ],
            record_counts=[
                RecordCountOut(catalog_item=c.catalog_item, status=c.status, count=c.count)
                for c in view.record_counts
            ],
        )


class SubjectRef(BaseModel):
    code: str = Field(description="USCC or resident identity number; masked for the public.")
    code_masked: bool
    subject_kind: str
    name: str = Field(description="Name; a natural person's is masked for agency and public.")
    name_masked: bool


class RecordOut(BaseModel):
    """信用记录 (record): the current version of one record."""

    record_id: str = Field(description="Stable id of the logical record.")
    version: int = Field(description="Version number; corrections add versions.")
    catalog_item: str
    department: str = Field(description="Reporting department.")
    jurisdiction: str = Field(description="Jurisdiction of the reporting department.")
    document_number: str = Field(description="文号: the decision's document number.")
    decided_on: date
    occurred_on: date | None
    severity: str | None
    polarity: str
    status: str = Field(description="active, under_objection, repaired, revoked or expired.")
    disclosure_scope: str = Field(description="public, shared or authorised.")
    disclosure_until: date | None = Field(description="Last day of public disclosure, if set.")
    payload: dict[str, Any] = Field(
        description="Item fields; agency and public see only fields the catalog marks public."
    )
    valid_from: datetime = Field(description="When this version became current (UTC).")

    @classmethod
    def of(cls, record: Record) -> RecordOut:
        return cls(
            record_id=record.record_id,
            version=record.version,
            catalog_item=record.catalog_item,
            department=record.department,
            jurisdiction=record.jurisdiction,
            document_number=record.document_number,
            decided_on=record.decided_on,
            occurred_on=record.occurred_on,
            severity=record.severity,
            polarity=record.polarity,
            status=record.status,
            disclosure_scope=record.disclosure_scope,
            disclosure_until=record.disclosure_until,
            payload=dict(record.payload),
            valid_from=record.valid_from,
        )


class RecordsPage(BaseModel):
    subject: SubjectRef
    total: int = Field(description="Current records the caller may see, over all pages.")
    limit: int
    offset: int
    items: list[RecordOut] = Field(description="This page, newest decision first.")

    @classmethod
    def of(cls, disclosed: DisclosedRecords) -> RecordsPage:
        page = disclosed.page
        return cls(
            subject=_ref(page.subject, disclosed.masks.code, disclosed.masks.name),
            total=page.total,
            limit=page.limit,
            offset=page.offset,
            items=[RecordOut.of(r) for r in page.records],
        )


def _ref(subject: Subject, code_masked: bool, name_masked: bool) -> SubjectRef:
    return SubjectRef(
        code=subject.code,
        code_masked=code_masked,
        subject_kind=subject.subject_kind,
        name=subject.name,
        name_masked=name_masked,
    )
