"""trust: server-side sessions, named expiring API tokens, a reference counter, the basis for
sharing a case, an index on the audit log's action

Revision ID: 0007_trust_a
Revises: 0004
Create Date: 2026-12-02 07:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_trust_a"
down_revision = "0008_accounts"
branch_labels = None
depends_on = None


def _enum(*values, name):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_user_sessions_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_user_sessions_key_hash")),
    )
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_sessions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "reference_counters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_reference_counters")),
    )
    # Carry on from the references already issued (NWG-2026-0003 -> 2026: 3).
    conn = op.get_bind()
    last: dict[int, int] = {}
    for (reference,) in conn.execute(sa.text("SELECT reference FROM cases")):
        parts = (reference or "").split("-")
        if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
            year, number = int(parts[1]), int(parts[2])
            last[year] = max(last.get(year, 0), number)
    for year, number in sorted(last.items()):
        conn.execute(sa.text("INSERT INTO reference_counters (year, last) VALUES (:y, :n)"),
                     {"y": year, "n": number})

    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name", sa.String(length=100), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.alter_column("name", server_default=None)

    op.create_table(
        "case_bases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("toestemming", "wettelijke_grond", name="basis_kind"),
                  nullable=False),
        sa.Column("consent_given_on", sa.Date(), nullable=True),
        sa.Column("consent_scope", sa.Text(), nullable=False),
        sa.Column("legal_ground", _enum("meldcode", "jeugdwet", "wmo", "wvggz", "veilig_thuis",
                                        "noodtoestand", name="legal_ground"), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(kind = 'toestemming' AND consent_given_on IS NOT NULL) OR "
            "(kind = 'wettelijke_grond' AND legal_ground IS NOT NULL)",
            name=op.f("ck_case_bases_basis_complete")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"],
                                name=op.f("fk_case_bases_case_id_cases"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"],
                                name=op.f("fk_case_bases_recorded_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_bases")),
    )
    with op.batch_alter_table("case_bases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_bases_case_id"), ["case_id"], unique=False)

    with op.batch_alter_table("case_involvements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("basis_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_case_involvements_basis_id"), ["basis_id"],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_case_involvements_basis_id_case_bases"),
                                    "case_bases", ["basis_id"], ["id"], ondelete="CASCADE")

    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_action"), ["action"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_action"))
    with op.batch_alter_table("case_involvements", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_case_involvements_basis_id_case_bases"),
                                 type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_case_involvements_basis_id"))
        batch_op.drop_column("basis_id")
    with op.batch_alter_table("case_bases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_bases_case_id"))
    op.drop_table("case_bases")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
        batch_op.drop_column("name")
    op.drop_table("reference_counters")
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_sessions_user_id"))
    op.drop_table("user_sessions")
