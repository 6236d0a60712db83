"""The inbox (/meldingen) and one's notification preferences (/meldingen/instellingen)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select, update

from netwerk.auth import policy
from netwerk.db import db, utcnow
from netwerk.i18n import _
from netwerk.models import Notification
from netwerk.notify import (
    CHANNEL_LABELS,
    CHANNELS,
    KINDS,
    preferences,
    set_preferences,
    unread_count,
)
from netwerk.safe_redirect import local_path
from netwerk.web import get_or_404

bp = Blueprint("notify", __name__)
PAGE = 100


@bp.app_context_processor
def unread():
    """The top bar's count of unread messages (one COUNT per signed-in page)."""
    def count() -> int:
        if not current_user.is_authenticated:
            return 0
        return unread_count(db.session, current_user.id)
    return {"unread_notifications": count}


@bp.get("/meldingen")
def inbox():
    """My messages, newest first; unread ones marked."""
    items = db.session.scalars(
        select(Notification).where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(PAGE)).all()
    return render_template("notify/inbox.html", items=items, kinds=KINDS)


@bp.post("/meldingen/<int:notification_id>/open")
def open_one(notification_id: int):
    """Mark one message read and go to what it is about."""
    notification = get_or_404(db.session, Notification, notification_id)
    if not policy.can_read_notification(current_user, notification):
        abort(404)  # someone else's message: as if it did not exist
    if notification.read_at is None:
        notification.read_at = utcnow()
    db.session.commit()
    return redirect(local_path(notification.link) or url_for(".inbox"), 303)


@bp.post("/meldingen/gelezen")
def mark_all_read():
    """Mark every message read."""
    db.session.execute(update(Notification).where(
        Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow()))
    db.session.commit()
    flash(_("Alle meldingen zijn gelezen."), "success")
    return redirect(url_for(".inbox"), 303)


@bp.route("/meldingen/instellingen", methods=["GET", "POST"])
def settings():
    """Per kind: in the app only, also by e-mail right away, or in a daily e-mail."""
    errors = []
    if request.method == "POST":
        wanted = {}
        for kind in KINDS:
            channel = request.form.get(kind, "")
            if channel not in CHANNELS:
                errors.append(_("%(kind)s: kies hoe je dit wilt horen.", kind=KINDS[kind].label))
            wanted[kind] = channel
        if not errors:
            set_preferences(db.session, current_user.id, wanted)
            db.session.commit()
            flash(_("Je instellingen zijn opgeslagen."), "success")
            return redirect(url_for(".settings"), 303)
        chosen = {k: (v if v in CHANNELS else preferences(db.session, current_user.id)[k])
                  for k, v in wanted.items()}
    else:
        chosen = preferences(db.session, current_user.id)
    from flask import current_app

    return render_template("notify/settings.html", kinds=KINDS, chosen=chosen,
                           channels=CHANNELS, channel_labels=CHANNEL_LABELS, errors=errors,
                           mail=bool(current_app.config.get("MAIL_URL"))), 400 if errors else 200
