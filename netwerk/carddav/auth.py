"""Radicale auth plugin (``[auth] type = netwerk.carddav.auth``): HTTP Basic with the account's
e-mail and one of its app passwords (netwerk/carddav/passwords.py). The account's own password
is refused, and so is a revoked app password. Failures are counted per account for the
slowdown of netwerk/auth/throttle.py (under their own key: a phone that keeps trying a revoked
password slows CardDAV for that account, not its owner's web sign-in) and per client address
(netwerk/carddav/views.py refuses an address with too many)."""

from __future__ import annotations

from flask import g
from radicale import auth

from netwerk.audit import record
from netwerk.auth import policy
from netwerk.carddav import throttle
from netwerk.carddav.passwords import user_for_app_password
from netwerk.db import db


class Auth(auth.BaseAuth):
    def _login(self, login: str, password: str) -> str:
        email = (login or "").strip().lower()
        throttle.wait_before_attempt(email)
        user = user_for_app_password(db.session, email, password)
        if user is None or not policy.can_sync_address_books(user):
            throttle.record_failure(email)
            record(db.session, None, "carddav_login_failed", "user", None)
            g.carddav_failed = True
            return ""
        g.carddav_user = user
        return user.email
