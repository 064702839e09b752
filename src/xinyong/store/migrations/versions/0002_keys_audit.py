"""API keys, the hash-chained audit log; a batch's mapping and revocation count.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

Written by hand in plain SQLAlchemy types, like 0001. Never edit it after
release; add a revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
CODE = sa.String(length=64)


def upgrade() -> None:
    with op.batch_alter_table("batch") as batch:
        batch.add_column(sa.Column("mapping", CODE, nullable=True))
        batch.add_column(sa.Column("revocations", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "api_key",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("secret_sha256", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("department", CODE, nullable=True),
        sa.Column("jurisdiction", CODE, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "role IN ('operator', 'department', 'checker', 'agency', 'public')",
            name=op.f("ck_api_key_role"),
        ),
        sa.CheckConstraint(
            "(role = 'department') = (department IS NOT NULL AND jurisdiction IS NOT NULL)",
            name=op.f("ck_api_key_scope"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_key")),
        sa.UniqueConstraint("prefix", name=op.f("uq_api_key_prefix")),
        sa.UniqueConstraint("secret_sha256", name=op.f("uq_api_key_secret_sha256")),
    )
    op.create_table(
        "audit_event",
        sa.Column("seq", ID, autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.Column("detail", JSON, nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("seq >= 1", name=op.f("ck_audit_event_seq")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_event")),
    )
    op.create_index("ix_audit_event_target", "audit_event", ["target"])


def downgrade() -> None:
    op.drop_table("audit_event")
    op.drop_table("api_key")
    with op.batch_alter_table("batch") as batch:
        batch.drop_column("revocations")
        batch.drop_column("mapping")
