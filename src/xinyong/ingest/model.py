"""Domain types of collection: a record as mapped, a record as validated, a batch's outcome.

Plain Python: no SQL, no files, no HTTP. Readers produce rows of cells; the
mapper turns one into a :class:`RawRecord` (still department values, typed
loosely); validation turns that into a :class:`ValidRecord` or a list of
:class:`RowProblem`; applying the batch decides, per record, whether it is new,
a duplicate, a correction or a revocation, and counts it in a :class:`BatchReport`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

Cell = str | int | float | date | None
"""One cell as a reader gives it: text, an XLSX number or date, or nothing."""


# The types that cross from a checking worker to the applying process are plain
# (not slotted) dataclasses: they unpickle faster (a slotted dataclass's
# __setstate__ walks fields() for every object). The ones made for every row
# (Registration, RawRecord, ValidRecord) are not frozen: a frozen dataclass's
# __init__ sets each field through object.__setattr__, 1.4 µs a row for
# ValidRecord alone. Nothing changes them once made.
@dataclass(frozen=True)
class RowProblem:
    """Why a row was refused: the field (None: the row as a whole), a stable code, a message."""

    field: str | None
    code: str
    message: str


class Action(StrEnum):
    REPORT = "report"
    REVOKE = "revoke"


@dataclass(slots=True)
class Registration:
    """What a registration row says about its subject, beyond code and name."""

    legal_rep_name: str | None = None
    legal_rep_code: str | None = None
    established_on: Cell = None
    status: str = "active"


@dataclass(slots=True)
class RawRecord:
    """A record in department terms after mapping: values still unchecked.

    ``payload`` holds what the mapping produced per catalog field: text, numbers
    or dates. ``kind_hint`` is what the file says the subject is (legal or natural),
    when it says so.
    """

    subject_code: str
    subject_name: str
    catalog_item: str
    document_number: str
    decided_on: Cell
    payload: dict[str, Any]
    occurred_on: Cell = None
    severity: str | None = None
    polarity: str | None = None
    kind_hint: str | None = None
    action: str = Action.REPORT.value
    registration: Registration | None = None


@dataclass(slots=True)
class ValidRecord:
    """A record that passed every check, ready to store: the store's ``NewRecord`` less ids."""

    subject_code: str
    subject_kind: str
    subject_name: str
    catalog_item: str
    document_number: str
    decided_on: date
    polarity: str
    payload: dict[str, Any]
    disclosure_scope: str
    content_hash: str
    occurred_on: date | None
    severity: str | None
    disclosure_until: date | None
    action: Action
    registration: Registration | None
    established_on: date | None = None  # of the subject, for registration records
    region_code: str | None = None  # of the subject (its division), for registration records
    type_code: str | None = None  # USCC authority and type, for registration records


class Outcome(StrEnum):
    """What happened to one row."""

    ACCEPTED = "accepted"  # a new record
    CORRECTION = "correction"  # a changed record: a new version
    REVOCATION = "revocation"  # a revocation row revoked its record
    DUPLICATE = "duplicate"  # the same record again: nothing to do
    REJECTED = "rejected"


@dataclass
class BatchReport:
    """The outcome of one upload, as the CLI, the API and the tests read it.

    ``already_applied`` is set when the same file (same SHA-256, same
    department) had been applied before: then nothing changed and ``batch_id``
    names the earlier batch.
    """

    batch_id: int
    filename: str
    department: str
    sha256: str
    format: str
    encoding: str
    mapping: str | None
    rows: int = 0
    accepted: int = 0
    corrections: int = 0
    revocations: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejected_by_code: Counter[str] = field(default_factory=Counter)
    quarantine: str | None = None
    already_applied: bool = False
    status: str = "applied"

    def count(self, outcome: Outcome, codes: list[str] | None = None) -> None:
        self.rows += 1
        if outcome is Outcome.ACCEPTED:
            self.accepted += 1
        elif outcome is Outcome.CORRECTION:
            self.corrections += 1
        elif outcome is Outcome.REVOCATION:
            self.revocations += 1
        elif outcome is Outcome.DUPLICATE:
            self.duplicates += 1
        else:
            self.rejected += 1
            self.rejected_by_code.update(codes or [])
