"""The map's filters, read from the query string: area, level, sectors, work session and
focus (``/netwerk``, its exports, ``/netwerk/data.json`` and the table pages take the same)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, request
from werkzeug.datastructures import MultiDict

from netwerk.db import db
from netwerk.i18n import _
from netwerk.models import Sector, WorkSession
from netwerk.network import queries
from netwerk.network.graph import ORGANISATION, PROFESSIONAL
from netwerk.web import arg_id

LEVEL_PARAM = {"organisaties": ORGANISATION, "professionals": PROFESSIONAL}


@dataclass
class Filters:
    request: queries.MapRequest | None
    errors: list[str]
    level_param: str


def _area_filter(errors: list[str], strict: bool) -> int | None:
    raw = request.args.get("gebied", "").strip()
    area_id = arg_id("gebied")
    if area_id is not None and not queries.area_exists(db.session, area_id):
        if strict:
            abort(404)
        errors.append(_("Gebied: '%(v)s' bestaat niet; het standaardgebied wordt getoond.",
                        v=raw))
        area_id = None
    return area_id if area_id is not None else queries.default_area_id(db.session)


def _session_filter(errors: list[str], strict: bool) -> WorkSession | None:
    ws_id = arg_id("sessie")
    ws = db.session.get(WorkSession, ws_id) if ws_id is not None else None
    if ws_id is not None and ws is None:
        if strict:
            abort(404)
        errors.append(_("Werksessie: deze sessie bestaat niet."))
    return ws


def _level_filter(args: MultiDict, errors: list[str]) -> str:
    level_param = args.get("niveau", "organisaties")
    if level_param not in LEVEL_PARAM:
        errors.append(_("Niveau: kies organisaties of professionals."))
        return "organisaties"
    return level_param


def _sector_filter(args: MultiDict, errors: list[str]) -> tuple[str, ...]:
    valid = {s.value for s in Sector}
    asked = set(args.getlist("sector"))
    if asked - valid:
        errors.append(_("Sector: een onbekende sector is genegeerd."))
    return tuple(sorted(asked & valid))


def _focus_filter(args: MultiDict, errors: list[str]) -> str | None:
    focus = args.get("focus", "").strip() or None
    if focus and not (len(focus) > 1 and focus[0] in "op" and focus[1:].isascii()
                      and focus[1:].isdigit()):
        errors.append(_("Focus: onbekend knooppunt."))
        return None
    return focus


def parse_filters(args: MultiDict, strict: bool = False) -> Filters:
    """Read the map's filters from the query string. A malformed id (``?gebied=²``, a number
    beyond any id) answers 400 (netwerk.web's one rule); an id that names nothing is named
    and ignored on the map page, and answers 404 with ``strict`` (the downloads: a file of
    another area than asked would mislead). Another bad value is named and ignored."""
    errors: list[str] = []
    area_id = _area_filter(errors, strict)
    level_param = _level_filter(args, errors)
    sectors = _sector_filter(args, errors)
    ws = _session_filter(errors, strict)
    if ws is not None:
        area_id = ws.area_id
    focus = _focus_filter(args, errors)
    if area_id is None:
        return Filters(None, errors, level_param)
    req = queries.MapRequest(area_id=area_id, level=LEVEL_PARAM[level_param], sectors=sectors,
                             work_session_id=ws.id if ws is not None else None, focus=focus,
                             steps=2 if args.get("stappen", "1") == "2" else 1)
    return Filters(req, errors, level_param)


def strict_filters(args: MultiDict) -> tuple[queries.MapRequest, Filters]:
    """The filters of a download or a data answer (``parse_filters`` with ``strict``), and the
    map they ask for: 404 when there is none (no area at all)."""
    filters = parse_filters(args, strict=True)
    if filters.request is None:
        abort(404)
    return filters.request, filters
