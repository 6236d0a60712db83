"""Recognising client identifiers in free text, so a case never holds them.

A case is pseudonymous: its text fields refuse a BSN (nine digits passing the elfproef), an
IBAN (ISO 13616: country length and mod 97, any country), phone numbers, e-mail addresses, a
postcode (with or without house number), a street with house number, and a (birth) date.

Text is normalised first, because the identifiers were passed through disguised: NFKC (a
full-width ``＠`` is ``@``, full-width digits are digits), format characters dropped (U+200B
zero-width space, U+00AD soft hyphen, U+2060, U+FEFF…), ``[at]``/``(at)`` and ``[dot]``/
``(punt)`` read as ``@`` and ``.``, and the separators ``/ _ - .`` and any whitespace seen as one
kind of gap. Each rule then runs on the view that suits it: the spaced view (gaps as one
space), or the compact view (gaps removed) for identifiers whose characters may have been
pulled apart (``1 2 3 4 5 6 7 8 2``, ``N L 9 1 A B N A …``, ``3 4 3 1 A B``).

Ordinary case texts must pass: numbers of children, years, months of arrears, amounts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import phonenumbers

from netwerk.i18n import _

SEP = r"[\s/_.\-]"  # the separators that may be hidden between an identifier's characters
_GAP = re.compile(r"[\s/_\-]+")
_AT = re.compile(r"\s*[\[\(\{<]\s*(?:at|apenstaartje)\s*[\]\)\}>]\s*", re.IGNORECASE)
_DOT = re.compile(r"\s*[\[\(\{<]\s*(?:dot|punt)\s*[\]\)\}>]\s*", re.IGNORECASE)

_EMAIL = re.compile(r"[\w.+\-/]+@[\w\-/]+(?:\.[\w\-/]+)+", re.UNICODE)
_DIGIT_GROUP = re.compile(rf"(?<![\d])\d(?:{SEP}{{0,3}}\d){{5,}}(?![\d])")
_AMOUNT = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?")
_IBAN_START = re.compile(r"(?=([A-Za-z]{2}\d{2}[A-Za-z0-9]{11,30}))")
# A postcode: uppercase letters (as written), or lowercase glued to the digits, or lowercase
# followed by a house number; SA, SD and SS are not issued.
_POSTCODE = re.compile(
    rf"(?<![\d])[1-9](?:{SEP}*\d){{3}}{SEP}*(?!S{SEP}*[ADS])[A-Z]{SEP}*[A-Z](?![A-Za-z])"
    r"|(?<![\d\w])[1-9]\d{3}(?!s[ads])[a-z]{2}(?![a-z])"
    r"|(?<![\d\w])[1-9]\d{3}\s(?!s[ads])([a-z]{2})\s*(?:nr\.?\s*)?\d{1,5}(?!\d)",
)
_LOWER_WORDS = {"en", "in", "op", "om", "of", "is", "te", "al", "na", "ze", "je", "we", "er",
                "ik", "nu", "zo", "ja", "de", "uw", "hk", "tm", "ca", "pm", "am", "wo",
                "vo", "po", "mr", "ad", "eu", "nl"}
_STREET_SUFFIX = (r"straat|laan|weg|plein|singel|gracht|kade|dijk|hof|pad|steeg|dreef|baan|"
                  r"markt|wal|burg|plantsoen|erf|hoeve|park|boulevard|allee|veld|haven")
_STREET_HOUSE = re.compile(
    rf"(?<![\w])([a-zà-ÿ][a-zà-ÿ'’]+(?:{_STREET_SUFFIX}))\s+(?:nr\.?\s*)?\d{{1,5}}(?:\s?[a-z])?"
    r"(?![\w])",
    re.IGNORECASE,
)
_NOT_STREETS = {"onderweg", "halverweg", "zoweg", "weg", "kerkhof", "snelweg", "snelwegen",
                "fietspad", "voetpad", "hof", "werkveld", "speelveld", "zorgveld", "loopbaan",
                "voorhof", "binnenhof"}
_NUMERIC_DATE = re.compile(
    r"(?<![\d.,])(\d{1,2})\s?([-/.])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d])"
    r"|(?<![\d])((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?![\d])"
)
_MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
           "december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec")
_MONTH_DATE = re.compile(rf"(?<![\d])(?:0?[1-9]|[12]\d|3[01])(?:{_MONTHS})\.?(?:19|20)\d{{2}}"
                         r"(?![\d])", re.IGNORECASE)
_BIRTH_WORDS = re.compile(r"\b(?:geboren|geb\.?|geboortedatum|dob)(?!\w)", re.IGNORECASE)

# ISO 13616 IBAN lengths per country (SWIFT IBAN registry).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22,
    "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
    "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}


@dataclass(frozen=True)
class Identifier:
    kind: str
    text: str

    def describe(self) -> str:
        labels = {
            "bsn": _("een BSN"),
            "iban": _("een rekeningnummer (IBAN)"),
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


def is_iban(candidate: str) -> bool:
    """ISO 13616: the country's length, a BBAN of mostly digits, and mod 97 == 1."""
    value = candidate.upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+", value):
        return False
    if IBAN_LENGTHS.get(value[:2]) != len(value):
        return False
    bban = value[4:]
    if sum(c.isdigit() for c in bban) * 2 < len(bban):  # words are letters; accounts digits
        return False
    rearranged = value[4:] + value[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def normalise(text: str) -> str:
    """NFKC, format characters dropped, ``[at]``/``[dot]`` read, whitespace runs as one space."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = _AT.sub("@", text)
    text = _DOT.sub(".", text)
    return re.sub(r"\s+", " ", text)


def _compact(text: str) -> str:
    return re.sub(rf"{SEP}+", "", text)


def _valid_date(day: int, month: int, year: int) -> bool:
    if year < 100:  # 85 is 1985, 12 is 2012: a two-digit year is never in the future
        year += 2000 if year <= date.today().year % 100 else 1900
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= date.today().year


def _digit_groups(text: str, found: list[Identifier], phone_spans: list[tuple[int, int]]) -> None:
    for m in _DIGIT_GROUP.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        inside_phone = any(s <= m.start() < e for s, e in phone_spans)
        if len(digits) in (8, 9) and is_bsn(digits) and not inside_phone:
            found.append(Identifier("bsn", m.group().strip()))
            continue
        # A date pulled apart (1_2-0_3-1_9_8_5): six or eight digits forming ddmmyy(yy).
        if len(digits) in (6, 8) and not _AMOUNT.fullmatch(m.group()) and not inside_phone:
            day, month, year = int(digits[:2]), int(digits[2:4]), int(digits[4:])
            if (len(digits) == 6 or year >= 1900) and _valid_date(day, month, year):
                found.append(Identifier("geboortedatum", m.group().strip()))


def find_identifiers(text: str | None) -> list[Identifier]:
    """Return every client identifier found in ``text`` (empty list: the text may be stored)."""
    if not text:
        return []
    spaced = normalise(text)
    compact = _compact(spaced)
    found: list[Identifier] = []
    for m in _EMAIL.finditer(re.sub(r"\s+", "", spaced)):
        found.append(Identifier("email", m.group()))
    phone_spans = []
    for match in phonenumbers.PhoneNumberMatcher(spaced, "NL",
                                                 leniency=phonenumbers.Leniency.VALID):
        found.append(Identifier("telefoon", match.raw_string))
        phone_spans.append((match.start, match.end))
    _digit_groups(spaced, found, phone_spans)
    for m in _IBAN_START.finditer(compact):
        candidate = m.group(1)
        length = IBAN_LENGTHS.get(candidate[:2].upper())
        if length and is_iban(candidate[:length]):
            found.append(Identifier("iban", candidate[:length]))
    for m in _POSTCODE.finditer(spaced):
        if m.group(1) and m.group(1) in _LOWER_WORDS:
            continue
        found.append(Identifier("adres", m.group().strip()))
    for m in _STREET_HOUSE.finditer(spaced):
        if m.group(1).lower() not in _NOT_STREETS:
            found.append(Identifier("adres", m.group().strip()))
    for m in _NUMERIC_DATE.finditer(spaced):
        if m.group(1):
            day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        else:
            year, month, day = int(m.group(5)), int(m.group(6)), int(m.group(7))
        if _valid_date(day, month, year):
            found.append(Identifier("geboortedatum", m.group()))
    for m in _MONTH_DATE.finditer(compact):
        found.append(Identifier("geboortedatum", m.group()))
    if _BIRTH_WORDS.search(spaced) and not any(i.kind == "geboortedatum" for i in found):
        for m in re.finditer(r"\b(?:19|20)\d{2}\b", spaced):
            found.append(Identifier("geboortedatum", m.group()))
    return found
