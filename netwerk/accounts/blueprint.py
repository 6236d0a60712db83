"""The accounts blueprint. Its routes live in views.py (one's own account) and
public_views.py (the pages reached without being signed in); both import ``bp`` from here, so
neither imports the other."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("accounts", __name__)
