"""The one place the accounts code asks whether a new password is good enough.

``check_new_password`` is a local wrapper: when netwerk/auth/passwords.py
(``check_password_strength(password, user_inputs)``) exists it is used, else a length rule.
"""

from __future__ import annotations

from netwerk.errors import UserError
from netwerk.i18n import _

MIN_LENGTH = 10


def check_new_password(password: str, again: str, user_inputs: list[str]) -> None:
    """Raise UserError naming ``password`` or ``again`` when the new password is refused."""
    if password != again:
        raise UserError(_("Wachtwoord nogmaals: de twee wachtwoorden zijn niet gelijk."), "again")
    if len(password or "") < MIN_LENGTH:
        raise UserError(_("Wachtwoord: kies minstens %(n)s tekens.", n=MIN_LENGTH), "password")
    try:
        from netwerk.auth.passwords import check_password_strength  # type: ignore[import-not-found]
    except ImportError:
        return
    problem = check_password_strength(password, user_inputs)
    if problem:
        raise UserError(str(problem), "password")
