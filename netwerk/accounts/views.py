"""Blueprint ``accounts``: the signed-in user's account page (/account/) and two-step
enrolment. The pages one reaches without being signed in (an invitation, joining by
organisation e-mail, single sign-on) register on the same blueprint
(netwerk.accounts.blueprint) in public_views.py, imported here so that ``bp`` carries every
route."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, user_logged_in, user_logged_out

from netwerk.accounts import public_views, signin, twostep
from netwerk.accounts.blueprint import bp
from netwerk.accounts.public_views import PUBLIC
from netwerk.db import db
from netwerk.errors import UserError
from netwerk.i18n import _
from netwerk.web.fetch import own_account

__all__ = ["PUBLIC", "bp", "public_views"]

ENROL_KEY = "totp_enrol_secret"


def _forget_sign_in_method(sender, user, **extra):
    """Every sign-in and sign-out starts without the SSO mark (SSO sets it after login_user)."""
    session.pop("signed_in_by", None)


user_logged_in.connect(_forget_sign_in_method)
user_logged_out.connect(_forget_sign_in_method)


@bp.before_app_request
def require_enrolment():
    """Roles that must sign in with two steps are sent to enrolment first."""
    if request.blueprint == "carddav":
        return None  # HTTP Basic with an app password; a browser session counts for nothing
    if not current_user.is_authenticated or request.endpoint in (
            "accounts.twostep", "auth.logout", "static", "main.healthz", None):
        return None
    if session.get("signed_in_by") == "sso":
        return None  # the identity provider holds the second factor (docs/accounts.md)
    if signin.enrolment_required(current_user):
        return redirect(url_for("accounts.twostep"))
    return None


@bp.get("/account/")
def account():
    """One page for one's own account: password, two-step, app passwords, API tokens."""
    from netwerk.auth.forms import SignOutEverywhereForm

    user = own_account(db.session)
    return render_template(
        "accounts/account.html", user=user, totp=twostep.enabled(user),
        recovery_left=twostep.unused_recovery_codes(db.session, user),
        everywhere=SignOutEverywhereForm(formdata=None),
        has_devices=any(r.rule == "/account/apparaten" for r in current_app.url_map.iter_rules()))


@bp.route("/account/tweestaps", methods=["GET", "POST"], endpoint="twostep")
def twostep_page():
    """Enrol: a new secret as an otpauth:// URI and its QR; a right code turns it on."""
    user = own_account(db.session)
    codes = None
    status = 200
    error = None
    if request.method == "POST":
        action = request.form.get("action", "enrol")
        if action == "disable":
            if twostep.required_for(user, current_app.config["TOTP_REQUIRED_ROLES"]):
                abort(403)
            twostep.disable(db.session, user)
            db.session.commit()
            flash(_("Tweestapsaanmelding staat uit."), "info")
            return redirect(url_for("accounts.account"), 303)
        if action == "codes" and twostep.enabled(user):
            codes = twostep.new_recovery_codes(db.session, user)
            db.session.commit()
        else:
            secret = session.get(ENROL_KEY)
            if not secret:
                abort(400)
            try:
                codes = twostep.enrol(db.session, user, secret, request.form.get("code", ""))
            except UserError as exc:
                db.session.rollback()
                error, status = exc.message, 400
            else:
                db.session.commit()
                session.pop(ENROL_KEY, None)
    uri = qr = None
    if not twostep.enabled(user):
        secret = session.get(ENROL_KEY) or twostep.new_secret()
        session[ENROL_KEY] = secret
        uri = twostep.provisioning_uri(secret, user.email, current_app.config["TOTP_ISSUER"])
        qr = twostep.qr_svg(uri)
    return render_template("accounts/twostep.html", user=user, uri=uri, qr=qr, codes=codes,
                           error=error, enabled=twostep.enabled(user),
                           required=twostep.required_for(
                               user, current_app.config["TOTP_REQUIRED_ROLES"])), status
