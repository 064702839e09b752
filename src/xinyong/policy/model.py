"""The shape of a policy pack: pydantic models with a description on every field.

This module owns what a pack *may say*: field types, closed vocabularies and
the rules a single item must obey (including data minimisation: prohibited
categories cannot be expressed). Cross-references between sections are checked
in :mod:`xinyong.policy.rules`; reading files lives in :mod:`xinyong.policy.loader`.
Plain pydantic: no file access, no SQL.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

# Re-exported: the rest of the code base names these as part of the pack's model.
from xinyong.policy.common import Code as Code
from xinyong.policy.common import Names as Names
from xinyong.policy.common import Severity as Severity
from xinyong.policy.common import SubjectKind as SubjectKind
from xinyong.policy.common import _Strict
from xinyong.policy.mapping import Mapping


class Level(StrEnum):
    NATIONAL = "national"
    PROVINCE = "province"
    CITY = "city"


class Category(StrEnum):
    """The closed list of public-credit information categories (national basic catalog).

    Anything outside this list cannot be recorded (国办发〔2020〕49号; the catalog's
    closed-list rule).
    """

    REGISTRATION = "registration"
    JUDICIAL = "judicial"
    LICENSING = "licensing"
    PENALTY = "penalty"
    ADMINISTRATIVE = "administrative"
    QUALIFICATION = "qualification"
    ABNORMAL_OPERATIONS = "abnormal_operations"
    SERIOUS_UNTRUSTWORTHY = "serious_untrustworthy"
    CONTRACT = "contract"
    COMMITMENT = "commitment"
    EVALUATION = "evaluation"
    COMPLIANCE = "compliance"
    HONOUR = "honour"
    VOLUNTEER = "volunteer"
    DONATION = "donation"


# Categories that PRODUCT.md refuses outright. Naming them lets the error say
# *why* an item is refused instead of a bare "not one of …".
PROHIBITED_CATEGORIES: dict[str, str] = {
    "political_opinion": "political opinion",
    "religion": "religious belief",
    "ethnicity": "ethnicity",
    "health": "health and medical history",
    "speech": "speech",
    "online_expression": "online expression",
    "association": "associations and memberships",
    "biometrics": "biometrics (faces, fingerprints, genes, blood type)",
    "location_tracking": "location tracking",
}

# Payload field names that would smuggle a prohibited category into an allowed
# item (e.g. a `religion` column on a penalty). Matched case-insensitively as
# whole words of the field name, in English and Chinese.
PROHIBITED_FIELD_TERMS: dict[str, str] = {
    "religion": "religion",
    "宗教": "religion",
    "信仰": "religion",
    "ethnicity": "ethnicity",
    "ethnic": "ethnicity",
    "民族": "ethnicity",
    "political": "political_opinion",
    "政治面貌": "political_opinion",
    "party": "political_opinion",
    "health": "health",
    "medical": "health",
    "diagnosis": "health",
    "病史": "health",
    "健康": "health",
    "speech": "speech",
    "post": "online_expression",
    "weibo": "online_expression",
    "言论": "speech",
    "网络言论": "online_expression",
    "association": "association",
    "membership": "association",
    "社团成员": "association",
    "fingerprint": "biometrics",
    "face": "biometrics",
    "gene": "biometrics",
    "dna": "biometrics",
    "blood": "biometrics",
    "biometric": "biometrics",
    "指纹": "biometrics",
    "人脸": "biometrics",
    "基因": "biometrics",
    "血型": "biometrics",
    "gps": "location_tracking",
    "location": "location_tracking",
    "trajectory": "location_tracking",
    "行踪": "location_tracking",
    "轨迹": "location_tracking",
    "定位": "location_tracking",
}


class Polarity(StrEnum):
    NEGATIVE = "negative"
    POSITIVE = "positive"
    NEUTRAL = "neutral"


class Scope(StrEnum):
    """The three disclosure modes of the provincial credit laws."""

    PUBLIC = "public"
    SHARED = "shared"
    AUTHORISED = "authorised"


class Dated(_Strict):
    """Rules change: every dated rule says from when to when it applies."""

    valid_from: date = Field(description="First day the rule applies (decision dates on or after).")
    valid_to: date | None = Field(
        None, description="Last day the rule applies; empty = still in force."
    )

    @model_validator(mode="after")
    def _ordered(self) -> Dated:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        return self

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Meta(_Strict):
    """Identity of a pack: one jurisdiction's rules at one version."""

    code: Code = Field(
        description="Pack code, also the jurisdiction code (e.g. national, rongcheng)."
    )
    name: Names = Field(description="Jurisdiction name.")
    level: Level = Field(description="Administrative level of the jurisdiction.")
    version: str = Field(min_length=1, description="Human version of the pack, e.g. 2026.04.")
    extends: Code | None = Field(
        None, description="Code of the parent pack this one inherits from."
    )
    region_code: str | None = Field(
        None, pattern=r"^\d{6}$", description="Administrative division code of the jurisdiction."
    )
    description: str = Field("", description="What this pack is for and what it changes.")


class Department(_Strict):
    """报送部门 (reporting department): a public body that reports records."""

    code: Code = Field(description="Department code, unique in the pack.")
    name: Names = Field(description="Department name.")
    uscc: str | None = Field(None, description="The department's own Unified Social Credit Code.")


class PayloadField(_Strict):
    """One typed field of a record's payload."""

    name: Code = Field(description="Field name (snake_case).")
    label: Names = Field(description="Field label for forms and pages.")
    type: Literal["string", "integer", "decimal", "date", "boolean", "enum"] = Field(
        description="Value type; `enum` takes one of `values`."
    )
    required: bool = Field(False, description="Whether a record must carry this field.")
    values: list[str] = Field(default_factory=list, description="Allowed values of an enum field.")
    unit: str | None = Field(None, description="Unit of a number, e.g. yuan, hours.")
    public: bool = Field(True, description="Whether the field may appear on public pages.")

    @model_validator(mode="after")
    def _enum_has_values(self) -> PayloadField:
        if self.type == "enum" and not self.values:
            raise ValueError(f"enum field {self.name!r} needs a non-empty `values` list")
        return self


class Masking(_Strict):
    """How much of a natural person's identity a public page may show."""

    id_keep_head: int = Field(6, ge=0, le=18, description="Leading ID characters left visible.")
    id_keep_tail: int = Field(4, ge=0, le=18, description="Trailing ID characters left visible.")
    name_keep: int = Field(1, ge=0, description="Leading name characters (surname) left visible.")


class CatalogItem(Dated):
    """目录条目 (catalog item): one type of public credit information and its rules."""

    code: Code = Field(description="Item code, e.g. adm.penalty.")
    name: Names = Field(description="Item name.")
    category: str = Field(description="Category from the closed list (see Category).")
    subject_kinds: list[SubjectKind] = Field(min_length=1, description="Who it can be about.")
    departments: list[Code] = Field(min_length=1, description="Departments allowed to report it.")
    legal_basis: str = Field(min_length=1, description="Law, regulation or policy it rests on.")
    polarity: Polarity = Field(description="Negative, positive or neutral information.")
    severities: list[Severity] = Field(
        default_factory=list, description="Severity classes a record may carry (negative items)."
    )
    payload: list[PayloadField] = Field(default_factory=list, description="Typed payload fields.")
    disclosure: dict[SubjectKind, Scope] = Field(
        description="Disclosure mode per subject kind: public, shared or authorised."
    )
    period_months: int | None = Field(
        None,
        ge=0,
        description=(
            "Fixed public disclosure period in months. Empty: negative items follow the "
            "pack's disclosure periods by severity; others stay public while current."
        ),
    )
    masking: Masking = Field(default_factory=Masking, description="Public masking of persons.")
    retention_years: int = Field(5, ge=1, description="How long the record is kept after it ends.")
    update_frequency: str = Field("daily", description="How often the source updates it.")
    repairable: bool = Field(True, description="Whether credit repair applies (Order 36 art. 4).")

    @field_validator("category")
    @classmethod
    def _closed_list(cls, value: str) -> str:
        if value in PROHIBITED_CATEGORIES:
            raise PydanticCustomError(
                "pack-prohibited-category",
                f"category {value!r} is prohibited: Xinyong cannot record "
                f"{PROHIBITED_CATEGORIES[value]} (data minimisation; see PRODUCT.md)",
            )
        allowed = {c.value for c in Category}
        if value not in allowed:
            raise ValueError(
                f"category {value!r} is not in the closed catalog list; allowed: "
                + ", ".join(sorted(allowed))
            )
        return value

    @model_validator(mode="after")
    def _coherent(self) -> CatalogItem:
        extra = set(self.disclosure) - set(self.subject_kinds)
        if extra:
            raise ValueError(
                f"disclosure names subject kinds the item is not about: {sorted(extra)}"
            )
        missing = set(self.subject_kinds) - set(self.disclosure)
        if missing:
            raise ValueError(f"disclosure mode missing for: {sorted(missing)}")
        if self.severities and self.polarity is not Polarity.NEGATIVE:
            raise ValueError("only negative items carry severities")
        return self


class PeriodRange(_Strict):
    """Minimum and maximum public disclosure of one severity class."""

    publish: bool = Field(True, description="Whether this class is published at all.")
    min_months: int = Field(0, ge=0, description="Minimum period before repair may stop it.")
    max_months: int = Field(ge=0, description="Publication stops by itself after this.")

    @model_validator(mode="after")
    def _ordered(self) -> PeriodRange:
        if self.min_months > self.max_months:
            raise ValueError(f"min_months {self.min_months} exceeds max_months {self.max_months}")
        return self


class DisclosurePeriods(Dated):
    """Disclosure periods by severity, as one dated regime (e.g. Order 36 from 2026-04-01)."""

    code: Code = Field(description="Regime code, e.g. order36.")
    legal_basis: str = Field(min_length=1, description="The document setting these periods.")
    minor: PeriodRange = Field(description="Minor negative information.")
    general: PeriodRange = Field(description="General negative information.")
    serious: PeriodRange = Field(description="Serious negative information.")


def regime_on(regimes: Sequence[DisclosurePeriods], day: date) -> DisclosurePeriods | None:
    """The disclosure regime in force on ``day``; the oldest for days before all of them.

    A decision is governed by the regime of its decision date (Order 36 applies
    to decisions from 2026-04-01; the 2019 rule before).
    """
    ordered = sorted(regimes, key=lambda r: r.valid_from)
    found = next((r for r in ordered if r.in_force(day)), None)
    if found is None and ordered and day < ordered[0].valid_from:
        return ordered[0]
    return found


class ListRule(_Strict):
    """When a subject qualifies for a list: enough qualifying records in a window."""

    items: list[Code] = Field(min_length=1, description="Catalog items whose records count.")
    min_severity: Severity | None = Field(None, description="Count only records this severe.")
    departments: list[Code] = Field(
        default_factory=list, description="Count only records from these departments (empty: all)."
    )
    payload_in: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Count only records whose payload field takes one of these values.",
    )
    payload_at_least: dict[str, float] = Field(
        default_factory=dict,
        description="Count only records whose numeric payload field is at least this.",
    )
    min_count: int = Field(1, ge=1, description="How many qualifying records are needed.")
    sum_at_least: dict[str, float] = Field(
        default_factory=dict,
        description="The qualifying records' payload field must add up to this.",
    )
    within_months: int | None = Field(None, ge=1, description="Window the records must fall in.")

    def payload_fields(self) -> set[str]:
        """Payload fields the rule reads, for checking against the catalog."""
        return {*self.payload_in, *self.payload_at_least, *self.sum_at_least}


class CreditList(Dated):
    """名单 (list): a red or black list with its due-process parameters."""

    code: Code = Field(description="List code.")
    name: Names = Field(description="List name.")
    kind: Literal["red", "black"] = Field(description="Red (reward) or black (sanction) list.")
    subject_kinds: list[SubjectKind] = Field(min_length=1, description="Who may be listed.")
    legal_basis: str = Field(min_length=1, description="Law or policy that provides the list.")
    rule: ListRule = Field(description="How records qualify a subject.")
    period_months: int | None = Field(
        None, ge=1, description="Listing period; empty = until the basis ends."
    )
    early_removal_months: int | None = Field(
        None, ge=1, description="Earliest removal on application, where allowed."
    )
    notice: bool = Field(True, description="Written notice before listing (国办发〔2020〕49号).")
    objection_working_days: int = Field(5, ge=0, description="Objection window after notice.")
    public: bool = Field(True, description="Whether the list is published.")

    @model_validator(mode="after")
    def _due_process(self) -> CreditList:
        # 国办发〔2020〕49号: written notice, reasons and the right to be heard before any
        # sanction. A pack cannot switch it off for a black list.
        if self.kind == "black" and (not self.notice or self.objection_working_days < 1):
            raise ValueError(
                "a black list needs notice = true and objection_working_days of at least 1"
            )
        return self


class Matter(_Strict):
    """事项 (matter): what a checking department is handling when it asks."""

    code: Code = Field(description="Matter code, e.g. flight_ticket.")
    name: Names = Field(description="Matter name.")


class Reach(StrEnum):
    """Whom a measure may reach: never anyone but the subject and the representatives the law names."""

    SUBJECT = "subject"
    LEGAL_REPRESENTATIVE = "legal_representative"


class Measure(Dated):
    """惩戒/激励措施 (measure): one joint sanction or reward, with its own legal basis."""

    code: Code = Field(description="Measure code.")
    name: Names = Field(description="Measure name.")
    kind: Literal["sanction", "reward"] = Field(description="Sanction or reward.")
    legal_basis: str = Field(min_length=1, description="Its own legal basis (proportionality).")
    department: Code = Field(description="Department that implements it.")
    matters: list[Code] = Field(min_length=1, description="Matters it applies to.")
    reaches: list[Reach] = Field(
        default_factory=lambda: [Reach.SUBJECT],
        description="Whom it reaches: the subject; for a legal person also its legal representative.",
    )


class Memorandum(Dated):
    """合作备忘录 (memorandum): links lists to the measures departments agreed to apply."""

    code: Code = Field(description="Memorandum code.")
    name: Names = Field(description="Memorandum name.")
    legal_basis: str = Field(min_length=1, description="Document number of the memorandum.")
    lists: list[Code] = Field(min_length=1, description="Lists it applies to.")
    measures: list[Code] = Field(min_length=1, description="Measures it triggers.")


class Band(_Strict):
    """A grade and the lowest score that earns it."""

    grade: str = Field(min_length=1, description="Grade label, e.g. AAA or A.")
    min: float = Field(description="Lowest score (inclusive) in this band.")


class Points(_Strict):
    """Points a record earns (positive) or costs (negative)."""

    item: Code = Field(description="Catalog item.")
    severity: Severity | None = Field(None, description="Only records of this severity.")
    points: float = Field(description="Points added (negative to deduct).")
    window_months: int | None = Field(
        None, ge=1, description="Counts only this long after decision."
    )
    cap: float | None = Field(
        None, gt=0, description="Most points (either sign) this rule contributes in total."
    )

    def overlaps(self, other: Points) -> bool:
        """Whether one record could match both rules (the model forbids it)."""
        return self.item == other.item and (
            self.severity is None or other.severity is None or self.severity == other.severity
        )


class ScoringModel(Dated):
    """评价模型 (scoring model): base score, points, bounds and bands."""

    code: Code = Field(description="Model code.")
    name: Names = Field(description="Model name.")
    subject_kinds: list[SubjectKind] = Field(min_length=1, description="Who is scored.")
    legal_basis: str = Field(min_length=1, description="Document that sets the model.")
    base: float = Field(description="Starting score.")
    floor: float = Field(description="Lowest possible score.")
    ceiling: float = Field(description="Highest possible score.")
    points: list[Points] = Field(default_factory=list, description="Points per record type.")
    bands: list[Band] = Field(min_length=1, description="Grades from highest to lowest.")
    category_caps: dict[Category, float] = Field(
        default_factory=dict,
        description="Most points (either sign) the records of one catalog category contribute.",
    )
    public_for_legal_persons: bool = Field(
        False, description="Whether a legal person's grade is public. A person's score never is."
    )

    @model_validator(mode="after")
    def _bands(self) -> ScoringModel:
        if not self.floor <= self.base <= self.ceiling:
            raise ValueError(f"base {self.base} outside [{self.floor}, {self.ceiling}]")
        mins = [b.min for b in self.bands]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError("bands must be listed from highest to lowest with distinct minimums")
        if mins[-1] > self.floor:
            raise ValueError(f"lowest band starts at {mins[-1]}, above the floor {self.floor}")
        for i, rule in enumerate(self.points):
            for other in self.points[i + 1 :]:
                if rule.overlaps(other):
                    raise ValueError(
                        f"points rules for {rule.item} overlap (severity {rule.severity} and "
                        f"{other.severity}): a record would count twice"
                    )
        bad = {c: v for c, v in self.category_caps.items() if v <= 0}
        if bad:
            raise ValueError(f"category caps must be positive: {bad}")
        return self

    def grade(self, score: float) -> str:
        """The grade of the first band whose minimum the score reaches."""
        return next(b.grade for b in self.bands if score >= b.min)


class ObjectionRules(_Strict):
    """Deadlines for objections (异议), in working days."""

    mark_within_working_days: int = Field(0, ge=0, description="Mark 'under objection' within.")
    decide_within_working_days: int = Field(5, ge=1, description="Department decides within.")
    extended_working_days: int = Field(20, ge=1, description="Longest, with a recorded extension.")


class RepairRules(_Strict):
    """Credit repair (信用修复) deadlines, Order 36."""

    legal_basis: str = Field(min_length=1, description="Governing document.")
    decide_within_working_days: int = Field(3, ge=1, description="Department decides within.")
    reply_within_working_days: int = Field(10, ge=1, description="Portal answers within.")


_TYPE_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY][0-9A-HJ-NPQRTUWXY]")


PURPOSE_FIELDS = ("catalog_item", "department", "document_number", "decided_on", "severity",
                  "status", "disclosure_scope")  # fmt: skip


class Purpose(_Strict):
    """授权查询用途 (purpose of an authorised query): what an agency may ask for, and receive.

    Data minimisation: an agency querying with a subject's consent receives
    the records of ``scopes`` (and ``items``, if given) with ``fields`` and
    ``payload_fields`` only.
    """

    code: Code = Field(description="Purpose code, e.g. loan_application.")
    name: Names = Field(description="Purpose name, shown to the subject granting consent.")
    legal_basis: str = Field(min_length=1, description="What allows the query.")
    scopes: list[Literal["public", "authorised"]] = Field(
        default_factory=lambda: ["public", "authorised"],  # type: ignore[arg-type]
        min_length=1,
        description="Disclosure scopes the query returns (shared is for government only).",
    )
    items: list[Code] = Field(
        default_factory=list, description="Catalog items the query returns (empty: all)."
    )
    fields: list[Literal[PURPOSE_FIELDS]] = Field(  # type: ignore[valid-type]
        min_length=1, description="Record fields the agency receives."
    )
    payload_fields: list[Code] = Field(
        default_factory=list, description="Payload fields the agency receives (by name)."
    )
    max_days: int = Field(365, ge=1, le=1830, description="Longest consent for this purpose.")


class InspectionPolicy(Dated):
    """双随机、一公开: how often entities of each grade of a scoring model are inspected."""

    code: Code = Field(description="Policy code, e.g. samr_risk_sampling.")
    name: Names = Field(description="Policy name.")
    legal_basis: str = Field(min_length=1, description="The document setting the ratios.")
    model: Code = Field(description="Scoring model whose grades the shares are keyed by.")
    shares: dict[str, float] = Field(
        min_length=1, description="Grade → share of its entities inspected per round (0–1)."
    )
    team_size: int = Field(2, ge=1, le=10, description="Inspectors sent to each entity.")
    sectors: dict[Code, list[str]] = Field(
        min_length=1,
        description=(
            "Sector → the USCC type codes (positions 1–2: registration authority and kind, "
            "e.g. 91 enterprise) of the entities it covers."
        ),
    )

    @model_validator(mode="after")
    def _shares_are_shares(self) -> InspectionPolicy:
        bad = {g: v for g, v in self.shares.items() if not 0 <= v <= 1}
        if bad:
            raise ValueError(f"shares must lie between 0 and 1: {bad}")
        odd = {c for codes in self.sectors.values() for c in codes if not _TYPE_CODE.fullmatch(c)}
        if odd:
            raise ValueError(f"USCC type codes are two characters (e.g. 91): {sorted(odd)}")
        return self


class HolidaySchedule(_Strict):
    """国务院办公厅 holiday schedule of one year, once published (days off and make-up days)."""

    code: Code = Field(description="Schedule code, e.g. cn_2027.")
    year: int = Field(ge=2000, le=2100, description="The calendar year it covers.")
    legal_basis: str = Field(min_length=1, description="The notice that publishes it.")
    holidays: list[date] = Field(min_length=1, description="Days off, weekdays given off included.")
    workdays: list[date] = Field(
        default_factory=list, description="Make-up working days (usually weekend days)."
    )

    @model_validator(mode="after")
    def _in_year(self) -> HolidaySchedule:
        # A year's notice may also fix days of the December before (the 2006 notice
        # made Saturday 2005-12-31 a working day).
        def inside(day: date) -> bool:
            return day.year == self.year or (day.year == self.year - 1 and day.month == 12)

        stray = [d for d in (*self.holidays, *self.workdays) if not inside(d)]
        if stray:
            raise ValueError(f"days outside {self.year}: {', '.join(map(str, stray))}")
        both = sorted(set(self.holidays) & set(self.workdays))
        if both:
            raise ValueError(f"days both off and working: {', '.join(map(str, both))}")
        return self


class Pack(_Strict):
    """A whole resolved policy pack (after inheritance)."""

    meta: Meta = Field(description="Who this pack is for.")
    departments: list[Department] = Field(
        default_factory=list, description="Reporting departments."
    )
    catalog: list[CatalogItem] = Field(default_factory=list, description="The closed catalog.")
    disclosure_periods: list[DisclosurePeriods] = Field(
        default_factory=list, description="Dated disclosure-period regimes."
    )
    lists: list[CreditList] = Field(default_factory=list, description="Red and black lists.")
    matters: list[Matter] = Field(default_factory=list, description="Matters checks are about.")
    measures: list[Measure] = Field(
        default_factory=list, description="Joint sanctions and rewards."
    )
    memoranda: list[Memorandum] = Field(default_factory=list, description="Lists → measures.")
    scoring: list[ScoringModel] = Field(default_factory=list, description="Scoring models.")
    mappings: list[Mapping] = Field(
        default_factory=list, description="Department file mappings (mappings/*.toml)."
    )
    objections: ObjectionRules = Field(default_factory=ObjectionRules, description="Objections.")
    repair: RepairRules | None = Field(None, description="Credit repair deadlines.")
    inspection: list[InspectionPolicy] = Field(
        default_factory=list, description="Inspection sampling ratios per grade."
    )
    purposes: list[Purpose] = Field(
        default_factory=list, description="Purposes of authorised queries (consent)."
    )
    holiday_schedules: list[HolidaySchedule] = Field(
        default_factory=list,
        description="Official holiday schedules for years the calendar libraries do not cover.",
    )

    @model_validator(mode="after")
    def _one_schedule_a_year(self) -> Pack:
        years = [s.year for s in self.holiday_schedules]
        twice = sorted({y for y in years if years.count(y) > 1})
        if twice:
            raise ValueError(f"more than one holiday schedule for {', '.join(map(str, twice))}")
        return self

    def item(self, code: str) -> CatalogItem | None:
        return next((i for i in self.catalog if i.code == code), None)

    def mapping(self, code: str) -> Mapping | None:
        return next((m for m in self.mappings if m.code == code), None)


# Sections that are lists of coded entries: inheritance merges them by `code`.
KEYED_SECTIONS = (
    "departments",
    "catalog",
    "disclosure_periods",
    "lists",
    "matters",
    "measures",
    "memoranda",
    "scoring",
    "mappings",
    "inspection",
    "purposes",
    "holiday_schedules",
)
