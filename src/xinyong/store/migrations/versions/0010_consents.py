"""Consent (授权) to authorised queries.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

Written by hand in plain SQLAlchemy types, like 0001 (first drafted by
Alembic's comparison against ``tables.metadata``, which the migration test
holds equal). Never edit it after release; add a revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "consent",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("subject_code", sa.String(length=18), nullable=False),
        sa.Column("agency", sa.String(length=200), nullable=False),
        sa.Column("agency_name", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("granted_by", sa.String(length=200), nullable=False),
        sa.Column("granted_at", WHEN, nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("revoked_at", WHEN, nullable=True),
        sa.Column("revoked_by", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "(revoked_at IS NULL) = (revoked_by IS NULL)", name=op.f("ck_consent_revoked")
        ),
        sa.ForeignKeyConstraint(
            ["subject_code"], ["subject.code"], name=op.f("fk_consent_subject_code_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent")),
    )
    op.create_index("ix_consent_subject_code", "consent", ["subject_code"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_consent_subject_code", table_name="consent")
    op.drop_table("consent")
