"""Running Alembic from the app: ``netwerk init-db`` and the tests use these."""

from __future__ import annotations

from alembic import command
from alembic.config import Config as AlembicConfig

from netwerk.settings import MIGRATIONS_DIR

# Tables that exist in the database but not in the models: full-text search indexes
# (SQLite FTS5 virtual tables and their shadow tables) are created by migrations only.
UNMANAGED_TABLE_PREFIXES = ("search_",)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave the search index tables out of autogenerate's comparison."""
    if type_ == "table" and name and name.startswith(UNMANAGED_TABLE_PREFIXES):
        return False
    return not (
        type_ == "index" and name and name.startswith(UNMANAGED_TABLE_PREFIXES)
    )


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig(str(MIGRATIONS_DIR / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["url"] = url
    cfg.attributes["skip_logging"] = True
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at ``url`` to ``revision``."""
    command.upgrade(alembic_config(url), revision)


def current_heads(url: str) -> tuple[str, ...]:
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_heads()
    finally:
        engine.dispose()
