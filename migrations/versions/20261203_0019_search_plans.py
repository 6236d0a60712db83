"""search plans on PostgreSQL: no JIT in search_typo_keys(), GIN indexes without a pending list

Measured on the national bench data (100,000 people, 20,000 organisations; docs/directory.md,
"Figures"):

- ``search_typo_keys()`` (migration 0014_search) is an SQL function the executor plans on every
  call; its ``generate_series`` joins are estimated at a million rows, so with the default
  ``jit = on`` each call was compiled by LLVM: ~11 ms a name instead of ~0.2 ms. Every write to
  a professional or an organisation pays it in the search triggers, and re-indexing everyone
  (migration 0014) took more than 25 minutes. The function now runs with ``jit = off``.
- The GIN indexes of the search tables (``search_*_doc_trgm``, ``search_*_key_trgm``,
  ``search_*_typo_keys``) had ``fastupdate`` on: rows written after the index was made wait in
  a pending list (up to 4 MB) that every search reads through from start to end until a vacuum
  merges it. A directory is read far more often than written, so they are written through
  (``fastupdate = off``) and what is pending now is merged (``gin_clean_pending_list``).

SQLite: nothing changes.

Revision ID: 0019_search_plans
Revises: 0012_loops
Create Date: 2026-12-03 12:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0019_search_plans"
down_revision = "0012_loops"
branch_labels = None
depends_on = None

GIN_INDEXES = (
    "search_people_doc_trgm", "search_people_key_trgm", "search_people_typo_keys",
    "search_orgs_doc_trgm", "search_orgs_key_trgm", "search_orgs_typo_keys",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER FUNCTION search_typo_keys(text) SET jit = off")
    for name in GIN_INDEXES:
        op.execute(f"ALTER INDEX {name} SET (fastupdate = off)")
        op.execute(f"SELECT gin_clean_pending_list('{name}'::regclass)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in GIN_INDEXES:
        op.execute(f"ALTER INDEX {name} RESET (fastupdate)")
    op.execute("ALTER FUNCTION search_typo_keys(text) RESET jit")
