"""flask-login's user loader: a session is valid only for the user's current session version."""

from __future__ import annotations

from netwerk.db import db
from netwerk.models import User


def load_user(user_id: str) -> User | None:
    try:
        raw_id, raw_version = user_id.split(":", 1)
        uid, version = int(raw_id), int(raw_version)
    except ValueError:
        return None
    user = db.session.get(User, uid)
    if user is None or not user.active or user.session_version != version:
        return None
    return user
