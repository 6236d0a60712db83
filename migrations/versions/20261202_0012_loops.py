"""loops: holds on capacities (with an expiry per type), "laat me weten" subscriptions,
notifications with per-kind preferences, the mail outbox, long-job progress; the new capacity
event kinds of a hold (bevestigd, afgewezen, verlopen, ingetrokken)

Revision ID: 0012_loops
Revises: 0013_app_passwords
Create Date: 2026-12-02 17:08:43
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_loops"
down_revision = "0013_app_passwords"
branch_labels = None
depends_on = None


OLD_KINDS = ("bijgewerkt", "geclaimd", "vrijgegeven")
NEW_KINDS = (*OLD_KINDS, "bevestigd", "afgewezen", "verlopen", "ingetrokken")


def _event_kinds(kinds: tuple[str, ...]) -> None:
    """The CHECK of capacity_events.kind (a portable enum) lists these values."""
    values = ", ".join(f"'{k}'" for k in kinds)
    with op.batch_alter_table("capacity_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_capacity_events_capacity_event_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_capacity_events_capacity_event_kind"),
                                         f"kind IN ({values})")


def upgrade() -> None:
    op.create_table('mail_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('to_addr', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox')),
    sa.UniqueConstraint('key', name=op.f('uq_mail_outbox_key'))
    )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_outbox_state'), ['state'], unique=False)

    op.create_table('capacity_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('capacity_type_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_capacity_subscriptions_area_id_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['capacity_type_id'], ['capacity_types.id'], name=op.f('fk_capacity_subscriptions_capacity_type_id_capacity_types'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_capacity_subscriptions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capacity_subscriptions')),
    sa.UniqueConstraint('user_id', 'capacity_type_id', 'area_id', name=op.f('uq_capacity_subscriptions_user_id_capacity_type_id_area_id'))
    )
    with op.batch_alter_table('capacity_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capacity_subscriptions_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capacity_subscriptions_capacity_type_id'), ['capacity_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capacity_subscriptions_user_id'), ['user_id'], unique=False)

    op.create_table('job_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('options', sa.Text(), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=True),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_job_runs_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs')),
    sa.UniqueConstraint('key', name=op.f('uq_job_runs_key'))
    )
    op.create_table('notification_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notification_preferences'))
    )
    op.create_table('capacity_holds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('capacity_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'bevestigd', 'afgewezen', 'verlopen', 'ingetrokken', name='hold_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_capacity_holds_amount_positive')),
    sa.ForeignKeyConstraint(['capacity_id'], ['capacities.id'], name=op.f('fk_capacity_holds_capacity_id_capacities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_capacity_holds_case_id_cases'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_capacity_holds_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_capacity_holds_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capacity_holds'))
    )
    with op.batch_alter_table('capacity_holds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capacity_holds_capacity_id'), ['capacity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capacity_holds_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capacity_holds_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_capacity_holds_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_capacity_holds_user_id'), ['user_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('digest_state', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_notifications_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('key', name=op.f('uq_notifications_key'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_digest_state'), ['digest_state'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('capacity_types', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hold_hours', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_capacity_types_hold_positive'), 'hold_hours IS NULL OR hold_hours > 0')
    _event_kinds(NEW_KINDS)


def downgrade() -> None:
    # A hold's events become releases and confirmations plain claims' history notes.
    op.execute("UPDATE capacity_events SET kind = 'vrijgegeven' "
               "WHERE kind IN ('afgewezen', 'verlopen', 'ingetrokken')")
    op.execute("DELETE FROM capacity_events WHERE kind = 'bevestigd'")
    _event_kinds(OLD_KINDS)
    with op.batch_alter_table('capacity_types', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_capacity_types_hold_positive'), type_='check')
        batch_op.drop_column('hold_hours')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_user_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_digest_state'))
        batch_op.drop_index(batch_op.f('ix_notifications_created_at'))
        batch_op.drop_index(batch_op.f('ix_notifications_case_id'))

    op.drop_table('notifications')
    with op.batch_alter_table('capacity_holds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capacity_holds_user_id'))
        batch_op.drop_index(batch_op.f('ix_capacity_holds_status'))
        batch_op.drop_index(batch_op.f('ix_capacity_holds_expires_at'))
        batch_op.drop_index(batch_op.f('ix_capacity_holds_case_id'))
        batch_op.drop_index(batch_op.f('ix_capacity_holds_capacity_id'))

    op.drop_table('capacity_holds')
    op.drop_table('notification_preferences')
    op.drop_table('job_runs')
    with op.batch_alter_table('capacity_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capacity_subscriptions_user_id'))
        batch_op.drop_index(batch_op.f('ix_capacity_subscriptions_capacity_type_id'))
        batch_op.drop_index(batch_op.f('ix_capacity_subscriptions_area_id'))

    op.drop_table('capacity_subscriptions')
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_outbox_state'))

    op.drop_table('mail_outbox')
