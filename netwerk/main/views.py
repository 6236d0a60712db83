"""Home page, the installable app (manifest, service worker, offline page, offline directory)
and the health check."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, render_template, url_for
from flask_login import current_user

from netwerk.db import db
from netwerk.i18n import _
from netwerk.main import queries

bp = Blueprint("main", __name__)

# Reachable without signing in (netwerk.app.PUBLIC_ENDPOINTS): the browser fetches the manifest
# without cookies, the service worker script is the same for everyone, the offline page holds
# no data (its script reads the copy the service worker kept), and the offline directory
# answers 401 itself so the service worker can tell that the session ended.
PUBLIC = {"main.manifest", "main.service_worker", "main.offline_page", "main.offline_directory"}

# Public, cacheable shell responses revalidate every time (never the signed-in "no-store",
# which the service worker refuses to keep).
REVALIDATE = "no-cache"


@bp.route("/healthz")
def healthz():
    """Answer 200 ok when the database answers; no data, no sign-in."""
    if not queries.database_answers(db.session):
        return "database onbereikbaar", 503, {"Content-Type": "text/plain; charset=utf-8"}
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.route("/")
def home():
    """A worker's home: favourites, recently opened, the people of one's own wijken, each with
    one tap to call; then the journeys."""
    return render_template("main/home.html", counts=queries.home_counts(db.session),
                           home=queries.home(db.session, current_user))


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest: name, colours, icons, start page (public, no cookies needed)."""
    def icon(name: str, size: int, purpose: str = "any") -> dict:
        return {"src": url_for("static", filename=f"icons/{name}"), "sizes": f"{size}x{size}",
                "type": "image/png", "purpose": purpose}

    body = {
        "name": "netwerk",
        "short_name": "netwerk",
        "description": _("Het netwerk van de wijk: wie is dat, en wat is het nummer?"),
        "lang": current_app.config.get("BABEL_DEFAULT_LOCALE", "nl"),
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5d57",
        "icons": [icon("icon-192.png", 192), icon("icon-512.png", 512),
                  icon("icon-maskable-512.png", 512, "maskable")],
    }
    response = Response(json.dumps(body, ensure_ascii=False),
                        mimetype="application/manifest+json")
    response.headers["Cache-Control"] = REVALIDATE
    return response


@bp.get("/sw.js")
def service_worker():
    """The service worker, served from the root so that its scope is the whole app."""
    path = Path(current_app.static_folder or "") / "js" / "sw.js"
    response = Response(path.read_text(encoding="utf-8"),
                        mimetype="text/javascript")
    response.headers["Cache-Control"] = REVALIDATE
    return response


@bp.get("/offline")
def offline_page():
    """The offline page: a search over the copy of one's own directory kept on this device.
    The page itself carries no data and no account details, so it can be kept as app shell."""
    response = Response(render_template("main/offline.html"))
    response.headers["Cache-Control"] = REVALIDATE
    return response


@bp.get("/offline/gids.json")
def offline_directory():
    """The people and organisations of one's own wijken and gemeenten, for the offline copy.
    401 JSON without a session: the service worker then deletes its copy."""
    if not current_user.is_authenticated:
        response = jsonify(error={"status": 401, "message": _("Niet aangemeld.")})
        response.status_code = 401
        response.headers["Cache-Control"] = "no-store"
        return response
    response = jsonify(queries.offline_directory(db.session, current_user.professional))
    # Kept by the service worker (which never keeps no-store answers), never by a shared cache.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/toegankelijkheid")
def accessibility():
    """The accessibility statement (toegankelijkheidsverklaring): public, linked from every
    page's footer; what is tested, how, and what is known not to meet WCAG 2.1 AA yet."""
    return render_template("main/accessibility.html")
