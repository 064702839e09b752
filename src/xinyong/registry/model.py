"""Domain types of the subject registry: subjects, their professions and representatives.

Plain Python: no SQL, no HTTP, no files. Validating the codes these types
carry is ``xinyong.codes``' job, done by the service before a value gets here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

Level = Literal["national", "province", "city"]
SubjectStatus = Literal["active", "cancelled", "revoked", "deceased"]


@dataclass(frozen=True)
class LegalRepresentative:
    """法定代表人 (legal representative): the natural person who acts for a legal person.

    Basis: 民法典 art. 61 (the person who acts for a legal person under law or its
    articles). Some measures reach this person too, e.g. the SPC's 2015
    high-consumption restriction of a legal person that is a judgment debtor.
    """

    name: str
    code: str | None = None  # resident ID, when the registry gave it


@dataclass(frozen=True)
class Profession:
    """重点职业人群 (key group): a subject in a watched profession for a period.

    Key groups (civil servants, lawyers, accountants, doctors, teachers, tour
    guides …) are professions on a person, reported by the competent department
    (PRODUCT.md, "registry of subjects").
    """

    profession: str
    since: date
    department: str
    jurisdiction: str
    until: date | None = None

    def held_on(self, day: date) -> bool:
        return self.since <= day and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class Subject:
    """信用主体 (subject): a legal person, other organisation or natural person with records.

    Identified by its normalised code: a USCC (统一社会信用代码, GB 32100) for
    legal persons and individual businesses, a resident identity number
    (公民身份号码, GB 11643) for natural persons. ``established_on`` is the
    date of establishment, or of birth for a natural person.
    """

    code: str
    code_kind: Literal["uscc", "resident_id"]
    subject_kind: Literal["legal", "natural"]
    name: str
    region_code: str
    type_code: str | None = None
    legal_representative: LegalRepresentative | None = None
    established_on: date | None = None
    status: SubjectStatus = "active"
    converted_from: str | None = None


@dataclass(frozen=True)
class SubjectRegistration:
    """What a registry or department says about a subject, before its code is validated."""

    code: str
    name: str
    legal_representative: LegalRepresentative | None = None
    established_on: date | None = None
    status: SubjectStatus = "active"


@dataclass(frozen=True)
class JurisdictionInfo:
    """辖区 (jurisdiction): the national level, a province or a city running a node.

    Plain data the policy-pack loader fills in; the registry does not read packs.
    """

    code: str
    name_zh: str
    name_en: str
    level: Level
    parent_code: str | None = None
    region_code: str | None = None
    pack_version: str | None = None


@dataclass(frozen=True)
class DepartmentInfo:
    """报送部门 (reporting department) of a jurisdiction."""

    code: str
    name_zh: str
    name_en: str
    uscc: str | None = None


@dataclass(frozen=True)
class InitReport:
    """What ``init_node`` did: the store (password masked), its revisions, what it wrote."""

    url: str
    revision_before: str | None
    revision_after: str
    jurisdiction: str
    departments: tuple[str, ...]

    @property
    def created(self) -> bool:
        return self.revision_before is None

    @property
    def upgraded(self) -> bool:
        return self.revision_before is not None and self.revision_before != self.revision_after


@dataclass(frozen=True)
class RecordCount:
    """How many current records a subject has under one catalog item in one status."""

    catalog_item: str
    status: str
    count: int


@dataclass(frozen=True)
class SubjectView:
    """A subject as an operator sees it: attributes, professions and record counts.

    ``allowlisted`` is the operator's reason when the code fails its checksum
    but was accepted; ``type_name`` names the USCC entity type (zh, en);
    ``region_name`` names the division of ``subject.region_code``.
    """

    subject: Subject
    professions: tuple[Profession, ...]
    record_counts: tuple[RecordCount, ...]
    allowlisted: str | None = None
    type_name: tuple[str, str] | None = None
    region_name: str | None = None


@dataclass(frozen=True)
class RecordFilter:
    """Which of a subject's current records to count or list; None means no restriction.

    The registry applies it; who may see what is decided elsewhere (the
    disclosure package turns a role into a filter).
    """

    scopes: frozenset[str] | None = None
    statuses: frozenset[str] | None = None
    disclosed_on: date | None = None  # only records still disclosed on this day


ALL_RECORDS = RecordFilter()


@dataclass(frozen=True)
class Record:
    """信用记录 (record): the current version of one piece of public credit information.

    ``payload`` holds the catalog item's typed fields; ``disclosure_scope`` is
    public, shared or authorised, as the catalog item gave it for the subject's kind.
    """

    record_id: str
    version: int
    subject_code: str
    catalog_item: str
    department: str
    jurisdiction: str
    document_number: str
    decided_on: date
    polarity: str
    payload: Mapping[str, Any]
    disclosure_scope: str
    status: str
    valid_from: datetime
    occurred_on: date | None = None
    severity: str | None = None
    disclosure_until: date | None = None


@dataclass(frozen=True)
class SubjectRecords:
    """One page of a subject's current records and how many there are in all."""

    subject: Subject
    records: tuple[Record, ...]
    total: int
    limit: int
    offset: int
