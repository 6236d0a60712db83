"""Bulk SQL helpers of the writer: chunks, ``IN`` lists and multi-row inserts.

PostgreSQL gets ``= ANY(array)`` and ``INSERT … SELECT FROM unnest(arrays)`` (one parameter per
column instead of thousands); other engines an executemany batched by SQLAlchemy.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from enum import Enum

from sqlalchemy import JSON, Boolean, Date, Integer, any_, bindparam, insert
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from netwerk.db import UTCDateTime

CHUNK = 500


def chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def in_(session: Session, column, values: list):
    """``column IN values``; on PostgreSQL as ``= ANY(array)``: one parameter, not thousands
    (psycopg re-parses statements with many parameters on every call)."""
    if is_postgres(session):
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(values)


def insert_many(session: Session, table, rows: list[dict], returning: tuple = ()) -> list:
    """Insert many rows (all with the same keys); returns the ``returning`` columns."""
    if not rows:
        return []
    if not is_postgres(session):
        statement = insert(table)
        if returning:
            statement = statement.returning(*(table.c[c] for c in returning))
            return list(session.execute(statement, rows).all())
        session.execute(statement, rows)
        return []
    return _pg_insert(session, table, rows, returning)


_PG_ARRAY_TYPES = {Boolean: "boolean", Integer: "bigint", Date: "date", JSON: "text"}


def _pg_type(column) -> str:
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return "timestamptz"
    for base, name in _PG_ARRAY_TYPES.items():
        if isinstance(kind, base):
            return name
    return "text"


def _pg_default(column, row_count: int) -> list | None:
    default = column.default
    if default is None or column.primary_key:
        return None
    if default.is_callable:
        return [default.arg(None) for _ in range(row_count)]
    if default.is_scalar:
        return [default.arg] * row_count
    return None


def _pg_insert(session: Session, table, rows: list[dict], returning: tuple) -> list:
    """``INSERT INTO t (…) SELECT … FROM unnest(%s::type[], …)``: one array parameter per column,
    Python-side column defaults filled in, JSON columns sent as text and cast."""
    given = list(rows[0])
    arrays: dict[str, list] = {c: [r.get(c) for r in rows] for c in given}
    for column in table.columns:
        if column.name not in arrays:
            values = _pg_default(column, len(rows))
            if values is not None:
                arrays[column.name] = values
    names = list(arrays)
    params, selects = [], []
    for name in names:
        column = table.c[name]
        kind = _pg_type(column)
        values = arrays[name]
        if isinstance(column.type, JSON):
            values = [None if v is None else json.dumps(v) for v in values]
            selects.append(f'u."{name}"::json')
        else:
            selects.append(f'u."{name}"')
        values = [v.value if isinstance(v, Enum) else v for v in values]
        params.append((values, kind))
    quoted = ", ".join(f'"{n}"' for n in names)
    unnest = ", ".join(f"%s::{kind}[]" for _values, kind in params)
    sql = (f'INSERT INTO "{table.name}" ({quoted}) SELECT {", ".join(selects)} '
           f"FROM unnest({unnest}) AS u({quoted})")
    if returning:
        sql += " RETURNING " + ", ".join(f'"{c}"' for c in returning)
    dbapi = session.connection().connection.dbapi_connection
    assert dbapi is not None  # a checked-out connection always has one
    cursor = dbapi.cursor()
    try:
        cursor.execute(sql, [values for values, _kind in params])
        return list(cursor.fetchall()) if returning else []
    finally:
        cursor.close()
