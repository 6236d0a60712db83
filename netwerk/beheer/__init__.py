"""Blueprint ``beheer``: /beheer/… for beheerders, and for an organisatiebeheerder the people,
services and accounts of their own organisation (netwerk.auth.policy, docs/accounts.md).

The views live in modules beside this one (accounts.py, records.py; the audit log in
audit_views.py), each registering on ``bp``."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from netwerk.auth import policy

bp = Blueprint("beheer", __name__, url_prefix="/beheer")


@bp.before_request
def only_beheer():
    if not policy.can_enter_beheer(current_user):
        abort(403)


from netwerk.beheer import accounts, audit_views, records  # noqa: E402,F401  (routes register on bp)
