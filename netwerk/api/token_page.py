"""The API token page (/api-token): an ordinary signed-in page (session, CSRF), unlike the API
itself, so it has a blueprint of its own (``api_tokens``). One creates a token here (shown
once) and revokes one's tokens."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from netwerk.api.forms import TokenForm
from netwerk.api.tokens import active_tokens, create_token, revoke_tokens
from netwerk.auth import policy
from netwerk.db import db
from netwerk.i18n import _
from netwerk.web import parse_id

bp = Blueprint("api_tokens", __name__)


@bp.route("/api-token", methods=["GET", "POST"])
def token_page():
    if not policy.can_use_api(current_user):
        abort(403)
    form = TokenForm()
    new = None
    if form.validate_on_submit():
        if form.revoke.data:
            token_id = parse_id(request.form.get("revoke"))
            revoke_tokens(db.session, current_user, token_id=token_id)
            db.session.commit()
            flash(_("Je API-token is ingetrokken."), "success")
            return redirect(url_for("api_tokens.token_page"))
        new = create_token(db.session, current_user, form.name.data,
                           current_app.config["API_TOKEN_LIFETIME_DAYS"])
        db.session.commit()
    return render_template("api/token.html", form=form, token=new,
                           tokens=active_tokens(db.session, current_user),
                           lifetime=current_app.config["API_TOKEN_LIFETIME_DAYS"])
