"""Who sees what of a subject's file: disclosure scopes by role, masking, and what is audited.

Plain Python: no SQL, no HTTP. Owns the rules; :mod:`xinyong.disclosure.service`
applies them on the one path to the data. Fails closed: a payload field the
catalog does not declare public is not shown to the public, and masking keeps
no more of a person's identity than :mod:`xinyong.codes.mask` allows.

The minimum for now, by role (see :class:`xinyong.keys.model.Role`):

| role | record scopes | natural person's code | name | birth date, professions |
|---|---|---|---|---|
| operator | public, shared, authorised | whole | whole | shown |
| department, checker | public, shared | whole | whole | shown |
| agency | public | whole | masked | hidden |
| public | public | masked | masked | hidden |

Agencies and the public see public records only while they are published:
status active or under objection, and within their disclosure period.
Departments and checkers no longer see a repaired record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from xinyong.codes.mask import mask_code, mask_name
from xinyong.keys.model import Role
from xinyong.policy.model import CatalogItem
from xinyong.registry.model import (
    LegalRepresentative,
    Record,
    RecordFilter,
    Subject,
    SubjectRecords,
    SubjectView,
)

# Government bodies share public and shared information among themselves
# (政务共享); the operator also holds what is queried only with authorisation.
GOVERNMENT_ROLES = frozenset({Role.OPERATOR, Role.DEPARTMENT, Role.CHECKER})
PUBLIC_ROLES = frozenset({Role.AGENCY, Role.PUBLIC})
_ALL_SCOPES = frozenset({"public", "shared", "authorised"})
_SHARED_SCOPES = frozenset({"public", "shared"})
_PUBLIC_SCOPES = frozenset({"public"})
# A record under objection is shown, marked as such (PRODUCT.md, due process);
# a repaired one stops being published (信用修复), a revoked decision no longer
# stands, an expired one has left its period.
PUBLISHED_STATUSES = frozenset({"active", "under_objection"})
# Repair stops sharing too (Order 36): departments no longer receive a repaired
# record; the operator keeps it, and the subject sees it in its own file.
SHARED_STATUSES = frozenset({"active", "under_objection", "revoked", "expired"})


def record_filter(role: Role, today: date) -> RecordFilter:
    """The current records a role may read of any subject, on ``today`` (China's date)."""
    if role is Role.OPERATOR:
        return RecordFilter(scopes=_ALL_SCOPES)
    if role in GOVERNMENT_ROLES:
        return RecordFilter(scopes=_SHARED_SCOPES, statuses=SHARED_STATUSES)
    return RecordFilter(scopes=_PUBLIC_SCOPES, statuses=PUBLISHED_STATUSES, disclosed_on=today)


@dataclass(frozen=True)
class Masks:
    """What of a subject's identity a reader was shown masked."""

    code: bool
    name: bool


def masks_for(role: Role, subject_kind: str) -> Masks:
    """Natural persons' names are masked for agencies and the public, codes for the public.

    An agency asks about a person by code (with consent, later), so the code it
    sent is not news to it; a public page shows neither whole (PRODUCT.md:
    public pages mask identity numbers and names).
    """
    natural = subject_kind == "natural"
    return Masks(code=natural and role is Role.PUBLIC, name=natural and role in PUBLIC_ROLES)


def disclose_subject(subject: Subject, role: Role) -> tuple[Subject, Masks]:
    """The subject as ``role`` may see it, and what was masked.

    For agencies and the public a natural person's birth date and original
    15-digit number are dropped (the name and code are masked per
    :func:`masks_for`), and a legal representative's identity number is
    masked; the representative's name stays (it is registration information
    that the enterprise publicity system shows).
    """
    masks = masks_for(role, subject.subject_kind)
    if role in GOVERNMENT_ROLES:
        return subject, masks
    natural = subject.subject_kind == "natural"
    representative = subject.legal_representative
    if representative is not None and representative.code is not None:
        representative = LegalRepresentative(representative.name, mask_code(representative.code))
    shown = replace(
        subject,
        code=mask_code(subject.code) if masks.code else subject.code,
        name=mask_name(subject.name) if masks.name else subject.name,
        legal_representative=representative,
        established_on=None if natural else subject.established_on,
        converted_from=None if natural else subject.converted_from,
    )
    return shown, masks


@dataclass(frozen=True)
class DisclosedSubject:
    """A subject page as one role may see it (record counts already filtered by role)."""

    view: SubjectView
    masks: Masks
    code: str  # the subject's whole code, for the service's own lookups; never shown masked


def disclose_view(view: SubjectView, role: Role) -> DisclosedSubject:
    subject, masks = disclose_subject(view.subject, role)
    if role in GOVERNMENT_ROLES:
        return DisclosedSubject(replace(view, subject=subject), masks, view.subject.code)
    # Key-group membership and the operator's allowlisting note are not public information.
    shown = replace(view, subject=subject, professions=(), allowlisted=None)
    return DisclosedSubject(shown, masks, view.subject.code)


def trim_payload(record: Record, item: CatalogItem | None, role: Role) -> Record:
    """The record with only the payload fields ``role`` may see.

    Government roles see the whole payload. Agencies and the public see the
    fields the catalog item declares ``public``; a field it does not declare,
    or a record of an item this node's catalog lacks, shows nothing.
    """
    if role in GOVERNMENT_ROLES:
        return record
    public = {f.name for f in item.payload if f.public} if item is not None else set()
    return replace(record, payload={k: v for k, v in record.payload.items() if k in public})


@dataclass(frozen=True)
class DisclosedRecords:
    """A page of a subject's records as one role may see it."""

    page: SubjectRecords
    masks: Masks


def disclose_records(
    page: SubjectRecords, role: Role, catalog: Mapping[str, CatalogItem]
) -> DisclosedRecords:
    subject, masks = disclose_subject(page.subject, role)
    records = tuple(trim_payload(r, catalog.get(r.catalog_item), role) for r in page.records)
    return DisclosedRecords(replace(page, subject=subject, records=records), masks)


@dataclass(frozen=True)
class Access:
    """A read of non-public data, to be written to the audit log."""

    action: str
    target: str
    detail: dict[str, Any]


def subject_access(view: SubjectView, role: Role) -> Access | None:
    """The audit entry a subject page needs, or None when all it shows is public.

    Audited: any natural person's page (masked or not), and a legal person's
    page that shows its representative's identity number whole.
    """
    subject = view.subject
    natural = subject.subject_kind == "natural"
    representative = subject.legal_representative
    representative_id = (
        role in GOVERNMENT_ROLES and representative is not None and representative.code is not None
    )
    if not (natural or representative_id):
        return None
    detail: dict[str, Any] = {
        "role": role.value,
        "natural_person": natural,
        "legal_representative_id": representative_id,
    }
    return Access("subject.read", f"subject:{subject.code}", detail)


def records_access(page: SubjectRecords, role: Role) -> Access | None:
    """The audit entry a page of records needs, or None when it holds only public data.

    Audited: any page about a natural person (listing every record returned),
    and any page returning a non-public record (listing those).
    """
    natural = page.subject.subject_kind == "natural"
    read = [r for r in page.records if natural or r.disclosure_scope != "public"]
    if not natural and not read:
        return None
    detail: dict[str, Any] = {
        "role": role.value,
        "natural_person": natural,
        "records": [
            {"record_id": r.record_id, "version": r.version, "scope": r.disclosure_scope}
            for r in read
        ],
        "offset": page.offset,
        "limit": page.limit,
    }
    return Access("records.read", f"subject:{page.subject.code}", detail)


def score_visible(role: Role, subject_kind: str, public_for_legal_persons: bool) -> bool:
    """Whether ``role`` may see a score of this model about this subject.

    A natural person's score is shown only to the person and to parties the
    law or the person authorises: here the operator (the person's own view,
    with consent, is the rights work of issue 8); never to the public, an
    agency, or a department as such (PRODUCT.md). A legal person's grade is
    seen by government roles, and by everyone only where the model makes it
    public (the tax A list is; the credit-risk class is not).
    """
    if subject_kind == "natural":
        return role is Role.OPERATOR
    return role in GOVERNMENT_ROLES or public_for_legal_persons
