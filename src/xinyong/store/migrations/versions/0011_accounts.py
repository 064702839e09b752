"""Subjects' own portal accounts (sign-in).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

Written by hand in plain SQLAlchemy types, like 0001 (first drafted by
Alembic's comparison against ``tables.metadata``, which the migration test
holds equal). Never edit it after release; add a revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "subject_account",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("subject_code", sa.String(length=18), nullable=False),
        sa.Column("login", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("agent", sa.String(length=100), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("failures", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("locked_until", WHEN, nullable=True),
        sa.Column("last_sign_in_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_code"], ["subject.code"], name=op.f("fk_subject_account_subject_code_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_account")),
        sa.UniqueConstraint("login", name=op.f("uq_subject_account_login")),
    )
    op.create_index(
        "ix_subject_account_subject_code", "subject_account", ["subject_code"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_subject_account_subject_code", table_name="subject_account")
    op.drop_table("subject_account")
