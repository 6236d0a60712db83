"""Sign-in and sign-out."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from netwerk.accounts import signin
from netwerk.auth import operations, throttle
from netwerk.auth.forms import LoginForm, PasswordForm, SignOutEverywhereForm
from netwerk.db import db
from netwerk.errors import UserError
from netwerk.extensions import limiter
from netwerk.i18n import _
from netwerk.safe_redirect import local_path
from netwerk.web.fetch import own_account
from netwerk.web.forms import put_error

bp = Blueprint("auth", __name__)

# Signing out wipes what this site kept in the browser: the HTTP cache, and the offline copy
# of the directory with the service worker that keeps it (netwerk/static/js/sw.js).
CLEAR_SITE_DATA = '"cache", "storage"'


def _wipe_site_data(response):
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


def _safe_next(target: str | None) -> str:
    return local_path(target) or url_for("main.home")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_ip_limit() -> str:
    return current_app.config["LOGIN_IP_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_ip_limit, methods=["POST"])  # per client address
# per (account, client address): a stranger cannot lock someone else out (netwerk/auth/throttle.py)
@limiter.limit(_login_limit, methods=["POST"], key_func=throttle.account_and_address_key)
def login():
    """Sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    if request.method == "POST" and "code" in request.form:
        return signin.second_step()  # two-step sign-in
    form = LoginForm()
    if form.validate_on_submit():
        throttle.wait_before_attempt(throttle.submitted_email())  # per account: slows, never blocks
        user = operations.authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            throttle.record_failure(throttle.submitted_email())
        if user is not None and signin.needs_code(user):
            return signin.ask_code(user, request.args.get("next"))
        if user is not None:
            login_user(user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        db.session.commit()  # the failed attempt is audited
        # One message for every failure: it does not tell whether an account exists.
        flash(_("Onjuist e-mailadres of wachtwoord."), "error")
    elif request.method == "POST":
        flash(_("Vul je e-mailadres en wachtwoord in."), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out: the session ends here and on the server."""
    if current_user.is_authenticated:
        operations.sign_out(db.session, own_account(db.session))
        db.session.commit()
    logout_user()
    flash(_("Je bent afgemeld."), "info")
    return _wipe_site_data(redirect(url_for("auth.login")))


@bp.route("/account/wachtwoord", methods=["GET", "POST"])
def change_password():
    """Change one's own password; every other session of this account ends, this one stays."""
    form = PasswordForm()
    everywhere = SignOutEverywhereForm(formdata=None)
    status = 200
    if form.validate_on_submit():
        user = own_account(db.session)
        try:
            operations.change_password(db.session, user, form.current.data, form.new.data,
                                       form.again.data)
        except UserError as exc:
            db.session.rollback()
            put_error(form, exc)
        else:
            db.session.commit()
            login_user(user)  # this session carries the new version and stays signed in
            flash(_("Je wachtwoord is gewijzigd. Je bent overal elders afgemeld."), "success")
            return redirect(url_for("main.home"), 303)
        status = 400
    elif request.method == "POST":
        status = 400
    if status == 400:
        for name, field in form._fields.items():
            if name != "csrf_token" and field.errors and not field.errors[0].startswith(
                    str(field.label.text)):
                field.errors[:] = [f"{field.label.text}: {e}" for e in field.errors]
    return render_template("auth/password.html", form=form, everywhere=everywhere), status


@bp.post("/account/overal-afmelden")
def sign_out_everywhere():
    """End every session of this account, on every device, this one included."""
    form = SignOutEverywhereForm()
    if not form.validate_on_submit():
        abort(400)
    operations.sign_out_everywhere(db.session, own_account(db.session))
    db.session.commit()
    logout_user()
    flash(_("Je bent op al je apparaten afgemeld."), "info")
    return _wipe_site_data(redirect(url_for("auth.login"), 303))
