"""Credit repair (信用修复): the application and its decision.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

Written by hand in plain SQLAlchemy types, like 0001 (first drafted by
Alembic's comparison against ``tables.metadata``, which the migration test
holds equal). Never edit it after release; add a revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "repair",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("jurisdiction", sa.String(length=64), nullable=False),
        sa.Column("subject_code", sa.String(length=18), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=64), nullable=False),
        sa.Column("performed", sa.Text(), nullable=False),
        sa.Column("commitment", sa.Text(), nullable=False),
        sa.Column("filed_by", sa.String(length=200), nullable=False),
        sa.Column("filed_at", WHEN, nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("due_provisional", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", WHEN, nullable=True),
        sa.CheckConstraint(
            "(state = 'open') = (decided_at IS NULL) AND (state = 'open' OR (decision_reason IS NOT NULL AND decided_by IS NOT NULL))",
            name=op.f("ck_repair_decided"),
        ),
        sa.CheckConstraint(
            "state IN ('open', 'approved', 'refused')", name=op.f("ck_repair_state")
        ),
        sa.ForeignKeyConstraint(
            ["subject_code"], ["subject.code"], name=op.f("fk_repair_subject_code_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repair")),
    )
    op.create_index("ix_repair_department_state", "repair", ["department", "state"], unique=False)
    op.create_index("ix_repair_subject_code", "repair", ["subject_code"], unique=False)
    op.create_index(
        "uq_repair_open_record",
        "repair",
        ["record_id"],
        unique=True,
        sqlite_where=sa.text("state = 'open'"),
        postgresql_where=sa.text("state = 'open'"),
    )


def downgrade() -> None:
    op.drop_index(
        "uq_repair_open_record",
        table_name="repair",
        sqlite_where=sa.text("state = 'open'"),
        postgresql_where=sa.text("state = 'open'"),
    )
    op.drop_index("ix_repair_subject_code", table_name="repair")
    op.drop_index("ix_repair_department_state", table_name="repair")
    op.drop_table("repair")
