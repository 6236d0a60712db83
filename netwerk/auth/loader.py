"""flask-login's user loader: a cookie is valid only while its server-side session is live
(netwerk.auth.sessions) and for the
user's current session version (a password change set directly still ends every session)."""

from __future__ import annotations

from netwerk.auth.sessions import user_of_session
from netwerk.db import db
from netwerk.models import User


def load_user(user_id: str) -> User | None:
    try:
        raw_id, raw_version, key = user_id.split(":", 2)
        uid, version = int(raw_id), int(raw_version)
    except ValueError:
        return None
    if not key:
        return None
    user = user_of_session(db.session, uid, key)  # the account and its live session: one statement
    if user is None or not user.active or user.session_version != version:
        return None
    user.session_key = key
    return user
