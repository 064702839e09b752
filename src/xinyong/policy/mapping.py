"""Department mappings: how one department file's columns become catalog fields.

A department exports what its own system produces (its own Chinese column
names, value labels, dates and units); a mapping in the policy pack says, per
catalog item, which column feeds which field, with value maps (``一般`` →
``general``), unit scales (万元 → yuan) and severity rules. One mapping file
lives in ``<pack>/mappings/<name>.toml``. Plain pydantic: no file access; the
ingest package applies mappings, :mod:`xinyong.policy.rules` checks that they
refer to real catalog items and fields.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from xinyong.policy.common import Code, Names, Severity, SubjectKind


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Source(_Strict):
    """Where one value comes from: a column (or the first of several present), or a constant."""

    column: str | list[str] | None = Field(
        None,
        description=(
            "Header of the column; a list names variants of one column (the first present in "
            "the file is used). Headers compare after NFKC, so full-width and ASCII brackets match."
        ),
    )
    value: str | None = Field(None, description="A constant instead of a column.")
    map: dict[str, str] = Field(
        default_factory=dict,
        description="Department label → catalog value (e.g. 一般 → general); other values pass.",
    )
    default: str | None = Field(None, description="Value when the cell is empty.")
    scale: float | None = Field(
        None, description="Multiply a number by this (e.g. 10000 for 万元 → yuan)."
    )
    empty: list[str] = Field(
        default_factory=list,
        description="Cell values meaning 'no value' (e.g. 2099/12/31 for a long-term licence).",
    )

    @model_validator(mode="after")
    def _one_source(self) -> Source:
        if (self.column is None) == (self.value is None):
            raise ValueError("give exactly one of `column` or `value`")
        return self

    def columns(self) -> list[str]:
        if self.column is None:
            return []
        return [self.column] if isinstance(self.column, str) else list(self.column)


class SeverityRule(_Strict):
    """The severity a record gets when its payload matches; the first matching rule wins."""

    level: Severity = Field(description="Severity given.")
    field: str = Field(description="Payload field (after mapping) the rule looks at.")
    contains: str | None = Field(None, description="Matches when the text contains this.")
    one_of: list[str] = Field(default_factory=list, description="Matches one of these values.")
    at_most: float | None = Field(None, description="Matches a number at most this.")
    at_least: float | None = Field(None, description="Matches a number at least this.")
    subject_kind: SubjectKind | None = Field(None, description="Only for this kind of subject.")


class ItemMapping(_Strict):
    """How rows of one catalog item fill its payload and get their severity."""

    payload: dict[str, Source] = Field(
        default_factory=dict, description="Payload field → where it comes from."
    )
    severity: Severity | None = Field(None, description="Severity when no rule matches.")
    severity_rules: list[SeverityRule] = Field(
        default_factory=list, description="Severity by the payload, first match wins."
    )


class RegistrationMapping(_Strict):
    """For registration items: the subject attributes a row creates or updates."""

    legal_rep_name: Source | None = Field(None, description="Legal representative's name.")
    legal_rep_code: Source | None = Field(None, description="Legal representative's ID number.")
    established_on: Source | None = Field(None, description="Date of establishment or birth.")
    status: Source | None = Field(
        None, description="Subject status: active, cancelled, revoked or deceased (use `map`)."
    )


class Mapping(_Strict):
    """数据映射 (mapping): one department file layout read into catalog records."""

    code: Code = Field(description="Mapping code, e.g. samr_registry.")
    name: Names = Field(description="What the file is.")
    departments: list[Code] = Field(
        default_factory=list,
        description="Departments that report with it; empty: any (national standard layouts).",
    )
    encoding: Literal["auto", "utf-8", "utf-8-sig", "gb18030"] = Field(
        "auto",
        description="Text encoding of CSV files; auto detects UTF-8 (BOM or not) or GB18030.",
    )
    signature: list[str] = Field(
        min_length=1,
        description="Headers that identify the layout: a file with all of them uses this mapping.",
    )
    subject_code: Source = Field(description="The subject's USCC or resident ID.")
    subject_kind: Source | None = Field(
        None, description="Optional hint, mapped to legal or natural, for reading the code."
    )
    subject_name: Source = Field(description="The subject's name.")
    item: Source = Field(description="Catalog item code: a constant, or a column with a `map`.")
    document_number: Source = Field(description="Document number, unique per department.")
    decided_on: Source = Field(description="Decision (or registration) date.")
    occurred_on: Source | None = Field(None, description="Date of the conduct, where given.")
    action: Source | None = Field(
        None, description="report (default) or revoke: a revocation row revokes the record."
    )
    items: dict[Code, ItemMapping] = Field(
        min_length=1, description="Per catalog item: payload sources and severity."
    )
    registration: RegistrationMapping | None = Field(
        None, description="Subject attributes, for registration items."
    )
