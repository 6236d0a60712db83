"""matching rules: may_coordinate per organisation and per person, a case's opposing parties,
an opposing party's explicit admission to a case

Revision ID: 0005_matching_rules
Revises: 0004
Create Date: 2026-12-02 07:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_matching_rules"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("may_coordinate", sa.Boolean(), nullable=True))
    with op.batch_alter_table("professionals") as batch:
        batch.add_column(sa.Column("may_coordinate", sa.Boolean(), nullable=True))
    with op.batch_alter_table("case_involvements") as batch:
        batch.add_column(sa.Column("opposing_admitted", sa.Boolean(), nullable=False,
                                   server_default="0"))
    op.create_table(
        "case_opposing",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"],
                                name=op.f("fk_case_opposing_case_id_cases"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_case_opposing_organisation_id_organisations"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_id", "organisation_id", name=op.f("pk_case_opposing")),
    )
    op.create_index(op.f("ix_case_opposing_organisation_id"), "case_opposing",
                    ["organisation_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_case_opposing_organisation_id"), table_name="case_opposing")
    op.drop_table("case_opposing")
    with op.batch_alter_table("case_involvements") as batch:
        batch.drop_column("opposing_admitted")
    with op.batch_alter_table("professionals") as batch:
        batch.drop_column("may_coordinate")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("may_coordinate")
