"""The facilitator's table (``/netwerk/tafel``), its data (``/netwerk/data.json``), its QR code
and report, and the phone pages with which the people at the table check in, add the ties
they made and invite a missing party (``/werksessies/<id>/inchecken``). Registered on the
network blueprint (netwerk.network.blueprint); imported by views.py."""

from __future__ import annotations

import gzip
import io
import json
from typing import Any

import segno
from flask import Response, current_app, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from netwerk.auth import policy
from netwerk.db import db
from netwerk.i18n import _
from netwerk.models import Attendance, Organisation, Professional, WorkSession
from netwerk.network import operations, queries, table
from netwerk.network.blueprint import bp
from netwerk.network.filters import parse_filters, strict_filters
from netwerk.network.forms import CheckInForm, TableInviteForm, TableTieForm, choices
from netwerk.network.saving import press, save
from netwerk.web import get_or_404, parse_id


@bp.route("/netwerk/data.json")
def table_data():
    """The map of an area (same parameters as ``/netwerk``) as JSON: nodes with their stored
    positions, lines, sessions, and what the analysis found (netwerk.network.table). Lines are
    objects naming their nodes (``from``, ``to``); with ``vorm=kort`` (the table page) they are
    ``[i, j, w, s]`` indexes into the nodes. Gzipped when the browser accepts it; a weak ETag,
    and ``304`` to ``If-None-Match`` with the current tag (the table polls it)."""
    policy.require(policy.can_view_network)
    req, filters = strict_filters(request.args)
    compact = request.args.get("vorm") == "kort"
    minimum = current_app.config["NETWERK_MIN_COUNT"]
    tag = table.etag(db.session, req, current_user, minimum) + ("k" if compact else "")
    headers = {"ETag": f'W/"{tag}"', "Cache-Control": "private, no-cache",
               "Vary": "Accept-Encoding"}
    if request.if_none_match.contains_weak(tag):
        return Response(status=304, headers=headers)
    payload = table.table_data(db.session, req, current_user, minimum)
    if not compact:
        payload = table.with_edge_objects(payload)
    payload["version"] = tag
    payload["errors"] = filters.errors
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    if "gzip" in request.accept_encodings:
        body = gzip.compress(body, compresslevel=6, mtime=0)
        headers["Content-Encoding"] = "gzip"
    return Response(body, mimetype="application/json", headers=headers)


@bp.route("/netwerk/tafel")
def table_page():
    """The full-screen map for a work session on a projector (table mode)."""
    policy.require(policy.can_view_network)
    filters = parse_filters(request.args)
    if filters.request is None:
        return render_template("network/empty.html")
    req = filters.request
    ws = db.session.get(WorkSession, req.work_session_id) if req.work_session_id else None
    params: dict[str, Any] = {"gebied": req.area_id, "niveau": filters.level_param}
    if ws is not None:
        params["sessie"] = ws.id
    if req.sectors:
        params["sector"] = list(req.sectors)
    return render_template(
        "network/table.html", area=queries.get_area(db.session, req.area_id), ws=ws,
        errors=filters.errors, data_url=url_for("network.table_data", **params, vorm="kort"),
        areas=queries.area_choices(db.session, req.area_id),
        sessions=queries.sessions_of_area(db.session, req.area_id),
        checkin_url=url_for("network.check_in", ws_id=ws.id, _external=True) if ws else "",
        report_url=url_for("network.table_report", **params),
    )


@bp.route("/netwerk/tafel/verslag")
def table_report():
    """The session report on A4: the map (drawn by the page), attendance, growth figures."""
    policy.require(policy.can_view_network)
    req, filters = strict_filters(request.args)
    ws = db.session.get(WorkSession, req.work_session_id) if req.work_session_id else None
    params: dict[str, Any] = {"gebied": req.area_id, "niveau": filters.level_param}
    if ws is not None:
        params["sessie"] = ws.id
    payload = table.table_data(db.session, req, current_user,
                               current_app.config["NETWERK_MIN_COUNT"])
    return render_template(
        "network/table_report.html", area=queries.get_area(db.session, req.area_id), ws=ws,
        overview=queries.overview(db.session, ws) if ws is not None else None,
        growth=table.growth_counts(payload), drawing=table.print_drawing(payload),
        table_url=url_for("network.table_page", **params))


@bp.route("/werksessies/<int:ws_id>/qr.svg")
def check_in_qr(ws_id: int):
    """The QR code on the table screen: the check-in page of this session."""
    policy.require(policy.can_view_network)
    ws = get_or_404(db.session, WorkSession, ws_id)
    out = io.BytesIO()
    segno.make(url_for("network.check_in", ws_id=ws.id, _external=True), error="m").save(
        out, kind="svg", scale=8, border=2, xmldecl=False, svgns=True,
        title=_("QR-code: inchecken bij %(title)s", title=ws.title), encoding="utf-8")
    return Response(out.getvalue(), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=300"})


# -- the phone: check in, ties, invitations ------------------------------------------------------

def _attendees(ws: WorkSession) -> list[Professional]:
    return list(db.session.scalars(
        select(Professional).join(Attendance, Attendance.professional_id == Professional.id)
        .where(Attendance.work_session_id == ws.id).order_by(Professional.name)))


def _check_in_url(ws: WorkSession, anchor: str = "") -> str:
    return url_for("network.check_in", ws_id=ws.id) + anchor


def _check_in_page(ws: WorkSession, status: int = 200, tie_form=None, invite_form=None):
    me = current_user.professional if policy.can_check_in(current_user) else None
    attendees = _attendees(ws)
    present = me is not None and any(p.id == me.id for p in attendees)
    others = [p for p in attendees if me is None or p.id != me.id]
    known = queries.tied_to(db.session, me.id, [p.id for p in others]) if me else set()
    tie_form = tie_form or TableTieForm(prefix="lijntje")
    tie_form.other_id.choices = choices((p.id, p.name) for p in others)
    return render_template(
        "network/checkin.html", ws=ws, me=me, present=present, others=others, known=known,
        check_in_form=CheckInForm(), tie_form=tie_form,
        invite_form=invite_form or TableInviteForm(prefix="uitnodiging"),
        invitations=[i for i in ws.invitations if me is not None and i.inviter_id == me.id],
    ), status


@bp.route("/werksessies/<int:ws_id>/inchecken", methods=["GET", "POST"])
def check_in(ws_id: int):
    """Check oneself in at a work session from one's own phone (the QR code leads here)."""
    policy.require(policy.can_view_network)
    ws = get_or_404(db.session, WorkSession, ws_id)
    if request.method == "GET":
        return _check_in_page(ws)
    policy.require(policy.can_check_in)
    return press(lambda: operations.check_in(db.session, current_user, ws),
                 _("Je bent ingecheckt: je staat nu op de kaart."), _check_in_url(ws))


@bp.route("/werksessies/<int:ws_id>/inchecken/lijntje", methods=["POST"])
def check_in_tie(ws_id: int):
    """ "We kennen elkaar nu" with someone at the table."""
    policy.require(policy.can_check_in)
    ws = get_or_404(db.session, WorkSession, ws_id)
    form = TableTieForm(prefix="lijntje")
    form.other_id.choices = choices((p.id, p.name) for p in _attendees(ws))

    def tie():
        made = operations.table_tie(db.session, current_user, ws, form.other_id.data)
        other = made.b if made.a_id == current_user.professional_id else made.a
        return (_("Lijntje met %(name)s staat op de kaart.", name=other.name),
                _check_in_url(ws, "#lijntjes"))

    return save(form, tie, field="other_id") or _check_in_page(ws, 400, tie_form=form)


@bp.route("/werksessies/<int:ws_id>/inchecken/uitnodiging", methods=["POST"])
def check_in_invite(ws_id: int):
    """Invite a party missing at the table (typeahead; the full name without scripts)."""
    policy.require(policy.can_check_in)
    ws = get_or_404(db.session, WorkSession, ws_id)
    form = TableInviteForm(prefix="uitnodiging")

    def invite():
        organisation_id = _organisation_id(form)
        if organisation_id is None:
            raise operations.WorkSessionError(
                _("Organisatie: kies een organisatie uit de lijst (of typ de volledige naam)."),
                field="organisation")
        invitation = operations.table_invite(db.session, current_user, ws, organisation_id,
                                             form.note.data or "")
        return (_("Je nodigt %(org)s uit voor de volgende sessie.",
                  org=invitation.organisation.name), _check_in_url(ws, "#uitnodigen"))

    return (save(form, invite, field="organisation_name")
            or _check_in_page(ws, 400, invite_form=form))


def _organisation_id(form: TableInviteForm) -> int | None:
    raw = (form.organisation_id.data or "").strip()
    if raw:
        org_id = parse_id(raw)
        return org_id if org_id and db.session.get(Organisation, org_id) is not None else None
    name = (form.organisation_name.data or "").strip()
    if not name:
        return None
    ids = db.session.scalars(select(Organisation.id)
                             .where(func.lower(Organisation.name) == name.lower())).all()
    return ids[0] if len(ids) == 1 else None
