"""indexes for lookups by area and domain

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 04:37:35.570863
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("professional_areas", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_professional_areas_area_id"), ["area_id"], unique=False
        )

    with op.batch_alter_table("professional_domains", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_professional_domains_domain_id"), ["domain_id"], unique=False
        )

    with op.batch_alter_table("service_areas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_areas_area_id"), ["area_id"], unique=False)

    with op.batch_alter_table("service_domains", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_domains_domain_id"), ["domain_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("service_domains", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_domains_domain_id"))

    with op.batch_alter_table("service_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_areas_area_id"))

    with op.batch_alter_table("professional_domains", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_professional_domains_domain_id"))

    with op.batch_alter_table("professional_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_professional_areas_area_id"))
