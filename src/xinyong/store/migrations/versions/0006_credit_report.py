"""Credit reports issued, for their verification.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Written by hand in plain SQLAlchemy types, like 0001. Never edit it after
release; add a revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "credit_report",
        sa.Column("verification_code", sa.String(length=32), nullable=False),
        sa.Column("subject_code", sa.String(length=18), nullable=False),
        sa.Column("shown_code", sa.String(length=18), nullable=False),
        sa.Column("shown_name", sa.String(length=300), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("policy_version", sa.String(length=200), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_code"], ["subject.code"], name=op.f("fk_credit_report_subject_code_subject")
        ),
        sa.PrimaryKeyConstraint("verification_code", name=op.f("pk_credit_report")),
    )
    op.create_index("ix_credit_report_subject_code", "credit_report", ["subject_code"])


def downgrade() -> None:
    op.drop_table("credit_report")
