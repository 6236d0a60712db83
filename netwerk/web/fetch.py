"""Fetch-or-404: the one way a view turns an id into a row; and the signed-in account's row."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy.orm import Session

from netwerk.web.args import parse_id

if TYPE_CHECKING:
    from netwerk.models import User

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


def own_account(session: Session) -> User:
    """The signed-in user's own ``User`` row in ``session`` (the pages that change one's own
    account work on it; ``current_user`` is the copy the login loader made)."""
    from netwerk.models import User

    return session.get_one(User, current_user.id)
