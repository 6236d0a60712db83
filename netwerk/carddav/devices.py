"""Blueprint ``devices``: ``/account/apparaten``, one's app passwords for the address books —
make one (shown once), see name, made and last used, revoke."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from netwerk.carddav.passwords import active_app_passwords, create_app_password, revoke_one
from netwerk.db import db
from netwerk.i18n import _
from netwerk.web.args import parse_id
from netwerk.web.fetch import own_account

bp = Blueprint("devices", __name__)


@bp.route("/account/apparaten", methods=["GET", "POST"])
def devices():
    """App passwords: the phone's contacts app signs in with the e-mail and one of these."""
    from netwerk.carddav.forms import AppPasswordForm

    user = own_account(db.session)
    form = AppPasswordForm()
    new_password = new_row = None
    status = 200
    if request.method == "POST":
        if not form.validate():
            status = 400
        elif request.form.get("revoke"):
            revoke_id = parse_id(request.form.get("revoke"))
            if revoke_id is not None and revoke_one(db.session, user, revoke_id):
                db.session.commit()
                flash(_("Het app-wachtwoord is ingetrokken: dat apparaat synchroniseert niet "
                        "meer."), "success")
            else:
                flash(_("Dat app-wachtwoord bestaat niet (meer)."), "warning")
            return redirect(url_for("devices.devices"), code=303)
        elif form.create.data:
            new_row, new_password = create_app_password(db.session, user, form.name.data)
            db.session.commit()
            form = AppPasswordForm(formdata=None)
        else:
            status = 400
    return render_template(
        "carddav/devices.html", form=form, user=user, new_password=new_password,
        new_row=new_row, passwords=active_app_passwords(db.session, user),
        server_url=url_for("carddav.dav", rest="", _external=True)), status
