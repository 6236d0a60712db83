"""network: index the area side of professional_areas and service_areas

The network of an area starts from the people placed in it and the organisations serving it;
without these indexes every such query scans the whole membership table (200,000 rows at
national scale).

Revision ID: 0002_network
Revises: 0001
Create Date: 2026-11-26 04:45:00
"""

from __future__ import annotations

from alembic import op

revision = "0002_network"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("professional_areas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_professional_areas_area_id"), ["area_id"],
                              unique=False)
    with op.batch_alter_table("service_areas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_areas_area_id"), ["area_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("service_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_areas_area_id"))
    with op.batch_alter_table("professional_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_professional_areas_area_id"))
