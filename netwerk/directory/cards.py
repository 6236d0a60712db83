"""Contact cards: vCard 3.0 (what phones import most reliably) and the QR code of one, as SVG.

Pure functions over plain model objects: no Flask here.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import segno
import vobject

from netwerk.models import Professional

PRODID = "-//netwerk//directory//NL"


def _split_name(name: str) -> tuple[str, str]:
    """Given name and family name (with its prefix: "van den Berg") from a full name."""
    parts = name.split()
    if len(parts) < 2:
        return name, ""
    return parts[0], " ".join(parts[1:])


def card_uid(professional: Professional) -> str:
    """The vCard UID of a professional: stable for as long as the record lives, so a phone
    that imports or syncs the card again updates it instead of adding a second one."""
    return f"netwerk-professional-{professional.id}"


def vcard(professional: Professional, *, with_photo: bool = False) -> vobject.base.Component:
    """The vCard (3.0) of one professional: name, organisation, role, numbers, e-mail."""
    card = vobject.vCard()
    card.add("version").value = "3.0"
    card.add("prodid").value = PRODID
    card.add("uid").value = card_uid(professional)
    given, family = _split_name(professional.name)
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    card.add("fn").value = professional.name
    card.add("org").value = [professional.organisation.name]
    if professional.role:
        card.add("title").value = professional.role
    if professional.mobile:
        tel = card.add("tel")
        tel.value = professional.mobile
        tel.type_param = "CELL"
    if professional.landline:
        tel = card.add("tel")
        tel.value = professional.landline
        tel.type_param = "WORK"
    if professional.email:
        email = card.add("email")
        email.value = professional.email
        email.type_param = "WORK"
    wijken = ", ".join(a.name for a in professional.areas)
    if wijken:
        card.add("note").value = f"Wijken: {wijken}"
    if with_photo and professional.photo:
        photo = card.add("photo")
        photo.value = bytes(professional.photo)  # vobject base64-encodes it (ENCODING=b)
        photo.encoding_param = "b"
        photo.type_param = "JPEG"
    return card


def vcard_text(professionals: Iterable[Professional], *, with_photo: bool = False) -> str:
    """One or more vCards in one text (a .vcf file holding several cards imports them all)."""
    return "".join(vcard(p, with_photo=with_photo).serialize() for p in professionals)


def qr_svg(text: str) -> str:
    """A QR code of ``text`` as an SVG document (drawn here; no external service)."""
    qr = segno.make(text, error="m", micro=False)
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True,
            title="QR-code met contactgegevens", encoding="utf-8")
    return out.getvalue().decode("utf-8")
