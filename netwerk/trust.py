"""What a restore must undo (docs/security.md, finding 6): a backup brings back sessions and
tokens that were ended after it was made, so after a restore every session ends and every API
token and app password is revoked. Plain function taking a Session; the caller commits."""

from __future__ import annotations

from sqlalchemy.orm import Session

from netwerk.api.tokens import revoke_tokens
from netwerk.audit import record
from netwerk.auth.sessions import end_sessions
from netwerk.carddav.passwords import revoke_app_passwords
from netwerk.models import User


def after_restore(session: Session) -> tuple[int, int]:
    """End every server-side session, revoke every API token and app password;
    (sessions, tokens and app passwords)."""
    ended = end_sessions(session)
    revoked = revoke_tokens(session) + revoke_app_passwords(session)
    # Cookies made before the sessions table (or by a copied key) stop too.
    for user in session.query(User):
        user.session_version = (user.session_version or 0) + 1
    record(session, None, "restore", "database", None, sessions_ended=ended,
           tokens_revoked=revoked)
    session.flush()
    return ended, revoked
