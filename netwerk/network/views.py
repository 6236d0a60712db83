"""The network map (``/netwerk``), its exports and the sector checklist: parse the query
string, ask netwerk.network.queries (or operations) once, render. The work-session pages
(``/werksessies``) register on the same blueprint (netwerk.network.blueprint) in
worksession_views.py, imported here so that ``bp`` carries every route."""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

import networkx as nx
from flask import Response, abort, current_app, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from netwerk.auth import policy
from netwerk.db import db
from netwerk.i18n import _
from netwerk.models import Area, Sector, WorkSession
from netwerk.network import operations, queries, render, table_views, worksession_views
from netwerk.network.blueprint import bp
from netwerk.network.forms import ChecklistForm, choices
from netwerk.network.graph import ORGANISATION, PROFESSIONAL
from netwerk.network.saving import save
from netwerk.web import arg_id, get_or_404
from netwerk.web.download import download

__all__ = ["bp", "table_views", "worksession_views"]

VIS_FILES = {"vis-network.min.js", "vis-network.css"}
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


def _query(req: queries.MapRequest, level_param: str, **changes) -> dict:
    """The current filters (``req`` and the level parameter) as URL parameters, with
    ``changes`` applied."""
    params = {"gebied": req.area_id, "niveau": level_param}
    if req.sectors:
        params["sector"] = list(req.sectors)
    if req.work_session_id:
        params["sessie"] = req.work_session_id
    if req.focus:
        params["focus"] = req.focus
        params["stappen"] = req.steps
    params.update(changes)
    return {k: v for k, v in params.items() if v not in (None, "")}


@bp.route("/netwerk")
def map_page():
    """Show the network map of an area with its analysis and missing partners."""
    policy.require(policy.can_view_network)
    filters = parse_filters(request.args)
    req = filters.request
    if req is None:
        return render_template("network/empty.html")
    page = queries.map_page(db.session, req, current_user,
                            current_app.config["NETWERK_MIN_COUNT"])
    view = page.view
    return render_template(
        "network/map.html",
        view=view, filters=filters, area=page.area, missing=page.missing,
        default_checklist=page.default_checklist, areas=page.areas, sessions=page.sessions,
        sector_names=queries.sector_names(), domain_names=page.domain_names,
        query=lambda **changes: _query(req, filters.level_param, **changes),
        focus_label=view.label(req.focus) if req.focus else None,
    )


@bp.route("/netwerk/vis/<name>")
def vis_asset(name: str):
    """Serve vis-network 9.1.2 from the installed pyvis package (no CDN)."""
    if name not in VIS_FILES:
        abort(404)
    mimetype = "text/javascript" if name.endswith(".js") else "text/css"
    return Response(_vis_bytes(name), mimetype=mimetype,
                    headers={"Cache-Control": "private, max-age=86400"})


@functools.cache
def _vis_bytes(name: str) -> bytes:
    return (render.vis_directory() / name).read_bytes()


def _export_graph(with_viz: bool = False) -> queries.GraphExport:
    policy.require(policy.can_view_network)
    filters = parse_filters(request.args, strict=True)
    if filters.request is None:
        abort(404)
    return queries.graph_export(db.session, filters.request, filters.level_param, with_viz,
                                viewer=current_user)


@bp.route("/netwerk/export.graphml")
def export_graphml():
    """The map as GraphML (Gephi, yEd, Cytoscape)."""
    export = _export_graph()
    out = io.BytesIO()
    nx.write_graphml(export.graph, out)
    return download(out.getvalue(), f"{export.name}.graphml", "application/graphml+xml")


@bp.route("/netwerk/export.gexf")
def export_gexf():
    """The map as GEXF (Gephi), with the same positions and colours as on screen."""
    export = _export_graph(with_viz=True)
    out = io.BytesIO()
    nx.write_gexf(export.graph, out)
    return download(out.getvalue(), f"{export.name}.gexf", "application/gexf+xml")


@bp.route("/netwerk/ontbrekend.csv")
def missing_csv():
    """The missing partners of an area as CSV, whom to invite first on top."""
    policy.require(policy.can_view_network)
    filters = parse_filters(request.args, strict=True)
    if filters.request is None:
        abort(404)
    text, name = queries.missing_partners_download(db.session, filters.request, current_user,
                                                   current_app.config["NETWERK_MIN_COUNT"])
    return download("\ufeff" + text, name, "text/csv; charset=utf-8")


@bp.route("/netwerk/checklist/<int:area_id>", methods=["GET", "POST"])
def checklist(area_id: int):
    """Edit the sectors a facilitator expects at the table of an area."""
    policy.require(policy.can_facilitate)
    area = get_or_404(db.session, Area, area_id)
    form = ChecklistForm()
    form.sectors.choices = choices((s.value, queries.sector_name(s.value)) for s in Sector)
    current, is_default = queries.checklist(db.session, area_id)
    if request.method == "GET":
        form.sectors.data = current

    def write():
        operations.set_checklist(db.session, area_id, form.sectors.data or [])
        return (_("De checklist van %(area)s is opgeslagen.", area=area.name),
                url_for("network.map_page", gebied=area_id) + "#ontbrekend")

    return save(form, write) or render_template("network/checklist.html", form=form, area=area,
                                                is_default=is_default)
