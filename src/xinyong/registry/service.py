"""Use cases of the subject registry: initialise a node, register and show subjects.

Each use case owns exactly one unit of work (``init_node`` also runs the
migrations first, in their own transaction). Codes are validated and
normalised with :mod:`xinyong.codes` here, before anything reaches the store.
No SQL here: queries live in :mod:`xinyong.store.queries`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Literal, cast

from xinyong.audit.service import append_event
from xinyong.clock import china_date
from xinyong.codes import CodeKind, SubjectCode, parse_code, region_of, subject_type
from xinyong.codes.resident import birth_date
from xinyong.config import Settings
from xinyong.policy.service import node_pack
from xinyong.registry.errors import NaturalPersonRepresentativeError, SubjectNotFoundError
from xinyong.registry.model import (
    ALL_RECORDS,
    DepartmentInfo,
    InitReport,
    JurisdictionInfo,
    LegalRepresentative,
    Profession,
    Record,
    RecordCount,
    RecordFilter,
    Subject,
    SubjectRecords,
    SubjectRegistration,
    SubjectStatus,
    SubjectView,
)
from xinyong.store import migrate
from xinyong.store.engine import Store, open_store
from xinyong.store.queries import records as records_q
from xinyong.store.queries import reference, subjects
from xinyong.store.uow import Connection, UnitOfWork


def init_node(
    settings: Settings,
    jurisdiction: JurisdictionInfo,
    departments: Sequence[DepartmentInfo],
    *,
    ancestors: Sequence[JurisdictionInfo] = (),
    now: datetime | None = None,
) -> InitReport:
    """Create or upgrade the store's schema, then write this node's reference data.

    ``now`` (default: the clock) stamps the audit entry the write leaves.

    ``ancestors`` are the jurisdictions above this one, root first (a city's
    province and the national level), stored first so that ``parent_code``
    refers to a stored jurisdiction. Running it again with the same data
    changes nothing.
    """
    upgrade = migrate.upgrade(settings.store_url)
    with open_store(settings.store_url) as store, UnitOfWork(store) as uow:
        conn = uow.connection
        before = _reference_of(conn, jurisdiction.code)
        for info in (*ancestors, jurisdiction):
            reference.upsert_jurisdiction(conn, _jurisdiction_row(info))
        for department in departments:
            reference.upsert_department(
                conn,
                reference.DepartmentRow(
                    jurisdiction_code=jurisdiction.code,
                    code=department.code,
                    name_zh=department.name_zh,
                    name_en=department.name_en,
                    uscc=department.uscc,
                ),
            )
        if upgrade.before != upgrade.after or _reference_of(conn, jurisdiction.code) != before:
            # Reference data decides what the node accepts: a change is logged like
            # any other write (an init that changes nothing logs nothing).
            append_event(
                conn,
                actor="cli",
                action="node.init",
                target=f"jurisdiction:{jurisdiction.code}",
                detail={
                    "departments": sorted(d.code for d in departments),
                    "pack_version": jurisdiction.pack_version,
                    "revision": upgrade.after,
                },
                now=now or datetime.now(UTC),
            )
        uow.commit()
    return InitReport(
        url=upgrade.url,
        revision_before=upgrade.before,
        revision_after=upgrade.after,
        jurisdiction=jurisdiction.code,
        departments=tuple(d.code for d in departments),
    )


def initialise_node(settings: Settings, now: datetime | None = None) -> InitReport:
    """``xinyong init``: migrate the store and register the node's jurisdiction from its pack.

    The pack named by ``XINYONG_JURISDICTION`` supplies the jurisdiction, its
    departments and, through its inheritance chain, the jurisdictions above it
    (a city's province and the national level), so ``parent_code`` resolves.
    """
    loaded = node_pack(settings)
    infos = [
        JurisdictionInfo(
            code=meta.code,
            name_zh=meta.name.zh,
            name_en=meta.name.en,
            level=meta.level.value,
            parent_code=meta.extends,
            region_code=meta.region_code,
            pack_version=loaded.version if meta is loaded.pack.meta else None,
        )
        for meta in (loaded.pack.meta, *loaded.ancestors)
    ]
    departments = [
        DepartmentInfo(code=d.code, name_zh=d.name.zh, name_en=d.name.en, uscc=d.uscc)
        for d in loaded.pack.departments
    ]
    return init_node(settings, infos[0], departments, ancestors=infos[:0:-1], now=now)


def _reference_of(conn: Connection, code: str) -> tuple[object, ...]:
    return (reference.jurisdictions(conn), reference.departments_of(conn, code))


def _jurisdiction_row(info: JurisdictionInfo) -> reference.JurisdictionRow:
    return reference.JurisdictionRow(
        code=info.code,
        name_zh=info.name_zh,
        name_en=info.name_en,
        level=info.level,
        parent_code=info.parent_code,
        region_code=info.region_code,
        pack_version=info.pack_version,
    )


def register_subject(uow: UnitOfWork, registration: SubjectRegistration, now: datetime) -> Subject:
    """Validate the subject's code and store the subject, or update it if known.

    The code (and the legal representative's, if given) must validate, unless
    the operator allowlisted it (GB 32100 checksums of some early registry-issued
    codes fail). A natural person's birth date is taken from the code when not given.
    """
    with uow:
        conn = uow.connection
        today = china_date(now)
        code = parse_code(
            registration.code, allowlist=reference.allowlist_reasons(conn), today=today
        )
        representative = registration.legal_representative
        if representative is not None:
            if code.kind is CodeKind.RESIDENT_ID:
                raise NaturalPersonRepresentativeError(code=code.value)
            if representative.code is not None:
                rep_code = parse_code(representative.code, today=today).value
                representative = LegalRepresentative(representative.name, rep_code)
        subject = _subject_of(code, registration, representative)
        subjects.upsert_subject(conn, _row_of(subject), now)
        uow.commit()
    return subject


def _subject_of(
    code: SubjectCode,
    registration: SubjectRegistration,
    representative: LegalRepresentative | None,
) -> Subject:
    natural = code.kind is CodeKind.RESIDENT_ID
    established = registration.established_on
    if established is None and natural:
        established = birth_date(code.value)
    return Subject(
        code=code.value,
        code_kind="resident_id" if natural else "uscc",
        subject_kind="natural" if natural else "legal",
        name=registration.name.strip(),
        region_code=region_of(code).code,
        type_code=None if natural else _type_code(code.value),
        legal_representative=representative,
        established_on=established,
        status=registration.status,
        converted_from=code.converted_from,
    )


def _type_code(uscc: str) -> str:
    found = subject_type(uscc)
    return found.authority + found.type


def _row_of(subject: Subject) -> subjects.SubjectRow:
    representative = subject.legal_representative
    return subjects.SubjectRow(
        code=subject.code,
        code_kind=subject.code_kind,
        subject_kind=subject.subject_kind,
        type_code=subject.type_code,
        name=subject.name,
        region_code=subject.region_code,
        legal_rep_code=representative.code if representative else None,
        legal_rep_name=representative.name if representative else None,
        established_on=subject.established_on,
        status=subject.status,
        converted_from=subject.converted_from,
    )


def record_profession(uow: UnitOfWork, code: str, profession: Profession) -> None:
    """Record that the subject with this (normalised) code belongs to a key group."""
    with uow:
        found = subjects.get_subject(uow.connection, code)
        if found is None or found.id is None:
            raise SubjectNotFoundError(code)
        subjects.add_profession(
            uow.connection,
            subjects.ProfessionRow(
                subject_id=found.id,
                profession=profession.profession,
                since=profession.since,
                until=profession.until,
                department=profession.department,
                jurisdiction=profession.jurisdiction,
            ),
        )
        uow.commit()


def show_subject(settings: Settings, code: str, now: datetime | None = None) -> SubjectView:
    """The subject with this code, its professions and its current records by item.

    Opens the store named by ``settings`` for this one call (the CLI's way);
    the API calls :func:`subject_view` with the store it holds open.
    """
    with open_store(settings.store_url) as store:
        view = subject_view(store, code)
        if view.subject.subject_kind == "natural":
            # A person's file is not public: the operator's read is logged like any other.
            with UnitOfWork(store) as uow:
                append_event(
                    uow.connection,
                    actor="cli",
                    action="subject.read",
                    target=f"subject:{view.subject.code}",
                    detail={"via": "xinyong subject show"},
                    now=now or datetime.now(UTC),
                )
                uow.commit()
        return view


def subject_view(store: Store, code: str, *, records: RecordFilter = ALL_RECORDS) -> SubjectView:
    """The subject with this code, its professions and its current records by item.

    The code is validated and normalised first (so a typing error is reported as
    such, not as "not found"). Raises :class:`SubjectNotFoundError` when no
    subject has it. Counts only the records ``records`` admits. Reads only: the
    unit of work is read-only.
    """
    with UnitOfWork(store, read_only=True) as uow:
        conn = uow.connection
        parsed, row, subject_id = _find(conn, code)
        professions = subjects.professions_of(conn, subject_id)
        counts = records_q.count_current_by_item(
            conn,
            parsed.value,
            scopes=records.scopes,
            statuses=records.statuses,
            disclosed_on=records.disclosed_on,
        )
    subject = _subject_from(row)
    type_name = None
    if subject.code_kind == "uscc":
        found = subject_type(subject.code)
        type_name = (found.name_zh, found.name_en)
    region = region_of(subject.region_code)
    return SubjectView(
        subject=subject,
        professions=tuple(
            Profession(p.profession, p.since, p.department, p.jurisdiction, p.until)
            for p in professions
        ),
        record_counts=tuple(
            RecordCount(item, status, count) for (item, status), count in sorted(counts.items())
        ),
        allowlisted=parsed.allowlisted,
        type_name=type_name,
        region_name=" ".join(n for n in (region.province, region.prefecture, region.county) if n),
    )


def subject_records(
    store: Store, code: str, *, records: RecordFilter, limit: int, offset: int = 0
) -> SubjectRecords:
    """One page of the subject's current records that ``records`` admits, newest first.

    Validates the code first and raises :class:`SubjectNotFoundError` for an
    unknown subject, like :func:`subject_view`. Reads only.
    """
    with UnitOfWork(store, read_only=True) as uow:
        conn = uow.connection
        parsed, row, _ = _find(conn, code)
        page, total = records_q.current_page(
            conn,
            parsed.value,
            scopes=records.scopes,
            statuses=records.statuses,
            disclosed_on=records.disclosed_on,
            limit=limit,
            offset=offset,
        )
    return SubjectRecords(
        subject=_subject_from(row),
        records=tuple(_record_from(version) for version in page),
        total=total,
        limit=limit,
        offset=offset,
    )


def current_records(store: Store, record_ids: Iterable[str]) -> dict[str, Record]:
    """The current version of each record found, by id (to show it by its document number,
    or to correct it from its present fields)."""
    found: dict[str, Record] = {}
    with UnitOfWork(store, read_only=True) as uow:
        for record_id in dict.fromkeys(record_ids):
            current = records_q.get_current(uow.connection, record_id)
            if current is not None:
                found[record_id] = _record_from(current)
    return found


def registered_code(conn: Connection, code: str) -> str:
    """The code normalised (the operator's allowlist admitted), of a registered subject.

    Raises the code's :class:`~xinyong.codes.CodeError` or :class:`SubjectNotFoundError`.
    """
    return _find(conn, code)[0].value


def _find(conn: Connection, code: str) -> tuple[SubjectCode, subjects.SubjectRow, int]:
    parsed = parse_code(code, allowlist=reference.allowlist_reasons(conn))
    row = subjects.get_subject(conn, parsed.value)
    if row is None or row.id is None:
        raise SubjectNotFoundError(parsed.value)
    return parsed, row, row.id


def _record_from(version: records_q.RecordVersion) -> Record:
    return Record(
        record_id=version.record_id,
        version=version.version,
        subject_code=version.subject_code,
        catalog_item=version.catalog_item,
        department=version.department,
        jurisdiction=version.jurisdiction,
        document_number=version.document_number,
        decided_on=version.decided_on,
        polarity=version.polarity,
        payload=version.payload,
        disclosure_scope=version.disclosure_scope,
        status=version.status,
        valid_from=version.valid_from,
        occurred_on=version.occurred_on,
        severity=version.severity,
        disclosure_until=version.disclosure_until,
    )


def _subject_from(row: subjects.SubjectRow) -> Subject:
    representative = None
    if row.legal_rep_name is not None:
        representative = LegalRepresentative(row.legal_rep_name, row.legal_rep_code)
    return Subject(
        code=row.code,
        code_kind=cast(Literal["uscc", "resident_id"], row.code_kind),
        subject_kind=cast(Literal["legal", "natural"], row.subject_kind),
        name=row.name,
        region_code=row.region_code,
        type_code=row.type_code,
        legal_representative=representative,
        established_on=row.established_on,
        status=cast(SubjectStatus, row.status),
        converted_from=row.converted_from,
    )
