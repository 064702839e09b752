"""Evaluation runs and results; inspectors, inspection plans and their assignments.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Written by hand in plain SQLAlchemy types, like 0001. Never edit it after
release; add a revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
CODE = sa.String(length=64)
SUBJECT = sa.String(length=18)
WHEN = sa.DateTime(timezone=True)
ENGINES = "engine IN ('duckdb', 'spark')"


def upgrade() -> None:
    op.create_table(
        "evaluation_run",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("model_code", CODE, nullable=False),
        sa.Column("policy_version", sa.String(length=200), nullable=False),
        sa.Column("engine", sa.String(length=16), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("snapshot_sha256", sa.String(length=64), nullable=False),
        sa.Column("subjects", sa.Integer(), nullable=False),
        sa.Column("distribution", JSON, nullable=False),
        sa.Column("started_at", WHEN, nullable=False),
        sa.Column("finished_at", WHEN, nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.CheckConstraint(ENGINES, name=op.f("ck_evaluation_run_engine")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_run")),
    )
    op.create_table(
        "evaluation",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("run_id", ID, nullable=True),
        sa.Column("subject_code", SUBJECT, nullable=False),
        sa.Column("model_code", CODE, nullable=False),
        sa.Column("policy_version", sa.String(length=200), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("grade", sa.String(length=16), nullable=False),
        sa.Column("inputs_hash", sa.String(length=64), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("engine", sa.String(length=16), nullable=False),
        sa.Column("computed_at", WHEN, nullable=False),
        sa.CheckConstraint(ENGINES, name=op.f("ck_evaluation_engine")),
        sa.ForeignKeyConstraint(
            ["run_id"], ["evaluation_run.id"], name=op.f("fk_evaluation_run_id_evaluation_run")
        ),
        sa.ForeignKeyConstraint(
            ["subject_code"], ["subject.code"], name=op.f("fk_evaluation_subject_code_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation")),
    )
    op.create_index(op.f("ix_evaluation_run_id"), "evaluation", ["run_id"])
    op.create_index(
        "ix_evaluation_subject_code_model_code", "evaluation", ["subject_code", "model_code"]
    )
    op.create_table(
        "inspector",
        sa.Column("id", CODE, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("department", CODE, nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspector")),
    )
    op.create_table(
        "inspection_plan",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("sector", CODE, nullable=False),
        sa.Column("policy_code", CODE, nullable=False),
        sa.Column("policy_version", sa.String(length=200), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("population_hash", sa.String(length=64), nullable=False),
        sa.Column("population", JSON, nullable=False),
        sa.Column("plan", JSON, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_plan")),
        sa.UniqueConstraint(
            "period",
            "sector",
            "policy_code",
            name=op.f("uq_inspection_plan_period_sector_policy_code"),
        ),
    )
    op.create_table(
        "inspection_assignment",
        sa.Column("plan_id", ID, nullable=False),
        sa.Column("entity_code", SUBJECT, nullable=False),
        sa.Column("inspector_id", CODE, nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["inspection_plan.id"],
            name=op.f("fk_inspection_assignment_plan_id_inspection_plan"),
        ),
        sa.PrimaryKeyConstraint(
            "plan_id", "entity_code", "inspector_id", name=op.f("pk_inspection_assignment")
        ),
    )
    op.create_index(
        "ix_inspection_assignment_inspector_id", "inspection_assignment", ["inspector_id"]
    )


def downgrade() -> None:
    op.drop_table("inspection_assignment")
    op.drop_table("inspection_plan")
    op.drop_table("inspector")
    op.drop_table("evaluation")
    op.drop_table("evaluation_run")
