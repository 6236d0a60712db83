"""professionals.version: the edit form carries it, a stale save is refused

Revision ID: 0010_trust_b
Revises: 0004
Create Date: 2026-12-02 07:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_trust_b"
down_revision = "0005_matching_rules"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("professionals") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("professionals") as batch:
        batch.drop_column("version")
