"""The error of every case operation, and the check that free text names no client."""

from __future__ import annotations

from netwerk.errors import UserError
from netwerk.i18n import _
from netwerk.privacy import find_identifiers


class CaseError(UserError):
    """Bad input for a case; the message is one Dutch sentence naming the field, ``field``
    the form field it belongs to when it belongs to one."""


def check_free_text(field: str, text: str | None) -> None:
    found = find_identifiers(text)
    if found:
        listed = ", ".join(i.describe() for i in found)
        raise CaseError(_("%(field)s: bevat %(listed)s. Een casus bevat geen gegevens van de "
                          "cliënt.", field=field, listed=listed))
