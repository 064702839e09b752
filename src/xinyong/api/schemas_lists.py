"""Wire models of lists: a list's entries as the caller may see them."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from xinyong.disclosure.lists import DisclosedEntries
from xinyong.lists.views import EntryView
from xinyong.policy.model import Names


class BasisOut(BaseModel):
    """What the entry rests on: the records (id, version) and their document numbers."""

    records: list[tuple[str, int]] = Field(
        description="Record id and version of each basis record."
    )
    documents: list[str] = Field(description="Document numbers of the basis records.")
    first_decided: date
    last_decided: date


class ListEntryOut(BaseModel):
    id: int
    subject_code: str = Field(
        description="USCC or resident ID; masked for natural persons where the role requires."
    )
    subject_name: str
    subject_kind: str
    state: str = Field(description="proposed, notified, listed or removed.")
    notified_at: datetime | None
    objection_until: date | None = Field(description="Last day the subject could object.")
    deadline_provisional: bool = Field(
        description="Counted before that year's official holiday schedule was known."
    )
    listed_on: date | None
    expires_on: date | None = Field(
        description="First day the entry no longer applies; empty: until removed."
    )
    removal: str | None = Field(
        description="Why the entry ended: expired, repaired, basis_revoked, decision."
    )
    basis: BasisOut
    policy_version: str = Field(description="The policy pack whose rule made the entry.")

    @classmethod
    def of(cls, view: EntryView) -> ListEntryOut:
        e = view.entry
        basis = BasisOut(
            records=[(str(r), int(v)) for r, v in e.basis["records"]],
            documents=list(e.basis.get("documents", [])),
            first_decided=date.fromisoformat(e.basis["first_decided"]),
            last_decided=date.fromisoformat(e.basis["last_decided"]),
        )
        return cls(
            id=e.id or 0, subject_code=e.subject_code, subject_name=view.subject_name,
            subject_kind=view.subject_kind, state=e.state, notified_at=e.notified_at,
            objection_until=e.objection_until, deadline_provisional=e.deadline_provisional,
            listed_on=e.listed_on, expires_on=e.expires_on, removal=e.removal, basis=basis,
            policy_version=e.policy_version,
        )  # fmt: skip


class ListEntriesPage(BaseModel):
    code: str = Field(description="List code.")
    name: Names
    kind: str = Field(description="red or black.")
    legal_basis: str
    total: int
    limit: int
    offset: int
    masked: bool = Field(description="Natural persons' codes and names are masked on this page.")
    items: list[ListEntryOut]

    @classmethod
    def of(cls, disclosed: DisclosedEntries, limit: int, offset: int) -> ListEntriesPage:
        rule = disclosed.page.rule
        return cls(
            code=rule.code, name=rule.name, kind=rule.kind, legal_basis=rule.legal_basis,
            total=disclosed.page.total, limit=limit, offset=offset, masked=disclosed.masked,
            items=[ListEntryOut.of(v) for v in disclosed.page.entries],
        )  # fmt: skip
