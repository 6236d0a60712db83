"""The database: declarative base with a stable naming convention, and the Flask-SQLAlchemy handle.

Models import ``Base`` from here; request code uses ``db.session`` (one session per request,
removed at teardown). Domain functions take a ``Session`` argument and never reach for ``db``.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Column, DateTime, ForeignKey, MetaData, Table, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine, Result
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.pool import Pool
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def rowcount(result: Result[Any]) -> int:
    """The number of rows an UPDATE or DELETE matched (0 when the driver cannot tell).

    ``Session.execute`` is typed to return a ``Result``; for an UPDATE or DELETE it is the
    ``CursorResult`` that carries ``rowcount``."""
    return getattr(result, "rowcount", 0) or 0


def utcnow() -> datetime:
    """Return the current moment as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always returned timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use netwerk.db.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    if TYPE_CHECKING:
        # SQLAlchemy types ``__table__`` as any FromClause (a class may be mapped to a subquery);
        # every model here is mapped to a Table, so ``update(Model.__table__)`` type-checks.
        __table__: ClassVar[Table]


def link_table(name: str, owner: tuple[str, str], target: tuple[str, str], *,
               target_ondelete: str = "RESTRICT") -> Table:
    """A many-to-many table: ``owner`` and ``target`` are (column, "table.id"); the pair is the
    key, deleting the owner deletes its links, and a target still linked cannot be deleted
    (unless ``target_ondelete`` says otherwise). The target column is indexed for the way back."""
    (owner_column, owner_key), (target_column, target_key) = owner, target
    return Table(
        name,
        Base.metadata,
        Column(owner_column, ForeignKey(owner_key, ondelete="CASCADE"), primary_key=True),
        Column(target_column, ForeignKey(target_key, ondelete=target_ondelete),
               primary_key=True, index=True),
    )


if TYPE_CHECKING:

    class RequestSession(Session):
        """What ``db.session`` is to the type checker: the request's Session, plus ``remove``."""

        def remove(self) -> None:
            """Close the session of this thread and forget it (scoped_session.remove)."""

    class _SQLAlchemy(SQLAlchemy):
        # ``db.session`` is a scoped_session: a proxy with every method of the request's Session.
        # Typed as the Session it stands for, so it can be passed to domain functions that take
        # a ``Session`` (the one place this is said; no casts at the call sites).
        session: RequestSession  # type: ignore[assignment]  # a scoped_session proxy, see above

else:
    _SQLAlchemy = SQLAlchemy

db = _SQLAlchemy(model_class=Base)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """Turn on foreign keys and WAL for every SQLite connection (no-op for other engines)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


@event.listens_for(Pool, "checkout")
def _ping_by_beginning(dbapi_connection, connection_record, connection_proxy) -> None:
    """PostgreSQL: check a pooled connection is alive by starting its transaction.

    This replaces SQLAlchemy's ``pool_pre_ping`` (settings.py turns it off), which sends an
    empty statement of its own on every checkout, after which psycopg sends ``BEGIN`` before the
    first statement: two round trips where one does. Here ``BEGIN`` itself is the ping (psycopg
    then sees the transaction open and sends no ``BEGIN`` of its own); when it fails, the pool
    is invalidated and a fresh connection is made, as a failed pre-ping does. Only a psycopg
    connection in its default mode (not autocommit, no isolation level, read-only or deferrable
    setting of its own, no transaction open) is pinged so; SQLite has no connection to lose.
    """
    module = type(dbapi_connection).__module__
    if not module.startswith("psycopg"):
        return
    from psycopg import pq

    if (dbapi_connection.autocommit or dbapi_connection.isolation_level is not None
            or dbapi_connection.read_only is not None or dbapi_connection.deferrable is not None
            or dbapi_connection.info.transaction_status != pq.TransactionStatus.IDLE):
        _plain_ping(dbapi_connection)
        return
    try:
        result = dbapi_connection.pgconn.exec_(b"BEGIN")
        alive = result.status == pq.ExecStatus.COMMAND_OK
    except Exception as error:  # the socket is gone: libpq raises instead of answering
        raise sa_exc.InvalidatePoolError(str(error)) from error
    if not alive:
        raise sa_exc.InvalidatePoolError("BEGIN failed on a pooled connection")


def _plain_ping(dbapi_connection) -> None:
    """The check ``pool_pre_ping`` makes, for a connection not in its default mode."""
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(";")
    except Exception as error:
        if dbapi_connection.closed or getattr(dbapi_connection, "broken", False):
            raise sa_exc.InvalidatePoolError(str(error)) from error
        raise
