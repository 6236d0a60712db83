"""/api/v1: read-only JSON for people, organisations, areas and capacities (no cases, ever).

Authentication is a bearer token per user (``Authorization: Bearer nw_…``); the blueprint
answers 401 JSON itself instead of the sign-in redirect (see SELF_AUTHENTICATING_BLUEPRINTS in
netwerk/app.py) and is exempt from CSRF (GET only, no cookies used). The token page
(/api-token) is an ordinary signed-in page, in token_page.py with its own blueprint
(registered by netwerk/app.py beside ``bp``).
"""

from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, request, url_for

from netwerk.api import queries, serialize
from netwerk.api.openapi import openapi_document
from netwerk.api.tokens import user_for_token
from netwerk.auth import policy
from netwerk.db import db
from netwerk.extensions import csrf
from netwerk.i18n import _
from netwerk.models import Area, AreaKind, Organisation, Professional
from netwerk.web import arg_enum, arg_id, arg_int, arg_page, get_or_404

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
OPEN_ENDPOINTS = {"api.openapi"}


def _error(status: int, message: str):
    response = jsonify({"error": {"status": status, "message": message}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="netwerk"'
    return response


@bp.before_request
def authenticate():
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _error(401, _("Geef een token mee: Authorization: Bearer <token>."))
    user = user_for_token(db.session, token.strip())
    if user is None:
        db.session.rollback()
        return _error(401, _("Dit token is onbekend of ingetrokken."))
    db.session.commit()  # last_used_at
    if not policy.can_use_api(user):
        return _error(403, _("Dit account mag de API niet gebruiken."))
    g.api_user = user
    return None


@bp.after_request
def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(404)
def not_found(exc):
    return _error(404, _("Niet gevonden."))


@bp.errorhandler(400)
def bad_request(exc):
    return _error(400, getattr(exc, "description", None) or _("Ongeldig verzoek."))


def _page(listing: queries.Listing, render):
    """Paginate a listing, its query and count query (?page=&per_page=, max 200), into data,
    meta and links."""
    query, count_query = listing
    page = arg_page()
    per_page = min(arg_int("per_page", DEFAULT_PER_PAGE) or DEFAULT_PER_PAGE, MAX_PER_PAGE)
    total = db.session.scalar(count_query)
    # A page past the end is empty; never ask the database for an offset it cannot hold.
    offset = (page - 1) * per_page
    items = db.session.scalars(query.limit(per_page).offset(offset)).all() \
        if offset < total else []
    last = max((total + per_page - 1) // per_page, 1)
    args = {k: v for k, v in request.args.items() if k not in {"page", "per_page"}}

    def link(n: int) -> str:
        return url_for(request.endpoint or "", page=n, per_page=per_page, _external=True, **args)

    links = {"self": link(page), "first": link(1), "last": link(last),
             "next": link(page + 1) if page < last else None,
             "prev": link(page - 1) if page > 1 else None}
    return jsonify({"data": [render(i) for i in items],
                    "meta": {"page": page, "per_page": per_page, "total": total,
                             "pages": last},
                    "links": links})


def _one(model, ident: int, render, shown=lambda row: True):
    """One row as ``{"data": …}``, or 404 JSON (also for a row the API does not show)."""
    row = get_or_404(db.session, model, ident)
    if not shown(row):
        abort(404)
    return jsonify({"data": render(row)})


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(request.url_root.rstrip("/") + "/api/v1"))


@bp.get("/people")
def people():
    return _page(queries.people(arg_id("organisation_id")), serialize.person)


@bp.get("/people/<int:person_id>")
def person(person_id: int):
    return _one(Professional, person_id, serialize.person, lambda p: p.active)


@bp.get("/organisations")
def organisations():
    return _page(queries.organisations(), serialize.organisation)


@bp.get("/organisations/<int:organisation_id>")
def organisation(organisation_id: int):
    return _one(Organisation, organisation_id, serialize.organisation)


@bp.get("/areas")
def areas():
    return _page(queries.areas(arg_enum("kind", AreaKind)), serialize.area)


@bp.get("/areas/<int:area_id>")
def area(area_id: int):
    return _one(Area, area_id, serialize.area)


@bp.get("/capacities")
def capacities():
    if not policy.can_view_capacities(g.api_user):
        return _error(403, _("Geen toegang."))
    return _page(queries.capacities(), serialize.capacity)
