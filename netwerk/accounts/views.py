"""Blueprint ``accounts``: the account page (/account/), two-step enrolment, accepting an
invitation, joining by organisation e-mail (/aanmelden), and single sign-on (/login/sso)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, user_logged_in, user_logged_out

from netwerk.accounts import invitations, joining, signin, sso, twostep
from netwerk.accounts.editing import EditRejected
from netwerk.db import db
from netwerk.errors import UserError
from netwerk.extensions import limiter
from netwerk.i18n import _
from netwerk.models import Area, Domain
from netwerk.web.fetch import own_account

bp = Blueprint("accounts", __name__)

PUBLIC = {"accounts.accept_invitation", "accounts.join", "accounts.join_fill",
          "accounts.sso_start", "accounts.sso_callback"}
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


def _limit() -> str:
    return current_app.config["LOGIN_IP_RATE_LIMIT"]


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def accept_invitation(token: str):
    """Choose a password with an invitation link (once, before it expires)."""
    invitation = invitations.open_invitation(db.session, token)
    if invitation is None:
        return render_template("accounts/link_invalid.html"), 404
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            invitations.accept(db.session, invitation, request.form.get("password", ""),
                                      request.form.get("again", ""))
        except UserError as exc:
            db.session.rollback()
            errors[exc.field or "password"] = exc.message
        else:
            db.session.commit()
            flash(_("Je account is klaar. Meld je aan met je e-mailadres en wachtwoord."),
                  "success")
            return redirect(url_for("auth.login"), 303)
    return render_template("accounts/accept.html", invitation=invitation, errors=errors), \
        400 if errors else 200


@bp.route("/aanmelden", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def join():
    """Ask to join with an organisation e-mail address: a link to prove it."""
    error = None
    link = None
    sent = False
    if request.method == "POST":
        try:
            join_request, token = joining.request_join(
                db.session, request.form.get("email", ""), current_app.config["JOIN_LINK_HOURS"],
                current_app.config["PERSONAL_MAIL_DOMAINS_EXTRA"])
        except UserError as exc:
            db.session.rollback()
            error = exc.message
        else:
            if join_request is not None:
                url = url_for("accounts.join_fill", token=token, _external=True)
                link = invitations.send_invitation(current_app.config, join_request.email, url)
            db.session.commit()
            sent = True
    return render_template("accounts/join.html", error=error, sent=sent, link=link), \
        400 if error else 200


@bp.route("/aanmelden/<token>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def join_fill(token: str):
    """The address is proven: fill in one's own record; a beheerder approves."""
    join_request = joining.open_request(db.session, token)
    if join_request is None:
        return render_template("accounts/link_invalid.html"), 404
    problems: dict = {}
    values = dict(request.form)
    if request.method == "POST":
        form = {k: request.form.get(k, "") for k in ("name", "role", "mobile")}
        form["wijken"] = ";".join(request.form.getlist("wijken"))
        form["domains"] = ";".join(request.form.getlist("domains"))
        try:
            joining.fill_in(db.session, join_request, form, request.form.get("password", ""),
                            request.form.get("again", ""))
        except EditRejected as exc:
            db.session.rollback()
            problems = exc.problems
        except UserError as exc:
            db.session.rollback()
            problems = {exc.field: [exc.message]}
        else:
            db.session.commit()
            return render_template("accounts/join_done.html")
    wijken = db.session.query(Area.external_id, Area.name).filter(
        Area.kind == "wijk", Area.external_id.is_not(None)).order_by(Area.name).all()
    domains = db.session.query(Domain.slug, Domain.name).order_by(Domain.name).all()
    return render_template("accounts/join_fill.html", join=join_request, problems=problems,
                           values=values, wijken=wijken, domains=domains), \
        400 if problems else 200


@bp.get("/login/sso")
@limiter.limit(_limit, methods=["GET"])  # the sign-in limit per client address covers SSO too
def sso_start():
    """Start single sign-on at the configured OpenID Connect provider."""
    if not sso.configured(current_app):
        abort(404)
    redirect_uri = url_for("accounts.sso_callback", _external=True)
    return sso.client(current_app).authorize_redirect(redirect_uri)


@bp.get("/login/sso/terug")
@limiter.limit(_limit, methods=["GET"])
def sso_callback():
    """The provider's answer: state, PKCE and the ID token's nonce are checked by Authlib."""
    if not sso.configured(current_app):
        abort(404)
    from authlib.integrations.base_client.errors import OAuthError

    try:
        token = sso.client(current_app).authorize_access_token()
    except OAuthError:
        flash(_("Aanmelden via de inlogdienst is mislukt. Probeer het opnieuw."), "error")
        return redirect(url_for("auth.login"))
    claims = dict(token.get("userinfo") or {})
    try:
        user = sso.match_account(db.session, claims, current_app.config["OIDC_GROUPS_CLAIM"],
                                 current_app.config["OIDC_ROLE_MAP"])
    except UserError as exc:
        db.session.rollback()
        if current_app.config["OIDC_UNKNOWN_EMAIL"] == "aanmelden" and \
                claims.get("email_verified") is True and claims.get("email"):
            try:
                join_request, link_token = joining.request_join(
                    db.session, claims["email"], current_app.config["JOIN_LINK_HOURS"],
                    current_app.config["PERSONAL_MAIL_DOMAINS_EXTRA"])
            except UserError:
                join_request = None
            if join_request is not None:
                db.session.commit()
                return redirect(url_for("accounts.join_fill", token=link_token))
        flash(exc.message, "error")
        return redirect(url_for("auth.login"))
    login_user(user)
    session["signed_in_by"] = "sso"
    db.session.commit()
    return redirect(url_for("main.home"))
