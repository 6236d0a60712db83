"""The network map (``/netwerk``), its exports and the sector checklist: parse the query
string (netwerk.network.filters), ask netwerk.network.queries (or operations) once, render.
The work-session pages (``/werksessies``) register on the same blueprint
(netwerk.network.blueprint) in worksession_views.py, imported here so that ``bp`` carries every
route."""

from __future__ import annotations

import functools
import io

import networkx as nx
from flask import Response, abort, current_app, render_template, request, url_for
from flask_login import current_user

from netwerk.auth import policy
from netwerk.db import db
from netwerk.i18n import _
from netwerk.models import Area, Sector
from netwerk.network import operations, queries, render, table_views, worksession_views
from netwerk.network.blueprint import bp
from netwerk.network.filters import parse_filters, strict_filters
from netwerk.network.forms import ChecklistForm, choices
from netwerk.network.saving import save
from netwerk.web import get_or_404
from netwerk.web.download import download

__all__ = ["bp", "table_views", "worksession_views"]

VIS_FILES = {"vis-network.min.js", "vis-network.css"}


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
    req, filters = strict_filters(request.args)
    return queries.graph_export(db.session, req, filters.level_param, with_viz,
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
    req = strict_filters(request.args)[0]
    text, name = queries.missing_partners_download(db.session, req, current_user,
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
