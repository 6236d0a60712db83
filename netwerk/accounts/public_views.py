"""The accounts pages one reaches without being signed in: an invitation link, joining by
organisation e-mail (/aanmelden) and its link, and single sign-on (/login/sso). Registered on
the accounts blueprint (netwerk.accounts.blueprint); imported by views.py."""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import login_user
from sqlalchemy.orm import Session

from netwerk.accounts import invitations, joining, sso
from netwerk.accounts.blueprint import bp
from netwerk.accounts.editing import EditRejected
from netwerk.db import db
from netwerk.errors import UserError
from netwerk.extensions import limiter
from netwerk.i18n import _
from netwerk.models import Area, Domain

PUBLIC = {"accounts.accept_invitation", "accounts.join", "accounts.join_fill",
          "accounts.sso_start", "accounts.sso_callback"}


def _limit() -> str:
    return current_app.config["LOGIN_IP_RATE_LIMIT"]


def _link_page(prefix: str, open_link: Callable[[Session, str], object | None]):
    """Register a page reached by an e-mailed link ``<prefix>/<token>`` (GET shows it, POST
    acts, counted against the sign-in limit). ``open_link`` finds what the link is for; the
    view is called with that, and an unknown, used or expired link answers 404 first."""

    def register(view):
        @functools.wraps(view)
        def page(token: str):
            opened = open_link(db.session, token)
            if opened is None:
                return render_template("accounts/link_invalid.html"), 404
            return view(opened)

        limited = limiter.limit(_limit, methods=["POST"])(page)
        return bp.route(f"{prefix}/<token>", methods=["GET", "POST"])(limited)

    return register


@_link_page("/uitnodiging", invitations.open_invitation)
def accept_invitation(invitation):
    """Choose a password with an invitation link (once, before it expires)."""
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


@_link_page("/aanmelden", joining.open_request)
def join_fill(join_request):
    """The address is proven: fill in one's own record; a beheerder approves."""
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
