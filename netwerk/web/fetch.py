"""Fetch-or-404: the one way a view turns an id into a row."""

from __future__ import annotations

from typing import TypeVar

from flask import abort
from sqlalchemy.orm import Session

from netwerk.web.args import parse_id

T = TypeVar("T")


def get_or_404(session: Session, model: type[T], ident: object, **options) -> T:
    """The ``model`` row with primary key ``ident``, or 404 (also for an id no row can have,
    such as ``0``, ``²`` or 2**31: those must not reach the database)."""
    key = ident if isinstance(ident, int) and not isinstance(ident, bool) else parse_id(ident)
    if key is None or not 1 <= key < 2**31:
        abort(404)
    row = session.get(model, key, **options)
    if row is None:
        abort(404)
    return row
