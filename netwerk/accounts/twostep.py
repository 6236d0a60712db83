"""Two-step sign-in with TOTP (pyotp): enrolment, the code step after the password, and
single-use recovery codes (only their hashes are stored)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

import pyotp
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from netwerk.audit import record
from netwerk.db import utcnow
from netwerk.errors import UserError
from netwerk.i18n import _
from netwerk.models import RecoveryCode, User
from netwerk.models.account import hash_secret

RECOVERY_CODES = 10


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    import io

    import segno

    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=4, xmldecl=False, svgns=True,
                                   title=_("QR-code voor je authenticator-app"))
    return out.getvalue().decode()


def _clean(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isalnum()).lower()


def required_for(user: User, required_roles: list[str]) -> bool:
    return user.role.value in required_roles


def enabled(user: User) -> bool:
    return bool(user.totp_secret)


def enrol(session: Session, user: User, secret: str, code: str) -> list[str]:
    """Turn two-step sign-in on when ``code`` fits ``secret``; returns new recovery codes."""
    if not pyotp.TOTP(secret).verify(_clean(code), valid_window=1):
        raise UserError(_("Code: deze code klopt niet. Kijk in je app en probeer het opnieuw."),
                        "code")
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    codes = new_recovery_codes(session, user)
    record(session, user, "totp_enabled", "user", user.id)
    session.flush()
    return codes


def disable(session: Session, user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record(session, user, "totp_disabled", "user", user.id)
    session.flush()


def new_recovery_codes(session: Session, user: User) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _i in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=hash_secret(_clean(c)))
                    for c in codes)
    return codes


def check_code(session: Session, user: User, code: str) -> bool:
    """The second step: a current TOTP code, or an unused recovery code (used up now)."""
    cleaned = _clean(code)
    if not user.totp_secret or not cleaned:
        return False
    if cleaned.isdigit() and len(cleaned) == 6:
        return _check_totp(user, cleaned)
    recovery = session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == hash_secret(cleaned),
        RecoveryCode.used_at.is_(None)))
    if recovery is None:
        return False
    recovery.used_at = utcnow()
    record(session, user, "recovery_code_used", "user", user.id)
    return True


def _check_totp(user: User, code: str) -> bool:
    """A code of the current time step or one either side, each step used once at most."""
    import hmac
    import time

    if not user.totp_secret:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now = time.time()
    for offset in (-1, 0, 1):
        moment = now + offset * totp.interval
        if hmac.compare_digest(totp.at(moment), code):
            step = totp.timecode(datetime.fromtimestamp(moment, tz=UTC))
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False
            user.totp_last_step = step
            return True
    return False


def unused_recovery_codes(session: Session, user: Any) -> int:
    return len(session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())
