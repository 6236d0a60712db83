"""reports: "klopt niet" on a person or organisation, open until its owner checks it

Revision ID: 0018_reports
Revises: 0014_search
Create Date: 2026-12-02 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_reports"
down_revision = "0014_search"
branch_labels = None
depends_on = None

OPEN_PROFESSIONAL = "resolved_at IS NULL AND professional_id IS NOT NULL"
OPEN_ORGANISATION = "resolved_at IS NULL AND organisation_id IS NOT NULL"


def upgrade() -> None:
    op.create_table(
        "record_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("professional_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Enum("nummer_werkt_niet", "werkt_hier_niet_meer",
                                    "andere_functie", "anders", name="report_reason",
                                    native_enum=False, create_constraint=True, length=32),
                  nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolution", sa.Enum("klopt_toch", "aangepast", name="report_resolution",
                                        native_enum=False, create_constraint=True, length=32),
                  nullable=True),
        sa.CheckConstraint("(professional_id IS NULL) <> (organisation_id IS NULL)",
                           name=op.f("ck_record_reports_one_record")),
        sa.ForeignKeyConstraint(["professional_id"], ["professionals.id"],
                                name=op.f("fk_record_reports_professional_id_professionals"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_record_reports_organisation_id_organisations"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reporter_id"], ["users.id"],
                                name=op.f("fk_record_reports_reporter_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["resolved_by_id"], ["users.id"],
                                name=op.f("fk_record_reports_resolved_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_reports")),
    )
    with op.batch_alter_table("record_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_reports_professional_id"),
                              ["professional_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_record_reports_organisation_id"),
                              ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_record_reports_reporter_id"), ["reporter_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_record_reports_created_at"), ["created_at"],
                              unique=False)
        batch_op.create_index("ix_record_reports_open_per_reporter_professional",
                              ["reporter_id", "professional_id"], unique=True,
                              sqlite_where=sa.text(OPEN_PROFESSIONAL),
                              postgresql_where=sa.text(OPEN_PROFESSIONAL))
        batch_op.create_index("ix_record_reports_open_per_reporter_organisation",
                              ["reporter_id", "organisation_id"], unique=True,
                              sqlite_where=sa.text(OPEN_ORGANISATION),
                              postgresql_where=sa.text(OPEN_ORGANISATION))


def downgrade() -> None:
    with op.batch_alter_table("record_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_record_reports_open_per_reporter_organisation")
        batch_op.drop_index("ix_record_reports_open_per_reporter_professional")
        batch_op.drop_index(batch_op.f("ix_record_reports_created_at"))
        batch_op.drop_index(batch_op.f("ix_record_reports_reporter_id"))
        batch_op.drop_index(batch_op.f("ix_record_reports_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_record_reports_professional_id"))
    op.drop_table("record_reports")
