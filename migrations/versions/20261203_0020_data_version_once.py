"""data version: raised once per transaction on PostgreSQL, not once per statement

Revision ID: 0020_data_version_once
Revises: 0019_search_plans
Create Date: 2026-12-03 12:30:00

The statement trigger of 0016 raised the counter ``network`` for every INSERT, UPDATE or DELETE
statement. A bulk write sent as executemany (an import's updates by primary key, its link rows)
is one statement per row, so a transaction updated the one counter row a million times; every
update of a row the transaction already updated walks the versions it left behind, and the
load slowed down with every row (a national load of ties: 4 % a minute after 40 minutes). A
reader can only see a transaction's changes once it commits, so one raise per transaction says
the same: the trigger now raises the counter at the transaction's first watched write and
remembers that in a transaction-local setting. A rolled-back savepoint takes the raise and the
setting with it, so a later write raises again. SQLite keeps its row triggers (it updates the
row in place).
"""

from __future__ import annotations

from alembic import op

revision = "0020_data_version_once"
down_revision = "0019_search_plans"
branch_labels = None
depends_on = None

ONCE = """
CREATE OR REPLACE FUNCTION netwerk_bump_data_version() RETURNS trigger AS $$
BEGIN
  IF current_setting('netwerk.data_version_xact', true) IS DISTINCT FROM txid_current()::text
  THEN
    PERFORM set_config('netwerk.data_version_xact', txid_current()::text, true);
    INSERT INTO data_versions (name, version) VALUES ('network', 0)
      ON CONFLICT (name) DO NOTHING;
    UPDATE data_versions SET version = version + 1 WHERE name = 'network';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql
"""

EACH_STATEMENT = """
CREATE OR REPLACE FUNCTION netwerk_bump_data_version() RETURNS trigger AS $$
BEGIN
  INSERT INTO data_versions (name, version) VALUES ('network', 0)
    ON CONFLICT (name) DO NOTHING;
  UPDATE data_versions SET version = version + 1 WHERE name = 'network';
  RETURN NULL;
END $$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(ONCE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(EACH_STATEMENT)
