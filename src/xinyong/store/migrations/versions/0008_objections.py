"""Objections (异议): the objection, its attachments, notifications, entries under objection.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

Written by hand in plain SQLAlchemy types, like 0001 (first drafted by
Alembic's comparison against ``tables.metadata``, which the migration test
holds equal). Never edit it after release; add a revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_index(
        "ix_list_entry_objection_open",
        "list_entry",
        ["jurisdiction"],
        unique=False,
        sqlite_where=sa.text("objection_open = 1"),
        postgresql_where=sa.text("objection_open"),
    )
    op.create_table(
        "notification",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("subject_code", sa.String(length=18), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("detail", JSON, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_attempt_at", WHEN, nullable=True),
        sa.Column("acknowledged_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_code"], ["subject.code"], name=op.f("fk_notification_subject_code_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    op.create_index("ix_notification_recipient", "notification", ["recipient"], unique=False)
    op.create_index("ix_notification_subject_code", "notification", ["subject_code"], unique=False)
    op.create_table(
        "objection",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("jurisdiction", sa.String(length=64), nullable=False),
        sa.Column("subject_code", sa.String(length=18), nullable=False),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=True),
        sa.Column("record_version", sa.Integer(), nullable=True),
        sa.Column("entry_id", ID, nullable=True),
        sa.Column("department", sa.String(length=64), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("filed_by", sa.String(length=200), nullable=False),
        sa.Column("filed_at", WHEN, nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("due_provisional", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("latest_on", sa.Date(), nullable=False),
        sa.Column("extension_reason", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", WHEN, nullable=True),
        sa.Column("corrected_version", sa.Integer(), nullable=True),
        sa.Column("escalated_at", WHEN, nullable=True),
        sa.CheckConstraint(
            "(state = 'open') = (decided_at IS NULL) AND (state = 'open' OR (decision_reason IS NOT NULL AND decided_by IS NOT NULL))",
            name=op.f("ck_objection_decided"),
        ),
        sa.CheckConstraint(
            "(target = 'record' AND record_id IS NOT NULL AND record_version IS NOT NULL AND entry_id IS NULL) OR (target = 'list_entry' AND entry_id IS NOT NULL AND record_id IS NULL)",
            name=op.f("ck_objection_one_target"),
        ),
        sa.CheckConstraint(
            "state IN ('open', 'upheld', 'corrected', 'revoked')", name=op.f("ck_objection_state")
        ),
        sa.CheckConstraint("target IN ('record', 'list_entry')", name=op.f("ck_objection_target")),
        sa.CheckConstraint("due_on <= latest_on", name=op.f("ck_objection_due_within_latest")),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["list_entry.id"], name=op.f("fk_objection_entry_id_list_entry")
        ),
        sa.ForeignKeyConstraint(
            ["subject_code"], ["subject.code"], name=op.f("fk_objection_subject_code_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection")),
    )
    op.create_index(
        "ix_objection_department_state", "objection", ["department", "state"], unique=False
    )
    op.create_index("ix_objection_subject_code", "objection", ["subject_code"], unique=False)
    op.create_index(
        "uq_objection_open_entry",
        "objection",
        ["entry_id"],
        unique=True,
        sqlite_where=sa.text("state = 'open' AND entry_id IS NOT NULL"),
        postgresql_where=sa.text("state = 'open' AND entry_id IS NOT NULL"),
    )
    op.create_index(
        "uq_objection_open_record",
        "objection",
        ["record_id"],
        unique=True,
        sqlite_where=sa.text("state = 'open' AND record_id IS NOT NULL"),
        postgresql_where=sa.text("state = 'open' AND record_id IS NOT NULL"),
    )
    op.create_table(
        "objection_attachment",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("objection_id", ID, nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["objection_id"],
            ["objection.id"],
            name=op.f("fk_objection_attachment_objection_id_objection"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection_attachment")),
    )
    op.create_index(
        op.f("ix_objection_attachment_objection_id"),
        "objection_attachment",
        ["objection_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_list_entry_objection_open", table_name="list_entry")
    op.drop_index(op.f("ix_objection_attachment_objection_id"), table_name="objection_attachment")
    op.drop_table("objection_attachment")
    op.drop_index(
        "uq_objection_open_record",
        table_name="objection",
        sqlite_where=sa.text("state = 'open' AND record_id IS NOT NULL"),
        postgresql_where=sa.text("state = 'open' AND record_id IS NOT NULL"),
    )
    op.drop_index(
        "uq_objection_open_entry",
        table_name="objection",
        sqlite_where=sa.text("state = 'open' AND entry_id IS NOT NULL"),
        postgresql_where=sa.text("state = 'open' AND entry_id IS NOT NULL"),
    )
    op.drop_index("ix_objection_subject_code", table_name="objection")
    op.drop_index("ix_objection_department_state", table_name="objection")
    op.drop_table("objection")
    op.drop_index("ix_notification_subject_code", table_name="notification")
    op.drop_index("ix_notification_recipient", table_name="notification")
    op.drop_table("notification")
