"""The directory as files: a professional's photo, vCards (one person, a selection, everyone in
a wijk) and the QR code of a vCard."""

from __future__ import annotations

from flask import Response, abort, request
from sqlalchemy.orm import selectinload, undefer

from netwerk.db import db
from netwerk.directory import cards, queries
from netwerk.directory.blueprint import bp
from netwerk.directory.search import words
from netwerk.models import Area, Professional
from netwerk.web import get_or_404, parse_id
from netwerk.web.download import download

MAX_SELECTION = 500


@bp.get("/personen/<int:professional_id>/foto")
def photo(professional_id: int):
    """The stored photo of a professional (a square JPEG)."""
    prof = get_or_404(db.session, Professional, professional_id,
                      options=[undefer(Professional.photo)])
    if not prof.photo:
        abort(404)
    response = Response(prof.photo, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.get("/personen/<int:professional_id>.vcf")
def person_vcard(professional_id: int):
    """One professional as a vCard file."""
    prof = get_or_404(db.session, Professional, professional_id,
                      options=[undefer(Professional.photo), selectinload(Professional.areas)])
    return _vcf_response(cards.vcard_text([prof], with_photo=True), _slug(prof.name))


@bp.get("/personen.vcf")
def selection_vcard():
    """A selection of professionals (``?id=1&id=2…``) as one vCard file."""
    # Ids beyond a database INTEGER are nobody (and would overflow PostgreSQL: a 500).
    ids = [i for i in map(parse_id, request.args.getlist("id")) if i is not None][:MAX_SELECTION]
    if not ids:
        abort(404)
    people = queries.selection(db.session, ids)
    return _vcf_response(cards.vcard_text(people), "selectie")


@bp.get("/personen/<int:professional_id>/qr.svg")
def person_qr(professional_id: int):
    """The QR code of a professional's vCard, as SVG."""
    prof = get_or_404(db.session, Professional, professional_id,
                      options=[selectinload(Professional.areas)])
    return Response(cards.qr_svg(cards.vcard(prof).serialize()), mimetype="image/svg+xml")


@bp.get("/wijken/<int:area_id>.vcf")
def area_vcard(area_id: int):
    """Everyone working in a wijk as one vCard file."""
    area_ = get_or_404(db.session, Area, area_id)
    people = queries.area_overview(db.session, area_).people
    return _vcf_response(cards.vcard_text(people), _slug(area_.name))


def _slug(name: str) -> str:
    return "-".join(words(name)) or "contact"


def _vcf_response(body: str, filename: str) -> Response:
    return download(body, f"{filename}.vcf", "text/vcard")
