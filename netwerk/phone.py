"""Dutch phone numbers: parse any common notation, store E.164, show Dutch notation."""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from netwerk.errors import UserError
from netwerk.i18n import _

REGION = "NL"
MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


class InvalidPhoneNumber(UserError):
    """A number that cannot be stored; ``field`` names the form field, ``str()`` says why in Dutch."""

    def __init__(self, field: str, raw: str, reason: str) -> None:
        self.field = field
        self.raw = raw
        self.reason = reason
        super().__init__(f"{field}: {reason}", field)


def _parse(raw: str) -> phonenumbers.PhoneNumber | None:
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, REGION)
    except NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def normalize(raw: str | None, *, field: str = "telefoon", mobile: bool = False) -> str | None:
    """Return ``raw`` in E.164 (``+31612345678``), None for an empty value.

    Raises InvalidPhoneNumber, naming ``field``, when the number is not a valid number (or,
    with ``mobile=True``, not a mobile number).
    """
    if raw is None or not raw.strip():
        return None
    number = _parse(raw)
    if number is None:
        raise InvalidPhoneNumber(
            field, raw, _("'%(raw)s' is geen geldig telefoonnummer", raw=raw.strip())
        )
    if mobile and phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise InvalidPhoneNumber(
            field, raw, _("'%(raw)s' is geen mobiel nummer (06…)", raw=raw.strip())
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def try_normalize(raw: str) -> str | None:
    """Return E.164 for text that reads as a phone number, else None (for search input)."""
    number = _parse(raw) if raw and sum(c.isdigit() for c in raw) >= 8 else None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164) if number else None


def display(e164: str | None) -> str:
    """Show a stored number the Dutch way: ``06 12345678``, ``030 123 4567``."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, REGION)
    except NumberParseException:
        return e164
    if number.country_code == 31:
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def is_mobile_range(e164: str | None) -> bool:
    """A number in the Dutch mobile range: ``+316…`` (06), except ``+3166…`` (pagers)."""
    return e164 is not None and e164.startswith("+316") and not e164.startswith("+3166")


def offers_messages(e164: str | None, *, personal_mobile: bool = False) -> bool:
    """Whether "Sms" and "WhatsApp" make sense for this number: only a mobile number, never a
    switchboard. ``personal_mobile``: the number is a person's "Mobiel nummer", which was
    checked to be of the mobile type when it was saved (this also admits the 097 numbers the
    demo data uses in place of real 06 numbers); an organisation's numbers count only in the
    06 range."""
    if not e164:
        return False
    if is_mobile_range(e164):
        return True
    if not personal_mobile:
        return False
    number = _parse(e164)
    return number is not None and phonenumbers.number_type(number) in MOBILE_TYPES
