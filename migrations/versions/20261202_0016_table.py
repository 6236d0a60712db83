"""table: stored node positions per area, and a data-version counter kept by triggers

Revision ID: 0016_table
Revises: 0011_favourites (given: 0007_trust_a; main already has 0011 on it)
Create Date: 2026-12-02 17:30:00

``node_positions`` keeps the layout of an area's map (netwerk/network/positions.py).
``data_versions`` holds the counter ``network``: every insert, update or delete on a table a
network map is built from raises it (SQLite: a row trigger; PostgreSQL: one statement trigger,
so a bulk import raises it once per statement), so a warm map checks one row instead of
fingerprinting the area's ties.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_table"
down_revision = "0011_favourites"
branch_labels = None
depends_on = None

# What a map, its analysis, its missing partners or the table's data are built from.
WATCHED = (
    "ties", "work_sessions", "attendances", "invitations", "professionals", "organisations",
    "professional_areas", "professional_domains", "services", "service_areas",
    "service_domains", "areas", "area_sector_checklist",
)
BUMP = ("INSERT {ignore} INTO data_versions (name, version) VALUES ('network', 0){conflict}; "
        "UPDATE data_versions SET version = version + 1 WHERE name = 'network';")


def upgrade() -> None:
    op.create_table(
        "node_positions",
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("node_key", sa.String(length=24), nullable=False),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"],
                                name=op.f("fk_node_positions_area_id_areas"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("area_id", "node_key", name=op.f("pk_node_positions")),
    )
    op.create_table(
        "data_versions",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_data_versions")),
    )
    op.execute("INSERT INTO data_versions (name, version) VALUES ('network', 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION netwerk_bump_data_version() RETURNS trigger AS $$ BEGIN "
            + BUMP.format(ignore="", conflict=" ON CONFLICT (name) DO NOTHING")
            + " RETURN NULL; END $$ LANGUAGE plpgsql")
        for table in WATCHED:
            op.execute(f"CREATE TRIGGER data_version_{table} AFTER INSERT OR UPDATE OR DELETE "
                       f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION "
                       "netwerk_bump_data_version()")
    else:
        body = BUMP.format(ignore="OR IGNORE", conflict="")
        for table in WATCHED:
            for event in ("INSERT", "UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER data_version_{table}_{event.lower()} AFTER {event} "
                           f"ON {table} BEGIN {body} END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS data_version_{table} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS netwerk_bump_data_version()")
    else:
        for table in WATCHED:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS data_version_{table}_{event}")
    op.drop_table("data_versions")
    op.drop_table("node_positions")
