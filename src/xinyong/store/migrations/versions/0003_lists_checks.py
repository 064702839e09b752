"""List entries with their transitions and notices, provisional record links, checks.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Written by hand in plain SQLAlchemy types, like 0001. Never edit it after
release; add a revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
CODE = sa.String(length=64)
SUBJECT = sa.String(length=18)
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "record_link",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("subject_code", SUBJECT, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("decided_at", WHEN, nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "status IN ('provisional', 'confirmed')", name=op.f("ck_record_link_status")
        ),
        sa.ForeignKeyConstraint(
            ["subject_code"], ["subject.code"], name=op.f("fk_record_link_subject_code_subject")
        ),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_record_link")),
    )
    _list_tables()
    _check_tables()


def _list_tables() -> None:
    op.create_table(
        "list_entry",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("jurisdiction", CODE, nullable=False),
        sa.Column("list_code", CODE, nullable=False),
        sa.Column("subject_code", SUBJECT, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("basis", JSON, nullable=False),
        sa.Column("policy_version", sa.String(length=200), nullable=False),
        sa.Column("proposed_at", WHEN, nullable=False),
        sa.Column("notified_at", WHEN, nullable=True),
        sa.Column("objection_until", sa.Date(), nullable=True),
        sa.Column(
            "deadline_provisional", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.Column("objection_open", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("listed_on", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("removed_at", WHEN, nullable=True),
        sa.Column("removal", sa.String(length=16), nullable=True),
        sa.Column("changed_at", WHEN, nullable=False),
        sa.CheckConstraint(
            "state IN ('proposed', 'notified', 'listed', 'removed')",
            name=op.f("ck_list_entry_state"),
        ),
        sa.CheckConstraint(
            "removal IS NULL OR removal IN ('expired', 'repaired', 'basis_revoked', 'decision')",
            name=op.f("ck_list_entry_removal"),
        ),
        sa.CheckConstraint(
            "state != 'listed' OR (notified_at IS NOT NULL AND objection_until IS NOT NULL "
            "AND listed_on IS NOT NULL AND listed_on > objection_until)",
            name=op.f("ck_list_entry_listed_after_notice"),
        ),
        sa.CheckConstraint(
            "(state = 'removed') = (removal IS NOT NULL)", name=op.f("ck_list_entry_removed")
        ),
        sa.ForeignKeyConstraint(
            ["subject_code"], ["subject.code"], name=op.f("fk_list_entry_subject_code_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_entry")),
    )
    op.create_index("ix_list_entry_subject_code", "list_entry", ["subject_code"])
    op.create_index("ix_list_entry_changed_at", "list_entry", ["changed_at"])
    op.create_index(
        "uq_list_entry_open",
        "list_entry",
        ["jurisdiction", "list_code", "subject_code"],
        unique=True,
        sqlite_where=sa.text("state != 'removed'"),
        postgresql_where=sa.text("state != 'removed'"),
    )
    op.create_table(
        "list_transition",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("entry_id", ID, nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["list_entry.id"], name=op.f("fk_list_transition_entry_id_list_entry")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_transition")),
    )
    op.create_index("ix_list_transition_entry_id", "list_transition", ["entry_id"])
    op.create_table(
        "list_notice",
        sa.Column("entry_id", ID, nullable=False),
        sa.Column("issued_at", WHEN, nullable=False),
        sa.Column("objection_until", sa.Date(), nullable=False),
        sa.Column("text_zh", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["list_entry.id"], name=op.f("fk_list_notice_entry_id_list_entry")
        ),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_list_notice")),
    )


def _check_tables() -> None:
    op.create_table(
        "check_event",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("department", CODE, nullable=True),
        sa.Column("subject_code", SUBJECT, nullable=False),
        sa.Column("matter", CODE, nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("measures", JSON, nullable=False),
        sa.Column("policy_version", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('proceed', 'restrict', 'favour')", name=op.f("ck_check_event_outcome")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_event")),
    )
    op.create_index("ix_check_event_subject_code", "check_event", ["subject_code"])
    op.create_table(
        "check_feedback",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("check_id", sa.String(length=32), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["check_id"], ["check_event.id"], name=op.f("fk_check_feedback_check_id_check_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_feedback")),
    )
    op.create_index("ix_check_feedback_check_id", "check_feedback", ["check_id"])


def downgrade() -> None:
    op.drop_table("check_feedback")
    op.drop_table("check_event")
    op.drop_table("list_notice")
    op.drop_table("list_transition")
    op.drop_table("list_entry")
    op.drop_table("record_link")
