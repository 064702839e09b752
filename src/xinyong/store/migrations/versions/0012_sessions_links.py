"""Portal sessions kept on the server (sign-out ends them), and accounts linked to an OpenID provider.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

Written by hand in plain SQLAlchemy types, like 0001 (first drafted by
Alembic's comparison against ``tables.metadata``, which the migration test
holds equal). Never edit it after release; add a revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "portal_session",
        sa.Column("sid", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("principal", sa.String(length=100), nullable=False),
        sa.Column("started_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("ended_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("sid", name=op.f("pk_portal_session")),
    )
    op.create_index("ix_portal_session_principal", "portal_session", ["principal"], unique=False)
    op.create_table(
        "account_link",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("issuer", sa.String(length=300), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("linked_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["subject_account.id"],
            name=op.f("fk_account_link_account_id_subject_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_link")),
        sa.UniqueConstraint("issuer", "subject", name=op.f("uq_account_link_issuer_subject")),
    )
    op.create_index("ix_account_link_account_id", "account_link", ["account_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_account_link_account_id", table_name="account_link")
    op.drop_table("account_link")
    op.drop_index("ix_portal_session_principal", table_name="portal_session")
    op.drop_table("portal_session")
