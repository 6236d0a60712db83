"""The second step of ``/login`` (TOTP), kept apart from the password step in auth/views.py.

After a right password for an account with two-step sign-in, nobody is signed in yet: the
session holds the pending account (id and session version, five minutes), and the same
``/login`` asks for a field ``code``. The sign-in limits of ``/login`` count the code step too
(the per-account key is the pending account's e-mail, never a field of the form), and a wrong
code counts as a failed attempt of that account (netwerk/auth/throttle.py)."""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import login_user

from netwerk.accounts import twostep
from netwerk.audit import record
from netwerk.db import db
from netwerk.i18n import _
from netwerk.models import User
from netwerk.safe_redirect import local_path

PENDING_KEY = "twostep_pending"
PENDING_SECONDS = 300


def needs_code(user: User) -> bool:
    return twostep.enabled(user)


def pending_user() -> User | None:
    data = session.get(PENDING_KEY)
    if not data or time.time() - data.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.active or user.session_version != data.get("v"):
        return None
    return user


def pending_email() -> str:
    data = session.get(PENDING_KEY) or {}
    return data.get("email", "")


def ask_code(user: User, next_url: str | None):
    """The password was right: remember the account and ask for the code."""
    db.session.rollback()  # the password step's sign-in entry waits for the code
    session[PENDING_KEY] = {"uid": user.id, "v": user.session_version, "at": time.time(),
                            "email": user.email, "next": local_path(next_url) or ""}
    return render_template("accounts/code.html"), 200


def second_step():
    """POST /login with ``code``: sign in, or ask again (one message for every failure)."""
    user = pending_user()
    if user is None:
        session.pop(PENDING_KEY, None)
        flash(_("Meld je opnieuw aan."), "error")
        return redirect(url_for("auth.login"))
    from netwerk.auth import throttle

    throttle.wait_before_attempt(user.email)  # per account: slows, never blocks
    if not twostep.check_code(db.session, user, request.form.get("code", "")):
        throttle.record_failure(user.email)
        record(db.session, user.id, "totp_failed", "user", user.id)
        db.session.commit()
        flash(_("Deze code klopt niet."), "error")
        return render_template("accounts/code.html"), 400
    target = session.pop(PENDING_KEY).get("next") or url_for("main.home")
    from netwerk.db import utcnow

    user.last_login_at = utcnow()
    record(db.session, user, "login", "user", user.id, second_step="totp")
    login_user(user)
    db.session.commit()
    return redirect(target)


def enrolment_required(user: User) -> bool:
    """A role that must use two steps, without it yet (it is sent to /account/tweestaps)."""
    return twostep.required_for(user, current_app.config["TOTP_REQUIRED_ROLES"]) and \
        not twostep.enabled(user)
