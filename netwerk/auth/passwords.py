"""Whether a new password is strong enough: the one rule for every place a password is set
(password change, ``netwerk create-user``; invitations and resets use the same function).

zxcvbn (Dropbox's estimator, kept on PyPI as ``zxcvbn``) scores a password 0–4 by how many
guesses it would take, knowing common passwords, names, words, keyboard patterns, repeats and
dates; ``user_inputs`` (the account's e-mail, the person's name) count as known words, so
``Anouk2026!`` is weak for Anouk. A score of at least MIN_SCORE (3: "safely unguessable",
~10^8 guesses or more) and at least MIN_LENGTH characters are required. No Flask.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from netwerk.errors import UserError
from netwerk.i18n import _

MIN_LENGTH = 10
MIN_SCORE = 3
# zxcvbn's cost grows with length; what lies beyond this many characters only adds strength.
SCORED_LENGTH = 100


# zxcvbn knows English words and passwords; these Dutch ones (and the app's own name) are what
# a Dutch user would reach for first, so they count as known words too.
DUTCH_COMMON = (
    "wachtwoord", "welkom", "geheim", "hallo", "netwerk", "wijkteam", "gemeente", "nieuwegein",
    "utrecht", "amsterdam", "rotterdam", "nederland", "holland", "ajax", "feyenoord", "psv",
    "voetbal", "schatje", "liefje", "liefde", "prinses", "konijn", "poesje", "zomer", "winter",
    "lente", "herfst", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag",
    "zondag", "januari", "februari", "maart", "april", "juni", "juli", "augustus", "september",
    "oktober", "november", "december", "welkom01", "qwerty", "azerty", "wachtwoord1",
    "inloggen", "toegang", "beheerder", "medewerker", "coordinator", "zorg", "wonen", "werk",
)


class WeakPassword(UserError):
    """A password refused as too weak; the message says why in Dutch (field ``new``)."""


def _inputs(user_inputs: Iterable[str | None]) -> list[str]:
    words: list[str] = []  # the user's own words first: zxcvbn ranks earlier entries likelier
    for value in user_inputs:
        if not value:
            continue
        value = str(value).strip().lower()
        words.append(value)
        words.append(value.split("@", 1)[0])
        words.append(re.sub(r"[\s@._+-]+", "", value.split("@", 1)[0]))
        words.extend(w for w in re.split(r"[\s@._+-]+", value) if len(w) >= 3)
    return words + list(DUTCH_COMMON)


def password_score(password: str, user_inputs: Iterable[str | None] = ()) -> int:
    """zxcvbn's score 0–4 of ``password`` for a user with these ``user_inputs``."""
    from zxcvbn import zxcvbn

    return int(zxcvbn(password[:SCORED_LENGTH], user_inputs=_inputs(user_inputs))["score"])


def check_password_strength(password: str, user_inputs: Iterable[str | None] = (),
                            field: str = "new") -> None:
    """Raise WeakPassword (naming ``field``) when ``password`` is too short or too easy to
    guess for a user with these ``user_inputs`` (e-mail, name); return None when it is fine."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(_("Nieuw wachtwoord: gebruik minstens %(n)s tekens.", n=MIN_LENGTH),
                           field)
    if password_score(password, user_inputs) < MIN_SCORE:
        raise WeakPassword(_("Nieuw wachtwoord: dit is te makkelijk te raden (een veelgebruikt "
                             "wachtwoord, een herhaling, je naam of e-mailadres). Kies een "
                             "langere zin van een paar losse woorden."), field)
