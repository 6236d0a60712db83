"""Home page (the three journeys) and the health check."""

from __future__ import annotations

from flask import Blueprint, render_template

from netwerk.db import db
from netwerk.main.queries import database_answers, home_counts

bp = Blueprint("main", __name__)


@bp.route("/healthz")
def healthz():
    """Answer 200 ok when the database answers; no data, no sign-in."""
    if not database_answers(db.session):
        return "database onbereikbaar", 503, {"Content-Type": "text/plain; charset=utf-8"}
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.route("/")
def home():
    """Show the three journeys: Zoeken, Netwerk, Casussen."""
    return render_template("main/home.html", counts=home_counts(db.session))


@bp.route("/toegankelijkheid")
def accessibility():
    """The accessibility statement (toegankelijkheidsverklaring): public, linked from every
    page's footer; what is tested, how, and what is known not to meet WCAG 2.1 AA yet."""
    return render_template("main/accessibility.html")
