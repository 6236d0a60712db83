"""How a network page saves what was posted: one operation (netwerk.network.operations), then
commit, say what was done and go on; or roll back and show why not (nothing half-saved).
``save`` is for a form with fields, ``press`` for a button whose CSRF token is all it sends."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect
from werkzeug.wrappers import Response

from netwerk.db import db
from netwerk.network.operations import WorkSessionError
from netwerk.web import commit_or_flash
from netwerk.web.forms import add_error, form_or_400, put_error


def put_refusal(form, exc: WorkSessionError, field: str | None = None) -> None:
    """Put an operation's refusal on ``field``; without one, on the form field it names
    (``area`` is ``area_id``, ``inviter`` is ``inviter_id``, ...), else on top of the form."""
    if field is not None:
        add_error(form, field, str(exc))
        return
    names = ({exc.field: f"{exc.field}_id"}
             if exc.field and hasattr(form, f"{exc.field}_id") else None)
    if not put_error(form, exc, names):
        form.form_errors.append(str(exc))


def save(form, write: Callable[[], tuple[str, str]], field: str | None = None) -> Response | None:
    """When ``form`` is posted and valid, run ``write`` (the operation; it returns what to say
    and where to go then): commit, flash that and redirect there. A refusal is rolled back and
    put on the form (``put_refusal``). None when nothing was saved: the caller shows the form
    again, with its errors."""
    if not form.validate_on_submit():
        return None
    try:
        done, target = write()
    except WorkSessionError as exc:
        db.session.rollback()
        put_refusal(form, exc, field)
        return None
    db.session.commit()
    flash(done, "success")
    return redirect(target)


def press(write: Callable[[], object], done: str, target: str) -> Response:
    """A POST button (its CSRF token is all it sends): 400 without a valid token; else run
    ``write``, commit and say ``done`` (or roll back and say why not), and go to ``target``."""
    form_or_400()
    commit_or_flash(write, done)
    return redirect(target)
