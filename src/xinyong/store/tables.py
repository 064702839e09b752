"""The transactional store's schema, as SQLAlchemy Core tables.

This is the one description of the schema that migrations are checked against
(``tests/store/test_migrations.py`` compares a migrated database with
``metadata``). Change it only together with a new Alembic revision.

Conventions: constraint and index names come from ``NAMING``; timestamps are
timezone-aware and stored in UTC (:class:`UtcDateTime`); JSON is JSONB on
PostgreSQL; closed vocabularies are CHECK constraints listing their values below.
No query lives here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

LEVELS = ("national", "province", "city")
CODE_KINDS = ("uscc", "resident_id")
SUBJECT_KINDS = ("legal", "natural")
# 注销 cancelled, 吊销 revoked (licence withdrawn), 死亡 deceased.
SUBJECT_STATUSES = ("active", "cancelled", "revoked", "deceased")
BATCH_STATUSES = ("pending", "applied", "failed")
POLARITIES = ("negative", "positive", "neutral")
SCOPES = ("public", "shared", "authorised")
RECORD_STATUSES = ("active", "under_objection", "corrected", "repaired", "revoked", "expired")
# Roles of API keys (see xinyong.keys.model.Role for what each may do).
ROLES = ("operator", "department", "checker", "agency", "public")

# Codes of jurisdictions, departments, catalog items and professions follow the
# policy packs' `Code` (lower-case, at most 64 characters).
CODE = 64
SUBJECT_CODE = 18  # USCC and resident ID are both 18 characters once normalised


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp, stored and returned in UTC on both databases.

    SQLite has no time zones: without this a value would come back naive. A
    naive datetime is refused on the way in; "now" is always an aware argument.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} given; pass an aware one")
        # In UTC, SQLite's text form (which drops the offset) compares as time does.
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# JSON documents; JSONB on PostgreSQL for compact storage and containment queries.
Json = JSON().with_variant(JSONB(), "postgresql")
# 64-bit ids; on SQLite only INTEGER PRIMARY KEY is the auto-incrementing rowid.
Id = BigInteger().with_variant(Integer(), "sqlite")


def _one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=column)


jurisdiction = Table(
    "jurisdiction",
    metadata,
    Column("code", String(CODE), primary_key=True),
    Column("name_zh", String(200), nullable=False),
    Column("name_en", String(200), nullable=False),
    Column("level", String(16), nullable=False),
    Column("parent_code", String(CODE), ForeignKey("jurisdiction.code"), nullable=True),
    Column("region_code", String(6), nullable=True),  # administrative division code
    Column("pack_version", String(64), nullable=True),  # of the pack that last wrote it
    _one_of("level", LEVELS),
)

department = Table(
    "department",
    metadata,
    Column("jurisdiction_code", String(CODE), ForeignKey("jurisdiction.code"), primary_key=True),
    Column("code", String(CODE), primary_key=True),
    Column("name_zh", String(200), nullable=False),
    Column("name_en", String(200), nullable=False),
    Column("uscc", String(SUBJECT_CODE), nullable=True),
)

subject = Table(
    "subject",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code", String(SUBJECT_CODE), nullable=False, unique=True),
    Column("code_kind", String(16), nullable=False),
    Column("subject_kind", String(16), nullable=False),
    Column("type_code", String(2), nullable=True),  # USCC positions 1-2, e.g. "91"
    Column("name", String(300), nullable=False),
    Column("region_code", String(6), nullable=False),
    Column("legal_rep_code", String(SUBJECT_CODE), nullable=True),
    Column("legal_rep_name", String(100), nullable=True),
    # Date of establishment (legal person) or of birth (natural person).
    Column("established_on", Date, nullable=True),
    Column("status", String(16), nullable=False, server_default="active"),
    Column("converted_from", String(SUBJECT_CODE), nullable=True),  # 15-character original
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    _one_of("code_kind", CODE_KINDS),
    _one_of("subject_kind", SUBJECT_KINDS),
    _one_of("status", SUBJECT_STATUSES),
)

# 重点人群 (key groups): professions whose members' records are watched.
profession = Table(
    "profession",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("subject_id", Id, ForeignKey("subject.id", ondelete="CASCADE"), nullable=False),
    Column("profession", String(CODE), nullable=False),
    Column("since", Date, nullable=False),
    Column("until", Date, nullable=True),
    # Department that reported it; plain codes because professions also arrive
    # from peer nodes, whose departments this node does not hold.
    Column("department", String(CODE), nullable=False),
    Column("jurisdiction", String(CODE), nullable=False),
    UniqueConstraint("subject_id", "profession", "since"),
    CheckConstraint("until IS NULL OR until >= since", name="period"),
)

code_allowlist = Table(
    "code_allowlist",
    metadata,
    Column("code", String(SUBJECT_CODE), primary_key=True),
    Column("reason", Text, nullable=False),
    Column("added_by", String(100), nullable=False),
    Column("added_at", UtcDateTime, nullable=False),
)

batch = Table(
    "batch",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("department", String(CODE), nullable=False),
    Column("jurisdiction", String(CODE), nullable=False),
    Column("filename", String(500), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("format", String(16), nullable=False),
    Column("encoding", String(32), nullable=False),
    Column("rows", Integer, nullable=False, server_default="0"),
    Column("accepted", Integer, nullable=False, server_default="0"),
    Column("rejected", Integer, nullable=False, server_default="0"),
    Column("duplicates", Integer, nullable=False, server_default="0"),
    Column("corrections", Integer, nullable=False, server_default="0"),
    Column("revocations", Integer, nullable=False, server_default="0"),
    Column("status", String(16), nullable=False, server_default="pending"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("applied_at", UtcDateTime, nullable=True),
    Column("mapping", String(CODE), nullable=True),  # the pack mapping that read the file
    ForeignKeyConstraint(
        ["jurisdiction", "department"], ["department.jurisdiction_code", "department.code"]
    ),
    _one_of("status", BATCH_STATUSES),
)

rejected_row = Table(
    "rejected_row",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("batch_id", Id, ForeignKey("batch.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("row_number", Integer, nullable=False),
    Column("field", String(200), nullable=True),  # None: the row as a whole
    Column("error_code", String(64), nullable=False),
    Column("message", Text, nullable=False),
    Column("raw", Json, nullable=False),
)

# One row per version of a record. The current version of a logical record has
# is_current true; correcting or changing the status of a record supersedes it
# (is_current false, superseded_at set) and inserts version n+1, so every past
# state stays readable for objections, audits and peers.
record = Table(
    "record",
    metadata,
    Column("record_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("subject_code", String(SUBJECT_CODE), ForeignKey("subject.code"), nullable=False),
    Column("catalog_item", String(CODE), nullable=False),
    # Plain codes: records also arrive from peer nodes (exchange), whose
    # departments this node does not hold. Batches, which are local, have a key.
    Column("department", String(CODE), nullable=False),
    Column("jurisdiction", String(CODE), nullable=False),
    Column("document_number", String(200), nullable=False),
    Column("decided_on", Date, nullable=False),
    Column("occurred_on", Date, nullable=True),
    Column("severity", String(16), nullable=True),
    Column("polarity", String(16), nullable=False),
    Column("payload", Json, nullable=False),
    Column("disclosure_scope", String(16), nullable=False),
    Column("disclosure_until", Date, nullable=True),
    Column("status", String(16), nullable=False),
    Column("batch_id", Id, ForeignKey("batch.id"), nullable=True),
    Column("row_number", Integer, nullable=True),
    Column("content_hash", String(64), nullable=False),
    Column("is_current", Boolean, nullable=False),
    Column("valid_from", UtcDateTime, nullable=False),
    Column("superseded_at", UtcDateTime, nullable=True),
    Column("change_reason", Text, nullable=True),
    _one_of("polarity", POLARITIES),
    _one_of("disclosure_scope", SCOPES),
    _one_of("status", RECORD_STATUSES),
    CheckConstraint("version >= 1", name="version"),
    # A version is current exactly when it has not been superseded.
    CheckConstraint(
        "(is_current AND superseded_at IS NULL) OR (NOT is_current AND superseded_at IS NOT NULL)",
        name="current",
    ),
    CheckConstraint("superseded_at IS NULL OR superseded_at >= valid_from", name="period"),
)

# The partial-index predicate, spelt as SQLAlchemy renders `record.c.is_current`
# in a WHERE clause on each database: SQLite uses a partial index only for a
# query whose WHERE repeats the index's condition term for term.
_CURRENT: dict[str, Any] = {
    "sqlite_where": text("is_current = 1"),
    "postgresql_where": text("is_current"),
}
Index("ix_record_subject_code", record.c.subject_code)
Index("ix_record_catalog_item", record.c.catalog_item)
Index("ix_record_decided_on", record.c.decided_on)
Index("ix_record_batch_id", record.c.batch_id)
# One current version per logical record ...
Index(
    "uq_record_current_version",
    record.c.record_id,
    unique=True,
    **_CURRENT,
)
# ... and one current record per document number of a department. Both are
# partial unique indexes (SQLite ≥ 3.8 and PostgreSQL): superseded versions
# repeat the document number, so a plain unique constraint cannot hold.
# The jurisdiction is part of the key because department codes (e.g. "market")
# repeat from city to city.
Index(
    "uq_record_current_document",
    record.c.jurisdiction,
    record.c.department,
    record.c.document_number,
    unique=True,
    **_CURRENT,
)


# API keys: only a SHA-256 digest of the secret is stored. ``prefix`` is the
# public first part of a key, shown in listings so an operator can tell keys apart.
api_key = Table(
    "api_key",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("prefix", String(16), nullable=False, unique=True),
    Column("secret_sha256", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    # A department key is scoped to one department of one jurisdiction.
    Column("department", String(CODE), nullable=True),
    Column("jurisdiction", String(CODE), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    _one_of("role", ROLES),
    CheckConstraint(
        "(role = 'department') = (department IS NOT NULL AND jurisdiction IS NOT NULL)",
        name="scope",
    ),
)

# 审计日志 (audit log): append-only, each entry carrying the SHA-256 of the one
# before it, so that any change to a past entry breaks every later link.
audit_event = Table(
    "audit_event",
    metadata,
    Column("seq", Id, primary_key=True, autoincrement=False),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", String(300), nullable=False),
    Column("detail", Json, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    CheckConstraint("seq >= 1", name="seq"),
)
Index("ix_audit_event_target", audit_event.c.target)

# A record tied to its subject by probabilistic matching (no valid code) rather
# than by its code. Until an operator confirms the link, the record triggers
# nothing: no list entry, no measure (see xinyong.lists.rules).
LINK_STATUSES = ("provisional", "confirmed")
record_link = Table(
    "record_link",
    metadata,
    Column("record_id", String(36), primary_key=True),
    Column("subject_code", String(SUBJECT_CODE), ForeignKey("subject.code"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("score", Float, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("decided_by", String(200), nullable=True),
    _one_of("status", LINK_STATUSES),
)

# 名单条目 (list entries). ``basis`` cites the records (id and version) the
# rule rested on; ``policy_version`` the pack that held the rule. An entry is
# never deleted: removal is a state, and every step is a list_transition row.
ENTRY_STATES = ("proposed", "notified", "listed", "removed")
REMOVALS = ("expired", "repaired", "basis_revoked", "decision")
list_entry = Table(
    "list_entry",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("jurisdiction", String(CODE), nullable=False),
    Column("list_code", String(CODE), nullable=False),
    Column("subject_code", String(SUBJECT_CODE), ForeignKey("subject.code"), nullable=False),
    Column("state", String(16), nullable=False),
    Column("basis", Json, nullable=False),
    Column("policy_version", String(200), nullable=False),
    Column("proposed_at", UtcDateTime, nullable=False),
    Column("notified_at", UtcDateTime, nullable=True),
    Column("objection_until", Date, nullable=True),
    Column("deadline_provisional", Boolean, nullable=False, server_default=text("false")),
    Column("objection_open", Boolean, nullable=False, server_default=text("false")),
    Column("listed_on", Date, nullable=True),
    Column("expires_on", Date, nullable=True),
    Column("removed_at", UtcDateTime, nullable=True),
    Column("removal", String(16), nullable=True),
    Column("changed_at", UtcDateTime, nullable=False),  # last transition: what a refresh reads
    _one_of("state", ENTRY_STATES),
    CheckConstraint(
        f"removal IS NULL OR removal IN ({', '.join(repr(r) for r in REMOVALS)})", name="removal"
    ),
    # The procedure in the schema too: no listing without notice and a window.
    CheckConstraint(
        "state != 'listed' OR (notified_at IS NOT NULL AND objection_until IS NOT NULL "
        "AND listed_on IS NOT NULL AND listed_on > objection_until)",
        name="listed_after_notice",
    ),
    CheckConstraint("(state = 'removed') = (removal IS NOT NULL)", name="removed"),
)
Index("ix_list_entry_subject_code", list_entry.c.subject_code)
Index("ix_list_entry_changed_at", list_entry.c.changed_at)
# The few entries under objection, read by every check-index refresh (migration 0008).
Index(
    "ix_list_entry_objection_open",
    list_entry.c.jurisdiction,
    sqlite_where=text("objection_open = 1"),
    postgresql_where=text("objection_open"),
)
# One open entry per subject and list.
Index(
    "uq_list_entry_open",
    list_entry.c.jurisdiction,
    list_entry.c.list_code,
    list_entry.c.subject_code,
    unique=True,
    sqlite_where=text("state != 'removed'"),
    postgresql_where=text("state != 'removed'"),
)

list_transition = Table(
    "list_transition",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("entry_id", Id, ForeignKey("list_entry.id"), nullable=False, index=True),
    Column("from_state", String(16), nullable=True),
    Column("to_state", String(16), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("reason", Text, nullable=False),
)

# 告知书 (written notice): what the subject is told before listing, kept to be
# shown to them later (the subject's own page, a credit report).
list_notice = Table(
    "list_notice",
    metadata,
    Column("entry_id", Id, ForeignKey("list_entry.id"), primary_key=True),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("objection_until", Date, nullable=False),
    Column("text_zh", Text, nullable=False),
    Column("text_en", Text, nullable=False),
)

# 核查 (checks) a department made, and its feedback: who asked, for what matter,
# what was answered and on what basis. A subject can see the checks made on it.
OUTCOMES = ("proceed", "restrict", "favour")
check_event = Table(
    "check_event",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("department", String(CODE), nullable=True),
    Column("subject_code", String(SUBJECT_CODE), nullable=False, index=True),
    Column("matter", String(CODE), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("measures", Json, nullable=False),
    Column("policy_version", String(200), nullable=False),
    _one_of("outcome", OUTCOMES),
)

check_feedback = Table(
    "check_feedback",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("check_id", String(32), ForeignKey("check_event.id"), nullable=False, index=True),
    Column("applied", Boolean, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(200), nullable=False),
)

# 信用评价 (evaluations). A run grades every subject a model grades from one
# snapshot; a result row stores what reproduces it: model, policy version,
# day, and the SHA-256 of its inputs (which records, at which version). An
# on-demand result of one subject has no run. Results are never updated: a
# later evaluation is a new row, and the latest per subject and model counts.
ENGINE_NAMES = ("duckdb", "spark")
evaluation_run = Table(
    "evaluation_run",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("model_code", String(CODE), nullable=False),
    Column("policy_version", String(200), nullable=False),
    Column("engine", String(16), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("snapshot_sha256", String(64), nullable=False),
    Column("subjects", Integer, nullable=False),
    Column("distribution", Json, nullable=False),  # grade → subjects
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    _one_of("engine", ENGINE_NAMES),
)

evaluation = Table(
    "evaluation",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("run_id", Id, ForeignKey("evaluation_run.id"), nullable=True, index=True),
    Column("subject_code", String(SUBJECT_CODE), ForeignKey("subject.code"), nullable=False),
    Column("model_code", String(CODE), nullable=False),
    Column("policy_version", String(200), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("score", Float, nullable=False),
    Column("grade", String(16), nullable=False),
    Column("inputs_hash", String(64), nullable=False),
    Column("records", Integer, nullable=False),
    Column("engine", String(16), nullable=False),
    Column("computed_at", UtcDateTime, nullable=False),
    _one_of("engine", ENGINE_NAMES),
)
Index("ix_evaluation_subject_code_model_code", evaluation.c.subject_code, evaluation.c.model_code)

# 双随机、一公开: the roster of inspectors, and each published inspection plan
# with the population it was drawn from (so that it can be re-derived later,
# after grades have moved on) and its assignments (the next rounds' history).
inspector = Table(
    "inspector",
    metadata,
    Column("id", String(CODE), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("region_code", String(6), nullable=False),
    Column("department", String(CODE), nullable=False),
    Column("active", Boolean, nullable=False, server_default=text("true")),
)

inspection_plan = Table(
    "inspection_plan",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("period", String(16), nullable=False),
    Column("sector", String(CODE), nullable=False),
    Column("policy_code", String(CODE), nullable=False),
    Column("policy_version", String(200), nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("population_hash", String(64), nullable=False),
    Column("population", Json, nullable=False),  # entities, inspectors, history
    Column("plan", Json, nullable=False),  # shares, team size, assignments
    Column("created_at", UtcDateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    UniqueConstraint("period", "sector", "policy_code"),
)

inspection_assignment = Table(
    "inspection_assignment",
    metadata,
    Column("plan_id", Id, ForeignKey("inspection_plan.id"), primary_key=True),
    Column("entity_code", String(SUBJECT_CODE), primary_key=True),
    Column("inspector_id", String(CODE), primary_key=True),
)
Index("ix_inspection_assignment_inspector_id", inspection_assignment.c.inspector_id)

# 信用报告 (credit reports) issued from public information: what was issued,
# when, and the SHA-256 of the exact PDF bytes, so that ``/verify/{code}`` can
# confirm a report is genuine and unchanged. The report itself is not kept.
credit_report = Table(
    "credit_report",
    metadata,
    Column("verification_code", String(32), primary_key=True),
    Column("subject_code", String(SUBJECT_CODE), ForeignKey("subject.code"), nullable=False),
    Column("shown_code", String(SUBJECT_CODE), nullable=False),  # as printed: masked for a person
    Column("shown_name", String(300), nullable=False),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("locale", String(8), nullable=False),
    Column("policy_version", String(200), nullable=False),
    Column("pdf_sha256", String(64), nullable=False),
    Column("pages", Integer, nullable=False),
)
Index("ix_credit_report_subject_code", credit_report.c.subject_code)


# 异议 (objections): a subject disputes one record or one list entry. While
# open, the item is marked "under objection" everywhere it is shown or checked
# and triggers nothing new; the reporting department decides it by a deadline
# in working days. One open objection per item.
OBJECTION_TARGETS = ("record", "list_entry", "repair")
ONE_TARGET = (
    "(target = 'record' AND record_id IS NOT NULL AND record_version IS NOT NULL "
    "AND entry_id IS NULL AND repair_id IS NULL) OR (target = 'list_entry' AND entry_id "
    "IS NOT NULL AND record_id IS NULL AND repair_id IS NULL) OR (target = 'repair' AND "
    "repair_id IS NOT NULL AND record_id IS NULL AND entry_id IS NULL)"
)  # exactly the one item the target names
OBJECTION_STATES = ("open", "upheld", "corrected", "revoked")
objection = Table(
    "objection",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("jurisdiction", String(CODE), nullable=False),
    Column("subject_code", String(SUBJECT_CODE), ForeignKey("subject.code"), nullable=False),
    Column("target", String(16), nullable=False),
    Column("record_id", String(36), nullable=True),
    Column("record_version", Integer, nullable=True),  # the version objected to
    Column("entry_id", Id, ForeignKey("list_entry.id"), nullable=True),
    Column("repair_id", Id, ForeignKey("repair.id"), nullable=True),  # a refusal contested
    Column("department", String(CODE), nullable=False),  # who decides it
    Column("reasons", Text, nullable=False),
    Column("filed_by", String(200), nullable=False),
    Column("filed_at", UtcDateTime, nullable=False),
    Column("due_on", Date, nullable=False),  # last day to decide, extension included
    Column("due_provisional", Boolean, nullable=False, server_default=text("false")),
    Column("latest_on", Date, nullable=False),  # the longest extension's last day
    Column("extension_reason", Text, nullable=True),
    Column("state", String(16), nullable=False),
    Column("decision_reason", Text, nullable=True),
    Column("decided_by", String(200), nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("corrected_version", Integer, nullable=True),
    Column("escalated_at", UtcDateTime, nullable=True),  # overdue: handed to the operator
    _one_of("target", OBJECTION_TARGETS),
    _one_of("state", OBJECTION_STATES),
    CheckConstraint(ONE_TARGET, name="one_target"),
    CheckConstraint(
        "(state = 'open') = (decided_at IS NULL) AND (state = 'open' OR "
        "(decision_reason IS NOT NULL AND decided_by IS NOT NULL))",
        name="decided",
    ),
    CheckConstraint("due_on <= latest_on", name="due_within_latest"),
)
Index("ix_objection_subject_code", objection.c.subject_code)
Index("ix_objection_department_state", objection.c.department, objection.c.state)
Index(
    "uq_objection_open_record",
    objection.c.record_id,
    unique=True,
    sqlite_where=text("state = 'open' AND record_id IS NOT NULL"),
    postgresql_where=text("state = 'open' AND record_id IS NOT NULL"),
)
Index(
    "uq_objection_open_entry",
    objection.c.entry_id,
    unique=True,
    sqlite_where=text("state = 'open' AND entry_id IS NOT NULL"),
    postgresql_where=text("state = 'open' AND entry_id IS NOT NULL"),
)

# An objection's evidence (PDF, JPEG, PNG), kept in the store with the
# objection: one transaction, nothing half-filed. Never served with the
# filer's name or type: the type is the one its content was checked to be.
objection_attachment = Table(
    "objection_attachment",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("objection_id", Id, ForeignKey("objection.id"), nullable=False, index=True),
    Column("filename", String(200), nullable=False),
    Column("media_type", String(32), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
)

# 信用修复 (credit repair): a subject applies to end the publication and sharing
# of one negative record after its minimum period, with the two materials
# Order 36 allows: the obligations performed, and a commitment letter.
REPAIR_STATES = ("open", "approved", "refused")
repair = Table(
    "repair",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("jurisdiction", String(CODE), nullable=False),
    Column("subject_code", String(SUBJECT_CODE), ForeignKey("subject.code"), nullable=False),
    Column("record_id", String(36), nullable=False),
    Column("record_version", Integer, nullable=False),
    Column("department", String(CODE), nullable=False),
    Column("performed", Text, nullable=False),
    Column("commitment", Text, nullable=False),
    Column("filed_by", String(200), nullable=False),
    Column("filed_at", UtcDateTime, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("due_provisional", Boolean, nullable=False, server_default=text("false")),
    Column("state", String(16), nullable=False),
    Column("decision_reason", Text, nullable=True),
    Column("decided_by", String(200), nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
    _one_of("state", REPAIR_STATES),
    CheckConstraint(
        "(state = 'open') = (decided_at IS NULL) AND (state = 'open' OR "
        "(decision_reason IS NOT NULL AND decided_by IS NOT NULL))",
        name="decided",
    ),
)
Index("ix_repair_subject_code", repair.c.subject_code)
Index("ix_repair_department_state", repair.c.department, repair.c.state)
Index(
    "uq_repair_open_record",
    repair.c.record_id,
    unique=True,
    sqlite_where=text("state = 'open'"),
    postgresql_where=text("state = 'open'"),
)

# 授权 (consent): a subject lets one agency key query its authorised information
# for one purpose of the pack, until a day; revocable at once.
consent = Table(
    "consent",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("subject_code", String(SUBJECT_CODE), ForeignKey("subject.code"), nullable=False),
    Column("agency", String(200), nullable=False),  # key:<prefix>
    Column("agency_name", String(200), nullable=False),
    Column("purpose", String(CODE), nullable=False),
    Column("granted_by", String(200), nullable=False),
    Column("granted_at", UtcDateTime, nullable=False),
    Column("valid_until", Date, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("revoked_by", String(200), nullable=True),
    CheckConstraint("(revoked_at IS NULL) = (revoked_by IS NULL)", name="revoked"),
)
Index("ix_consent_subject_code", consent.c.subject_code)

# A subject's own portal account (a person, or a company's authorised agent):
# the Argon2id hash of its password, never the password; lock-out state.
subject_account = Table(
    "subject_account",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("subject_code", String(SUBJECT_CODE), ForeignKey("subject.code"), nullable=False),
    Column("login", String(100), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("agent", String(100), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("failures", Integer, nullable=False, server_default=text("0")),
    Column("locked_until", UtcDateTime, nullable=True),
    Column("last_sign_in_at", UtcDateTime, nullable=True),
)
Index("ix_subject_account_subject_code", subject_account.c.subject_code)

# An account's identity at an OpenID Connect provider: the provider's issuer
# and its ``sub`` claim, linked by the operator; a sign-in through the
# provider finds the account by this pair and by nothing else.
account_link = Table(
    "account_link",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", Id, ForeignKey("subject_account.id"), nullable=False),
    Column("issuer", String(300), nullable=False),
    Column("subject", String(255), nullable=False),
    Column("linked_at", UtcDateTime, nullable=False),
    UniqueConstraint("issuer", "subject"),
)
Index("ix_account_link_account_id", account_link.c.account_id)

# Every portal session, so that signing out ends it on the server: a signed
# cookie alone would stay good until it timed out. ``principal`` is the
# account's login (a subject) or the API key's prefix (a desk).
portal_session = Table(
    "portal_session",
    metadata,
    Column("sid", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),  # subject | desk
    Column("principal", String(100), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime, nullable=True),
)
Index("ix_portal_session_principal", portal_session.c.principal)

# Notifications to a subject (an objection decided, a repair decided) and to
# agencies that received a record (a repair), each acknowledged or retried.
notification = Table(
    "notification",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("recipient", String(200), nullable=False),  # subject:<code> or agency:<name>
    Column("subject_code", String(SUBJECT_CODE), ForeignKey("subject.code"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("target", String(200), nullable=False),  # objection:<id>, repair:<id>
    Column("detail", Json, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("last_attempt_at", UtcDateTime, nullable=True),
    Column("acknowledged_at", UtcDateTime, nullable=True),
)
Index("ix_notification_subject_code", notification.c.subject_code)
Index("ix_notification_recipient", notification.c.recipient)

# The name-search structures of migrations 0005 and 0007, specific to each
# database and so outside ``metadata``: an FTS5 trigram table (and its shadow
# tables) on SQLite, a table of ids and names with a pg_trgm GIN index on
# PostgreSQL (0005's index on ``subject`` before 0007). Legal persons only.
SEARCH_TABLE = "subject_name_search"
SEARCH_TABLES = frozenset(
    {
        SEARCH_TABLE,
        *(f"{SEARCH_TABLE}_{s}" for s in ("data", "idx", "content", "docsize", "config")),
    }
)
SEARCH_INDEXES = frozenset({"ix_subject_name_trgm", "ix_subject_name_search_trgm"})
