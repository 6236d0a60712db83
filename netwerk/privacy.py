"""Recognising client identifiers in free text, so a case never holds them.

A case is pseudonymous: its text fields refuse a BSN (a nine-digit number passing the
elfproef), phone numbers, e-mail addresses, a postcode with house number, and a date of birth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from netwerk.i18n import _

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# 1234 AB 12, 1234AB 12a, 1234 ab, 12 — a Dutch postcode followed by a house number.
_POSTCODE_HOUSE = re.compile(
    r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Za-z]{2}\b[\s,]*(?:nr\.?\s*)?\d{1,5}\s?[a-zA-Z]?\b"
)
_STREET_HOUSE = re.compile(
    r"\b[A-Z][a-zà-ÿ]+(?:straat|laan|weg|plein|singel|gracht|kade|dijk|hof|pad|steeg)\s+\d{1,5}"
    r"(?:\s?[a-zA-Z])?\b"
)
_DATE = re.compile(
    r"\b(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|1[0-2])[-/.](?:19|20)\d{2}\b"
    r"|\b(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b"
    r"|\b(?:0?[1-9]|[12]\d|3[01])\s+(?:januari|februari|maart|april|mei|juni|juli|augustus|"
    r"september|oktober|november|december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec)\.?"
    r"\s+(?:19|20)\d{2}\b",
    re.IGNORECASE,
)
_DIGIT_RUN = re.compile(r"(?<![\d])(?:\d[\s.-]?){8,}\d(?![\d])")
_BIRTH_WORDS = re.compile(r"\b(?:geboren|geb\.?|geboortedatum|dob)(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Identifier:
    kind: str
    text: str

    def describe(self) -> str:
        labels = {
            "bsn": _("een BSN"),
            "telefoon": _("een telefoonnummer"),
            "email": _("een e-mailadres"),
            "adres": _("een adres (postcode of straat met huisnummer)"),
            "geboortedatum": _("een (geboorte)datum"),
        }
        return f"{labels[self.kind]} ('{self.text}')"


def is_bsn(digits: str) -> bool:
    """The elfproef for a BSN: nine digits, weighted 9..2 and -1, sum divisible by 11."""
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total % 11 == 0


def find_identifiers(text: str | None) -> list[Identifier]:
    """Return every client identifier found in ``text`` (empty list: the text may be stored)."""
    if not text:
        return []
    found: list[Identifier] = []
    for m in _EMAIL.finditer(text):
        found.append(Identifier("email", m.group()))
    phone_spans = []
    for match in phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.VALID):
        found.append(Identifier("telefoon", match.raw_string))
        phone_spans.append((match.start, match.end))
    for m in _DIGIT_RUN.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        inside_phone = any(s <= m.start() < e for s, e in phone_spans)
        if is_bsn(digits) and not inside_phone:
            found.append(Identifier("bsn", m.group().strip()))
    for m in _POSTCODE_HOUSE.finditer(text):
        found.append(Identifier("adres", m.group().strip()))
    for m in _STREET_HOUSE.finditer(text):
        found.append(Identifier("adres", m.group().strip()))
    for m in _DATE.finditer(text):
        found.append(Identifier("geboortedatum", m.group()))
    if _BIRTH_WORDS.search(text) and not any(i.kind == "geboortedatum" for i in found):
        for m in re.finditer(r"\b(?:19|20)\d{2}\b", text):
            found.append(Identifier("geboortedatum", m.group()))
    return found
