"""home: the profiles a user recently opened

Revision ID: 0015_home
Revises: 0011_favourites
Create Date: 2026-12-02 17:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_home"
down_revision = "0016_table"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "recently_opened",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("professional_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_recently_opened_user_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["professional_id"], ["professionals.id"],
                                name=op.f("fk_recently_opened_professional_id_professionals"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recently_opened")),
        sa.UniqueConstraint("user_id", "professional_id",
                            name=op.f("uq_recently_opened_user_id_professional_id")),
    )
    with op.batch_alter_table("recently_opened", schema=None) as batch_op:
        batch_op.create_index("ix_recently_opened_user_id_opened_at", ["user_id", "opened_at"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_recently_opened_professional_id"),
                              ["professional_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("recently_opened", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recently_opened_professional_id"))
        batch_op.drop_index("ix_recently_opened_user_id_opened_at")
    op.drop_table("recently_opened")
