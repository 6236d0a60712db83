"""The beheer blueprint: pages for beheerders under /beheer/ (the audit log: audit_views.py)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("beheer", __name__, url_prefix="/beheer")

from netwerk.beheer import audit_views  # noqa: E402,F401  (registers its routes on bp)
