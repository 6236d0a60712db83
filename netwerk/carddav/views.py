"""Blueprint ``carddav``: ``/carddav/…`` handed to Radicale, ``/.well-known/carddav``.

The request runs through Flask first (its database session, security headers, NUL check), then
Radicale's WSGI application answers it with SCRIPT_NAME ``/carddav``. The blueprint
authenticates itself (HTTP Basic, netwerk/carddav/auth.py): a browser session opens nothing
here, and a request without credentials gets 401 and no data. CSRF does not apply (no cookies
are used), and every write method is refused by the rights plugin.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, request

from netwerk.auth import throttle as login_throttle
from netwerk.carddav import throttle
from netwerk.carddav.server import REALM, radicale_app
from netwerk.db import db
from netwerk.extensions import csrf
from netwerk.i18n import _

bp = Blueprint("carddav", __name__)
csrf.exempt(bp)

PREFIX = "/carddav"
# Every method a CardDAV client sends; the writes among them reach the rights plugin and are
# refused there (403). POST is not a CardDAV method here (405).
DAV_METHODS = ["GET", "HEAD", "OPTIONS", "PROPFIND", "REPORT", "PUT", "DELETE", "MKCOL",
               "PROPPATCH", "MOVE", "COPY", "MKCALENDAR", "LOCK", "UNLOCK"]
PUBLIC = {"carddav.well_known"}


@bp.route("/.well-known/carddav", methods=DAV_METHODS, provide_automatic_options=False)
def well_known():
    """RFC 6764: where the address books live."""
    return redirect(PREFIX + "/", code=301)


@bp.route(PREFIX + "/", defaults={"rest": ""}, methods=DAV_METHODS,
          provide_automatic_options=False, endpoint="dav")
@bp.route(PREFIX + "/<path:rest>", methods=DAV_METHODS, provide_automatic_options=False,
          endpoint="dav")
def dav(rest: str):
    if throttle.address_blocked():
        response = Response(_("Te veel mislukte aanmeldingen vanaf dit adres. Probeer het over "
                              "een kwartier opnieuw.") + "\n", status=429,
                            mimetype="text/plain")
        response.headers["Retry-After"] = str(login_throttle.window())
        return response
    if not request.headers.get("Authorization", "").startswith("Basic "):
        # No credentials: 401 and nothing else, whatever the path or method (Radicale would
        # answer some anonymous requests, such as GET /, with a redirect).
        response = Response(_("Meld je aan met je e-mailadres en een app-wachtwoord "
                              "(Mijn account → App-wachtwoorden).") + "\n", status=401,
                            mimetype="text/plain")
        response.headers["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
        return response
    environ = dict(request.environ)
    # The mount point is ours to say: a client's X-Script-Name must not move it.
    environ.pop("HTTP_X_SCRIPT_NAME", None)
    environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "").rstrip("/") + PREFIX
    environ["PATH_INFO"] = environ.get("PATH_INFO", "")[len(PREFIX):] or "/"
    answer: dict = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, headers

    try:
        body = b"".join(radicale_app(current_app)(environ, start_response))
    except Exception:
        db.session.rollback()
        raise
    if answer["status"].startswith("5"):
        db.session.rollback()  # Radicale caught an error: nothing of this request is kept
    else:
        db.session.commit()  # last use of the app password, failed attempts' audit entries
    response = Response(body, status=answer["status"])
    for name, value in answer["headers"]:
        response.headers[name] = value
    response.headers["Cache-Control"] = "private, no-store"
    return response
