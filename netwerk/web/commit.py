"""One write per request, told to the user: commit and say what was done, or roll back and
say why not. For POST views that answer with a redirect either way."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash

from netwerk.db import db
from netwerk.errors import UserError


def commit_or_flash(write: Callable[[], object], done: str) -> bool:
    """Run ``write``; commit and flash ``done``, or, when it raises a ``UserError``, roll back
    and flash its message. Returns whether the write was committed."""
    try:
        write()
    except UserError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return False
    db.session.commit()
    flash(done, "success")
    return True
