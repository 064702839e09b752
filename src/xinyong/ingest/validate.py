"""Validation of one record against the pack: the rules a row must pass to be stored.

Pure: the subject registry is consulted through a callable, "today" is an
argument, and nothing is read or written. Every check that applies is run and
every problem reported (a clerk fixes a row once), in a fixed order so that a
row's first problem is its main reason: the code, the catalog item, the
document number, the dates, the payload, the severity, then the subject.

The checks (issue 3, PRODUCT.md "data minimisation"): the identifier is valid
(:mod:`xinyong.codes`); the catalog item exists, is in force on the decision
date, applies to this kind of subject and may be reported by this department;
required payload fields are present and every field has its catalog type, and
no field outside the catalog item is stored (so a prohibited category cannot
be recorded); severity and polarity agree with the item; the decision date is
not in the future nor before the subject existed; a non-registration record
needs a registered subject; document numbers and names fit the store's columns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinyong.clock import add_months
from xinyong.codes import CodeKind, SubjectCode, parse_code, region_of
from xinyong.codes.errors import CodeError
from xinyong.codes.resident import birth_date
from xinyong.ingest.errors import (
    BeforeSubjectError,
    DateError,
    DepartmentNotAllowedError,
    FutureDateError,
    ItemNotInForceError,
    ItemSubjectKindError,
    KindMismatchError,
    MissingValueError,
    PayloadEnumError,
    PayloadUnknownFieldError,
    PolarityError,
    RepresentativeCodeError,
    RowError,
    SeverityError,
    TooLongError,
    UnknownItemError,
    UnknownSubjectError,
)
from xinyong.ingest.model import (
    Action,
    RawRecord,
    Registration,
    RowProblem,
    ValidRecord,
)
from xinyong.ingest.values import content_hash, parse_day, record_content, typed_value
from xinyong.policy.model import (
    CatalogItem,
    Category,
    DisclosurePeriods,
    Pack,
    regime_on,
)

SUBJECT_STATUSES = frozenset({"active", "cancelled", "revoked", "deceased"})
MAX_LENGTHS = {"document_number": 200, "subject_name": 300, "legal_rep_name": 100}
"""The longest text the store keeps (the columns of xinyong.store.tables; a test checks).
A longer value means a broken row (a shifted column): refused here, since PostgreSQL
would fail the whole batch on it while SQLite would keep it."""


@dataclass(frozen=True, slots=True)
class KnownSubject:
    """What validation needs to know of a registered subject."""

    kind: str  # legal | natural
    established_on: date | None


SubjectLookup = Callable[[str], KnownSubject | None]


@dataclass(slots=True)  # not frozen: made for every row (see xinyong.ingest.model)
class Checked:
    """A record after every check but its subject's registration (see :meth:`Validator.check`).

    ``record`` is None when ``problems`` is not empty; ``subject`` is the code
    to look up in the registry (None for registration records, which create
    their subject, and for rows whose code or item is already wrong).
    """

    record: ValidRecord | None
    problems: tuple[RowProblem, ...]
    subject: str | None
    decided: date | None


@dataclass(frozen=True, slots=True)
class _ItemFacts:
    """What validation asks of a catalog item on every row, worked out once per batch.

    The pack does not change during a batch, nor does "today", so the answers
    (and the enum values, whose lookups are slow) are the same for every row.
    """

    reportable: bool  # this department may report it
    in_force: bool  # today
    kinds: frozenset[str]  # subject kinds it may be about
    severities: tuple[str, ...]
    polarity: str
    scopes: Mapping[str, str]  # subject kind → disclosure scope
    registers: bool  # a registration item (creates or updates the subject)

    @classmethod
    def of(cls, item: CatalogItem, department: str, today: date) -> _ItemFacts:
        return cls(
            reportable=department in item.departments,
            in_force=item.in_force(today),
            kinds=frozenset(k.value for k in item.subject_kinds),
            severities=tuple(s.value for s in item.severities),
            polarity=item.polarity.value,
            scopes={k.value: scope.value for k, scope in item.disclosure.items()},
            registers=_registers(item),
        )


class Validator:
    """Validates records of one department against one pack, as of one day."""

    def __init__(
        self,
        pack: Pack,
        department: str,
        jurisdiction: str,
        today: date,
        allowlist: Mapping[str, str],
    ) -> None:
        self.department = department
        self.jurisdiction = jurisdiction
        self.today = today
        self._allowlist = allowlist
        self._items = {item.code: item for item in pack.catalog}
        self._fields = {item.code: {f.name: f for f in item.payload} for item in pack.catalog}
        self._regimes = sorted(pack.disclosure_periods, key=lambda r: r.valid_from)
        self._facts = {item.code: _ItemFacts.of(item, department, today) for item in pack.catalog}

    def registry_problems(
        self, code: str, decided: date | None, subjects: SubjectLookup
    ) -> list[RowProblem]:
        """The last check, which needs the store: is a checked record's subject registered?

        ``code`` and ``decided`` are a :meth:`check` result's ``subject`` and
        ``decided``; the problems come after the check's own (first = main reason).
        """
        problems: list[RowProblem] = []
        self._subject(code, decided, subjects, problems)
        return problems

    def check(self, raw: RawRecord) -> Checked:
        """Every check but the subject's registration, which needs the store.

        Pure and picklable, so large files can be checked in worker processes
        while the batch's one transaction stays in the caller's.
        """
        problems: list[RowProblem] = []
        code = self._code(raw, problems)
        item = self._item(raw, code, problems)
        if not raw.document_number:
            problems.append(_problem("document_number", MissingValueError(field="document_number")))
        _check_length("document_number", raw.document_number, problems)
        decided = self._decided(raw, problems)
        occurred = None
        if raw.occurred_on not in (None, ""):
            occurred = parse_day(raw.occurred_on)
            if occurred is None:
                problems.append(_problem("occurred_on", DateError(value=raw.occurred_on)))
        payload = self._payload(raw, item, problems) if item else {}
        severity = self._severity(raw, item, problems) if item else None
        registration, established = self._registration(raw, item, code, problems)
        subject = None
        if code is not None and item is not None and not self._facts[item.code].registers:
            subject, established = code.value, None
        if problems or code is None or item is None or decided is None:
            return Checked(None, tuple(problems), subject, decided)
        facts = self._facts[item.code]
        kind = "natural" if code.kind is CodeKind.RESIDENT_ID else "legal"
        content = record_content(
            subject_code=code.value, catalog_item=item.code, department=self.department,
            jurisdiction=self.jurisdiction, document_number=raw.document_number,
            decided_on=decided, occurred_on=occurred, severity=severity,
            polarity=facts.polarity, payload=payload,
        )  # fmt: skip
        record = ValidRecord(
            subject_code=code.value,
            subject_kind=kind,
            subject_name=raw.subject_name,
            catalog_item=item.code,
            document_number=raw.document_number,
            decided_on=decided,
            polarity=facts.polarity,
            payload=payload,
            disclosure_scope=facts.scopes[kind],
            content_hash=content_hash(content),
            occurred_on=occurred,
            severity=severity,
            disclosure_until=self._disclosure_until(item, severity, decided),
            action=Action.REVOKE if raw.action == Action.REVOKE.value else Action.REPORT,
            registration=registration,
            established_on=established,
            region_code=_region(code) if registration is not None else None,
            type_code=None if kind == "natural" or registration is None else code.value[:2],
        )
        return Checked(record, (), subject, decided)

    def _code(self, raw: RawRecord, problems: list[RowProblem]) -> Any:
        try:
            code = parse_code(raw.subject_code, allowlist=self._allowlist, today=self.today)
        except CodeError as err:
            problems.append(RowProblem("subject_code", err.code, err.render()))
            return None
        kind = "natural" if code.kind is CodeKind.RESIDENT_ID else "legal"
        if raw.kind_hint is not None and raw.kind_hint != kind:
            problems.append(
                _problem(
                    "subject_code",
                    KindMismatchError(hint=raw.kind_hint, code=code.value, kind=kind),
                )
            )
            return None
        return code

    def _item(self, raw: RawRecord, code: Any, problems: list[RowProblem]) -> CatalogItem | None:
        item = self._items.get(raw.catalog_item)
        if item is None:
            known = ", ".join(sorted(self._items))
            problems.append(
                _problem("catalog_item", UnknownItemError(value=raw.catalog_item, known=known))
            )
            return None
        facts = self._facts[item.code]
        if not facts.reportable:
            problems.append(
                _problem(
                    "catalog_item",
                    DepartmentNotAllowedError(
                        department=self.department,
                        item=item.code,
                        allowed=", ".join(item.departments),
                    ),
                )
            )
        if not facts.in_force:
            # The catalog in force when a record is collected decides what may be
            # collected; its decision may be older (a 2005 registration, say).
            problems.append(
                _problem(
                    "catalog_item",
                    ItemNotInForceError(
                        item=item.code,
                        day=self.today,
                        start=item.valid_from,
                        end=item.valid_to or "open",
                    ),
                )
            )
        if code is not None:
            kind = "natural" if code.kind is CodeKind.RESIDENT_ID else "legal"
            if kind not in facts.kinds:
                problems.append(
                    _problem("catalog_item", ItemSubjectKindError(item=item.code, kind=kind))
                )
        return item

    def _decided(self, raw: RawRecord, problems: list[RowProblem]) -> date | None:
        if raw.decided_on in (None, ""):
            problems.append(_problem("decided_on", MissingValueError(field="decided_on")))
            return None
        decided = parse_day(raw.decided_on)
        if decided is None:
            problems.append(_problem("decided_on", DateError(value=raw.decided_on)))
            return None
        if decided > self.today:
            problems.append(_problem("decided_on", FutureDateError(day=decided, today=self.today)))
        return decided

    def _payload(
        self, raw: RawRecord, item: CatalogItem, problems: list[RowProblem]
    ) -> dict[str, Any]:
        fields = self._fields[item.code]
        out: dict[str, Any] = {}
        for name in raw.payload:
            if name not in fields:
                problems.append(
                    _problem(
                        f"payload.{name}", PayloadUnknownFieldError(field=name, item=item.code)
                    )
                )
        for name, spec in fields.items():
            value = raw.payload.get(name)
            if value is None or value == "":
                if spec.required:
                    problems.append(_problem(f"payload.{name}", MissingValueError(field=name)))
                continue
            typed, error = typed_value(spec, value)
            if error is not None:
                problems.append(_problem(f"payload.{name}", error))
            else:
                out[name] = typed
        return out

    def _severity(
        self, raw: RawRecord, item: CatalogItem, problems: list[RowProblem]
    ) -> str | None:
        facts = self._facts[item.code]
        if raw.polarity is not None and raw.polarity != facts.polarity:
            problems.append(
                _problem(
                    "polarity",
                    PolarityError(value=raw.polarity, item=item.code, expected=facts.polarity),
                )
            )
        allowed = facts.severities
        if raw.severity is None:
            if allowed:
                problems.append(_problem("severity", MissingValueError(field="severity")))
            return None
        if raw.severity not in allowed:
            problems.append(
                _problem(
                    "severity",
                    SeverityError(
                        value=raw.severity, item=item.code, allowed=", ".join(allowed) or "none"
                    ),
                )
            )
            return None
        return raw.severity

    def _registration(
        self, raw: RawRecord, item: CatalogItem | None, code: Any, problems: list[RowProblem]
    ) -> tuple[Registration | None, date | None]:
        if item is None or not self._facts[item.code].registers or code is None:
            return None, None
        given = raw.registration or Registration()
        established = None
        if given.established_on not in (None, ""):
            established = parse_day(given.established_on)
            if established is None:
                problems.append(_problem("established_on", DateError(value=given.established_on)))
        if established is None and code.kind is CodeKind.RESIDENT_ID:
            established = birth_date(code.value)
        if given.status not in SUBJECT_STATUSES:
            problems.append(
                _problem(
                    "status",
                    PayloadEnumError(
                        value=given.status, allowed=", ".join(sorted(SUBJECT_STATUSES))
                    ),
                )
            )
        rep_code = given.legal_rep_code
        if rep_code:
            try:
                rep_code = parse_code(rep_code, today=self.today).value
            except CodeError as err:
                problems.append(
                    _problem(
                        "legal_rep_code",
                        RepresentativeCodeError(value=rep_code, detail=err.render()),
                    )
                )
        if not raw.subject_name:
            problems.append(_problem("subject_name", MissingValueError(field="subject_name")))
        _check_length("subject_name", raw.subject_name, problems)
        _check_length("legal_rep_name", given.legal_rep_name, problems)
        return (
            Registration(given.legal_rep_name, rep_code or None, established, given.status),
            established,
        )

    def _subject(
        self, code: str, decided: date | None, subjects: SubjectLookup, problems: list[RowProblem]
    ) -> None:
        known = subjects(code)
        if known is None:
            problems.append(_problem("subject_code", UnknownSubjectError(code=code)))
            return
        if decided is not None and known.established_on and decided < known.established_on:
            problems.append(
                _problem("decided_on", BeforeSubjectError(day=decided, since=known.established_on))
            )

    def _disclosure_until(
        self, item: CatalogItem, severity: str | None, decided: date
    ) -> date | None:
        """End of public disclosure: the item's fixed period, else the regime's maximum."""
        if item.period_months is not None:
            return add_months(decided, item.period_months)
        if severity is None:
            return None
        regime = self._regime(decided)
        if regime is None:
            return None
        periods = getattr(regime, severity)
        return add_months(decided, periods.max_months) if periods.publish else decided

    def _regime(self, day: date) -> DisclosurePeriods | None:
        """The regime in force on the decision date; the oldest for decisions before all."""
        return regime_on(self._regimes, day)


def _registers(item: CatalogItem) -> bool:
    return item.category == Category.REGISTRATION.value


def _check_length(field: str, value: str | None, problems: list[RowProblem]) -> None:
    limit = MAX_LENGTHS[field]
    if value is not None and len(value) > limit:
        problems.append(_problem(field, TooLongError(field=field, length=len(value), limit=limit)))


def _region(code: SubjectCode) -> str:
    """The subject's division: a USCC's registration authority, a resident's birth place."""
    return region_of(code).code


def _problem(field: str, error: RowError) -> RowProblem:
    return RowProblem(field, error.code, error.render())
