"""data version: the eligibility rules and the domains raise the counter too

Revision ID: 0021_watch_rules
Revises: 0020_data_version_once
Create Date: 2026-12-03 16:40:00

Matching's answer per case is kept under the data counter ``network`` (netwerk/matching/
cache.py). The counter's triggers (0016) watched people, organisations, services, their areas
and domains, ties and areas, but not the eligibility rules (added and removed by beheer) nor
the domains themselves, so the version also had to aggregate both tables on every read. The
same triggers on those two tables let the version rest on the one counter row. PostgreSQL uses
0020's function (once per transaction); SQLite a row trigger per event, as 0016.
"""

from __future__ import annotations

from alembic import op

revision = "0021_watch_rules"
down_revision = "0020_data_version_once"
branch_labels = None
depends_on = None

TABLES = ("eligibility_rules", "domains")
EVENTS = ("insert", "update", "delete")
BUMP = ("INSERT OR IGNORE INTO data_versions (name, version) VALUES ('network', 0); "
        "UPDATE data_versions SET version = version + 1 WHERE name = 'network';")


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        if postgresql:
            op.execute(f"CREATE TRIGGER data_version_{table} AFTER INSERT OR UPDATE OR DELETE "
                       f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION "
                       "netwerk_bump_data_version()")
            continue
        for event in EVENTS:
            op.execute(f"CREATE TRIGGER data_version_{table}_{event} AFTER {event.upper()} "
                       f"ON {table} BEGIN {BUMP} END")
    # Whatever was cached under the old version (counter plus fingerprint) is stale anyway.
    op.execute("UPDATE data_versions SET version = version + 1 WHERE name = 'network'")


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        if postgresql:
            op.execute(f"DROP TRIGGER IF EXISTS data_version_{table} ON {table}")
            continue
        for event in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS data_version_{table}_{event}")
