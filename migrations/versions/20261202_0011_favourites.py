"""favourites: a user's favourite professionals

Revision ID: 0011_favourites
Revises: 0007_trust_a
Create Date: 2026-12-02 17:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_favourites"
down_revision = "0007_trust_a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "favourites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("professional_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_favourites_user_id_users"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["professional_id"], ["professionals.id"],
                                name=op.f("fk_favourites_professional_id_professionals"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_favourites")),
        sa.UniqueConstraint("user_id", "professional_id",
                            name=op.f("uq_favourites_user_id_professional_id")),
    )
    with op.batch_alter_table("favourites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_favourites_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_favourites_professional_id"), ["professional_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("favourites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_favourites_professional_id"))
        batch_op.drop_index(batch_op.f("ix_favourites_user_id"))
    op.drop_table("favourites")
