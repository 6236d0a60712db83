"""The password rule of the accounts pages (invitation, joining): both fields equal, then the
one strength rule of netwerk/auth/passwords.py (length and zxcvbn), naming the field
``password`` of these forms."""

from __future__ import annotations

from netwerk.auth.passwords import check_password_strength
from netwerk.errors import UserError
from netwerk.i18n import _


def check_new_password(password: str, again: str, user_inputs: list[str]) -> None:
    """Raise UserError naming ``password`` or ``again`` when the new password is refused."""
    if password != again:
        raise UserError(_("Wachtwoord nogmaals: de twee wachtwoorden zijn niet gelijk."), "again")
    check_password_strength(password, user_inputs, field="password")
