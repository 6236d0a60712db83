"""Home page (the three journeys) and the health check."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import func, select, text

from netwerk.db import db
from netwerk.models import Organisation, Professional

bp = Blueprint("main", __name__)


@bp.route("/healthz")
def healthz():
    """Answer 200 ok when the database answers; no data, no sign-in."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy
        db.session.rollback()
        return "database onbereikbaar", 503, {"Content-Type": "text/plain; charset=utf-8"}
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.route("/")
def home():
    """Show the three journeys: Zoeken, Netwerk, Casussen."""
    counts = {
        "professionals": db.session.scalar(
            select(func.count()).select_from(Professional).where(Professional.active)
        ),
        "organisations": db.session.scalar(select(func.count()).select_from(Organisation)),
    }
    return render_template("main/home.html", counts=counts)
