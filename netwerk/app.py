"""The application factory: ``create_app`` wires configuration, extensions, blueprints, request
hooks, error pages, template helpers and CLI commands."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

from netwerk import settings
from netwerk.db import db
from netwerk.extensions import babel, csrf, limiter, login_manager

# Endpoints reachable without signing in. Every other route requires a signed-in user.
PUBLIC_ENDPOINTS = {"auth.login", "main.healthz", "main.accessibility", "static"}
# Blueprints that authenticate every request themselves (the API: bearer token, 401 JSON;
# CardDAV: HTTP Basic with an app password, 401) instead of the session sign-in redirect.
SELF_AUTHENTICATING_BLUEPRINTS = {"api", "carddav"}


class DatabaseIntConverter(IntegerConverter):
    """``<int:…>`` in a URL matches only ids a database integer can hold: /casussen/<20 digits>
    is a 404, not an overflow error (ids are INTEGER: PostgreSQL stops at 2**31-1)."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class NulCharacter(BadRequest):
    """Input holding a NUL character: PostgreSQL text cannot store it, no user types it."""


def _has_nul(multidict) -> bool:
    return any("\x00" in value for _, values in multidict.lists() for value in values)


class ConfigurationError(RuntimeError):
    """A setting that makes netwerk unable to start; the message is one clear sentence."""


def create_app(test_config: dict[str, Any] | type | None = None) -> Flask:
    """Create and wire the netwerk application."""
    app = Flask(
        __name__,
        template_folder=str(settings.TEMPLATES_DIR),
        instance_path=str(settings.INSTANCE_DIR),
        instance_relative_config=True,
    )
    app.url_map.converters["int"] = DatabaseIntConverter
    app.config.from_object(settings.Config)
    if isinstance(test_config, dict):
        app.config.from_mapping(test_config)
    elif test_config is not None:
        app.config.from_object(test_config)

    _ensure_secret_key(app)
    _check_database_url(app)
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    _trust_proxies(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` reverse proxies, take the client's address and scheme from
    their X-Forwarded-* headers (only that many hops are believed)."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Flask's documented way to wrap the WSGI app.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)


def _ensure_secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def _check_database_url(app: Flask) -> None:
    url_text = app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        url = make_url(url_text)
    except ArgumentError as exc:
        raise ConfigurationError(
            f"NETWERK_DATABASE_URL '{url_text}' is geen geldige database-URL "
            "(verwacht bijvoorbeeld postgresql+psycopg://gebruiker@host/db of sqlite:///pad)."
        ) from exc
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise ConfigurationError(
            f"NETWERK_DATABASE_URL gebruikt '{url.get_backend_name()}'; netwerk ondersteunt "
            "alleen sqlite en postgresql."
        )
    if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
        # psycopg 3 is the driver netwerk installs; plain postgresql:// would ask for psycopg2.
        app.config["SQLALCHEMY_DATABASE_URI"] = url.set(
            drivername="postgresql+psycopg"
        ).render_as_string(hide_password=False)
    if url.get_backend_name() == "sqlite" and url.database:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=lambda: app.config["BABEL_DEFAULT_LOCALE"])
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the sign-in page says enough
    login_manager.session_protection = "basic"

    from netwerk.auth.loader import load_user

    login_manager.user_loader(load_user)

    from netwerk import jobs

    jobs.init_app(app)  # the job runner: RQ, the app's own scheduler, or inline (tests)


def register_blueprints(app: Flask) -> None:
    from netwerk.auth.views import bp as auth_bp
    from netwerk.capacity.views import bp as capacity_bp
    from netwerk.directory.views import bp as directory_bp
    from netwerk.main.views import bp as main_bp
    from netwerk.matching.views import bp as cases_bp
    from netwerk.network.views import bp as network_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(main_bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(capacity_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(network_bp)

    from netwerk.api.token_page import bp as api_tokens_bp
    from netwerk.api.views import bp as api_bp
    from netwerk.interchange.views import bp as interchange_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(api_tokens_bp)
    app.register_blueprint(interchange_bp)

    from netwerk.accounts.views import PUBLIC as ACCOUNTS_PUBLIC
    from netwerk.accounts.views import bp as accounts_bp
    from netwerk.beheer import bp as beheer_bp

    app.register_blueprint(accounts_bp)
    app.register_blueprint(beheer_bp)

    from netwerk.notify.views import bp as notify_bp

    app.register_blueprint(notify_bp)
    PUBLIC_ENDPOINTS.update(ACCOUNTS_PUBLIC)

    from netwerk.main.views import PUBLIC as MAIN_PUBLIC

    PUBLIC_ENDPOINTS.update(MAIN_PUBLIC)

    from netwerk.carddav.devices import bp as devices_bp
    from netwerk.carddav.views import PUBLIC as CARDDAV_PUBLIC
    from netwerk.carddav.views import bp as carddav_bp

    app.register_blueprint(carddav_bp)
    app.register_blueprint(devices_bp)
    PUBLIC_ENDPOINTS.update(CARDDAV_PUBLIC)


def register_request_hooks(app: Flask) -> None:
    @app.before_request
    def refuse_nul_characters():
        if _has_nul(request.args) or (request.method == "POST" and _has_nul(request.form)):
            raise NulCharacter()

    @app.before_request
    def require_sign_in():
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        if request.blueprint in SELF_AUTHENTICATING_BLUEPRINTS:
            return None
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return None

    @app.before_request
    def make_nonce():
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.after_request
    def security_headers(response):
        nonce = g.get("csp_nonce", "")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self'; "
            "img-src 'self' data:; "
            "font-src 'self'; "
            "connect-src 'self'; "
            "object-src 'none'; "
            "base-uri 'self'; "
            "form-action 'self'; "
            "frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if current_user and current_user.is_authenticated:
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response


def register_errorhandlers(app: Flask) -> None:
    from flask_limiter.errors import RateLimitExceeded
    from flask_wtf.csrf import CSRFError

    def render_error(code: int, title: str, message: str):
        return render_template("errors.html", code=code, title=title, message=message), code

    from netwerk.i18n import _

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render_error(
            400,
            _("Formulier verlopen"),
            _("Het formulier was verlopen of onvolledig. Ga terug, ververs de pagina en "
              "probeer het opnieuw."),
        )

    @app.errorhandler(NulCharacter)
    def nul_character(exc):
        return render_error(
            400,
            _("Ongeldig teken"),
            _("De invoer bevat een onzichtbaar ongeldig teken (NUL). Er is niets opgeslagen; "
              "typ de tekst opnieuw in plaats van hem te plakken."),
        )

    @app.errorhandler(400)
    def bad_request(exc):
        from netwerk.web import BadArgument

        message = (exc.description if isinstance(exc, BadArgument)
                   else _("Dit verzoek klopt niet. Er is niets opgeslagen."))
        return render_error(400, _("Onjuist verzoek"), message)

    @app.errorhandler(RateLimitExceeded)
    def too_many(exc):
        if request.endpoint == "directory.search_page":
            message = _("Je zoekt te vaak achter elkaar. Wacht een minuut en probeer het "
                        "opnieuw.")
            if request.args.get("format") == "json":
                return {"error": {"status": 429, "message": message}}, 429
            return render_error(429, _("Te veel zoekopdrachten"), message)
        # The same words whether or not the account exists.
        return render_error(
            429,
            _("Te veel pogingen"),
            _("Er is te vaak geprobeerd aan te melden. Wacht een minuut en probeer het opnieuw."),
        )

    @app.errorhandler(403)
    def forbidden(exc):
        return render_error(403, _("Geen toegang"), _("Je hebt geen toegang tot deze pagina."))

    @app.errorhandler(404)
    def not_found(exc):
        if request.path.startswith("/api/"):
            # API clients get JSON, also for paths no route matches.
            message = _("Niet gevonden.")
            return {"error": {"status": 404, "message": message}}, 404
        return render_error(404, _("Niet gevonden"), _("Deze pagina bestaat niet (meer)."))

    @app.errorhandler(500)
    def server_error(exc):
        db.session.rollback()
        return render_error(
            500, _("Er ging iets mis"), _("Er ging iets mis aan onze kant; er is niets opgeslagen.")
        )


def register_template_helpers(app: Flask) -> None:
    from netwerk import phone
    from netwerk.auth import policy
    from netwerk.i18n import _, _n
    from netwerk.models import enums

    app.jinja_env.globals.update(_=_, _n=_n, policy=policy)
    app.jinja_env.globals["csp_nonce"] = lambda: g.get("csp_nonce", "")
    app.jinja_env.filters["phone"] = phone.display
    app.jinja_env.filters["tel"] = lambda e164: f"tel:{e164}" if e164 else ""
    app.jinja_env.filters["date_nl"] = _date_nl
    # Labels of closed value sets, from beside their enums (netwerk/models/enums.py).
    app.jinja_env.filters["sector_label"] = enums.sector_label
    app.jinja_env.filters["constraint_label"] = enums.constraint_label
    app.jinja_env.filters["urgency_label"] = enums.urgency_label
    app.jinja_env.filters["unit_label"] = enums.unit_label


def _date_nl(value) -> str:
    """A date as Dutch users read it: 26-11-2026."""
    if value is None:
        return ""
    return value.strftime("%d-%m-%Y")


def register_commands(app: Flask) -> None:
    from netwerk.cli import register

    register(app)
