"""Alembic environment: the models' metadata, batch mode on SQLite, search tables left alone."""

from __future__ import annotations

import os
import warnings
from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, exc, pool

import netwerk.models  # noqa: F401  (registers every table on Base.metadata)
from netwerk.db import Base, UTCDateTime
from netwerk.migrate import include_object

config = context.config
if config.config_file_name is not None and not config.attributes.get("skip_logging"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata

# Batch mode on SQLite reflects a table before it rebuilds it; SQLAlchemy cannot reflect the
# search index's expression indexes (all named search_…, kept by the search migrations
# themselves) and says so for each one. Not a problem: quiet, so `netwerk demo` starts clean.
warnings.filterwarnings("ignore", category=exc.SAWarning,
                        message="Skipped unsupported reflection of expression-based index search_")


def _url() -> str:
    url = config.attributes.get("url") or os.environ.get("NETWERK_DATABASE_URL")
    if not url:
        from netwerk.app import create_app

        url = create_app().config["SQLALCHEMY_DATABASE_URI"]
    return url


def _render_item(type_, obj, autogen_context):
    """Render netwerk's own column types as plain SQLAlchemy types in migration files."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(**kwargs) -> None:
    url = kwargs.pop("url", None)
    connection = kwargs.get("connection")
    dialect = connection.dialect.name if connection is not None else url.split(":")[0]
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=dialect.startswith("sqlite"),
        compare_type=True,
        include_object=include_object,
        render_item=_render_item,
        url=url,
        **kwargs,
    )


def run_migrations_offline() -> None:
    _configure(url=_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(
        {"sqlalchemy.url": _url()}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with engine.connect() as conn:
        _configure(connection=conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
