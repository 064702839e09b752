"""An objection may contest a repair's refusal: objection.repair_id, and the target constraints.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01

Written by hand. SQLite cannot alter a CHECK constraint, so the table is
rebuilt in Alembic's batch mode (copied, with its rows, into the new shape);
PostgreSQL alters it in place. Never edit it after release; add a revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ONE_TARGET_BEFORE = (
    "(target = 'record' AND record_id IS NOT NULL AND record_version IS NOT NULL AND entry_id "
    "IS NULL) OR (target = 'list_entry' AND entry_id IS NOT NULL AND record_id IS NULL)"
)
ONE_TARGET = (
    "(target = 'record' AND record_id IS NOT NULL AND record_version IS NOT NULL "
    "AND entry_id IS NULL AND repair_id IS NULL) OR (target = 'list_entry' AND entry_id "
    "IS NOT NULL AND record_id IS NULL AND repair_id IS NULL) OR (target = 'repair' AND "
    "repair_id IS NOT NULL AND record_id IS NULL AND entry_id IS NULL)"
)


def upgrade() -> None:
    with op.batch_alter_table("objection", recreate="auto") as batch:
        batch.add_column(sa.Column("repair_id", ID, nullable=True))
        batch.create_foreign_key(
            op.f("fk_objection_repair_id_repair"), "repair", ["repair_id"], ["id"]
        )
        batch.drop_constraint(op.f("ck_objection_one_target"), type_="check")
        batch.drop_constraint(op.f("ck_objection_target"), type_="check")
        batch.create_check_constraint(op.f("ck_objection_one_target"), ONE_TARGET)
        batch.create_check_constraint(
            op.f("ck_objection_target"), "target IN ('record', 'list_entry', 'repair')"
        )


def downgrade() -> None:
    op.execute("DELETE FROM objection_attachment WHERE objection_id IN "
               "(SELECT id FROM objection WHERE target = 'repair')")  # fmt: skip
    op.execute("DELETE FROM objection WHERE target = 'repair'")
    with op.batch_alter_table("objection", recreate="auto") as batch:
        batch.drop_constraint(op.f("ck_objection_target"), type_="check")
        batch.drop_constraint(op.f("ck_objection_one_target"), type_="check")
        batch.create_check_constraint(
            op.f("ck_objection_target"), "target IN ('record', 'list_entry')"
        )
        batch.create_check_constraint(op.f("ck_objection_one_target"), ONE_TARGET_BEFORE)
        batch.drop_constraint(op.f("fk_objection_repair_id_repair"), type_="foreignkey")
        batch.drop_column("repair_id")
