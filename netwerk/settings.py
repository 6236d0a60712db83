"""Settings of netwerk, read from environment variables (``config.py`` re-exports them).

Every setting has a safe default for the embedded demo (SQLite under ``instance/``). In
production set at least ``NETWERK_SECRET_KEY`` and ``NETWERK_DATABASE_URL``.
"""

from __future__ import annotations

import os
from pathlib import Path

# The folders the design card keeps at the top level of the repository. A built wheel carries
# copies of them inside the package (netwerk/_data/, written by setup.py's build step).
PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
_PACKAGED_DATA = PACKAGE_DIR / "_data"
INSTALLED = _PACKAGED_DATA.is_dir()


def resource_dir(name: str) -> Path:
    """``templates``, ``migrations`` or ``seed_data``: from the wheel, else the source checkout."""
    return (_PACKAGED_DATA if INSTALLED else PROJECT_DIR) / name


TEMPLATES_DIR = resource_dir("templates")
MIGRATIONS_DIR = resource_dir("migrations")
SEED_DIR = resource_dir("seed_data")
# Where the demo keeps its SQLite database and generated secret key: instance/ in the source
# checkout, or instance/ under the current directory when netwerk is installed from a wheel.
INSTANCE_DIR = Path(
    os.environ.get("NETWERK_INSTANCE_PATH")
    or (Path.cwd() / "instance" if INSTALLED else PROJECT_DIR / "instance")
).resolve()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "ja", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


class Config:
    """Settings for a running netwerk. Those read from a ``NETWERK_…`` environment variable
    (README.md, "Configuration") can be set there; the others (cookie flags, CSRF lifetime,
    matching weights, upload size …) are fixed here and changed only in code or by
    ``create_app(test_config)``."""

    # Without NETWERK_SECRET_KEY, create_app keeps a random key in the instance folder.
    SECRET_KEY = os.environ.get("NETWERK_SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "NETWERK_DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'netwerk.sqlite3'}"
    )

    # No pool_pre_ping: a pooled PostgreSQL connection is checked by the BEGIN of its
    # transaction instead, one round trip fewer per request (netwerk/db.py, _ping_by_beginning).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": False}

    # Sessions and cookies (Flask-Login's remember cookie is set explicitly: its defaults are lax).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("NETWERK_SECURE_COOKIES", False)
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 14
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12

    # Sign-in throttling (Flask-Limiter): netwerk-memory:// (netwerk/ratelimit_storage.py: limits'
    # memory:// without its timer thread per request) is per process; give every worker the
    # same redis://… in production so the limit holds across workers and machines.
    RATELIMIT_STORAGE_URI = os.environ.get("NETWERK_RATELIMIT_STORAGE_URL", "netwerk-memory://")
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = False
    # Per account, and per client address (higher: an office shares one address).
    LOGIN_RATE_LIMIT = os.environ.get("NETWERK_LOGIN_RATE_LIMIT", "10 per minute")
    LOGIN_IP_RATE_LIMIT = os.environ.get("NETWERK_LOGIN_IP_RATE_LIMIT", "60 per minute")
    # Per account from every address: after this many failures in the window, each attempt
    # waits (doubling from 0.25 s up to the maximum) — a slowdown, never a lockout.
    LOGIN_SLOWDOWN_AFTER = int(os.environ.get("NETWERK_LOGIN_SLOWDOWN_AFTER", "20"))
    LOGIN_SLOWDOWN_WINDOW = int(os.environ.get("NETWERK_LOGIN_SLOWDOWN_WINDOW", "900"))
    LOGIN_SLOWDOWN_MAX = float(os.environ.get("NETWERK_LOGIN_SLOWDOWN_MAX", "4"))
    # CardDAV (netwerk/carddav): failed Basic sign-ins from one client address within
    # LOGIN_SLOWDOWN_WINDOW before that address gets 429 (the per-account slowdown applies too).
    CARDDAV_ADDRESS_FAILURE_LIMIT = int(os.environ.get("NETWERK_CARDDAV_ADDRESS_FAILURE_LIMIT",
                                                       "50"))
    # Search per signed-in user (a person typing stays far below it; a script does not).
    SEARCH_RATE_LIMIT = os.environ.get("NETWERK_SEARCH_RATE_LIMIT", "120 per minute")
    # "Klopt niet" reports per signed-in user (one open report per record is the other bound).
    REPORT_RATE_LIMIT = os.environ.get("NETWERK_REPORT_RATE_LIMIT", "20 per hour")
    # Reverse proxies in front of the app (0: none). With N, the client's address is taken
    # from the N-th X-Forwarded-For entry from the right (werkzeug ProxyFix), so users behind
    # one proxy do not share one address (and one sign-in limit).
    TRUSTED_PROXIES = int(os.environ.get("NETWERK_TRUSTED_PROXIES", "0") or 0)

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 60 * 60 * 8  # a working day on one form

    BABEL_DEFAULT_LOCALE = os.environ.get("NETWERK_LOCALE", "nl")
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"

    # Domain settings.
    STALE_AFTER_DAYS = _env_int("NETWERK_STALE_AFTER_DAYS", 180)
    CASE_RETENTION_DAYS = _env_int("NETWERK_CASE_RETENTION_DAYS", 90)
    # Matching (docs/matching.md): the weight of each score term (every term is in [0, 1]).
    # The wish outweighs the others together: the client's preferred professional goes in
    # unless a rule excludes them or they have no room (regie bij de cliënt).
    MATCHING_WEIGHTS = {
        "coverage": 3.0,
        "continuity": 2.0,
        "wish": 10.0,
        "language": 1.5,
        "reach": 1.0,
        "room": 1.0,
        "proximity": 1.0,
    }
    MATCHING_NEED_WEIGHTS = {"primair": 2.0, "secundair": 1.0}
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    # Trust (docs/security.md): an API token's lifetime; counts of open cases shown to people
    # outside those cases (the map, /netwerk/ontbrekend.csv) are left out below this number.
    API_TOKEN_LIFETIME_DAYS = _env_int("NETWERK_API_TOKEN_LIFETIME_DAYS", 90)
    NETWERK_MIN_COUNT = _env_int("NETWERK_MIN_COUNT", 5)

    # Accounts (docs/accounts.md). Mail: without NETWERK_MAIL_URL the invitation link is shown
    # to the beheerder to pass on.
    MAIL_URL = os.environ.get("NETWERK_MAIL_URL") or None
    MAIL_FROM = os.environ.get("NETWERK_MAIL_FROM", "netwerk@localhost")
    # Mail and jobs (docs/loops.md). NETWERK_MAIL_URL: smtp://[user:password@]host[:port]
    # [?starttls=1], or smtps://… for TLS from the start. Without it: the in-app inbox alone.
    MAIL_TIMEOUT_SECONDS = _env_int("NETWERK_MAIL_TIMEOUT_SECONDS", 10)
    MAIL_LEASE_SECONDS = _env_int("NETWERK_MAIL_LEASE_SECONDS", 120)
    MAIL_MAX_ATTEMPTS = _env_int("NETWERK_MAIL_MAX_ATTEMPTS", 10)
    # The tick re-queues a waiting message only this long after its time (before that, its
    # own job is about to send it).
    MAIL_SWEEP_AFTER_SECONDS = _env_int("NETWERK_MAIL_SWEEP_AFTER_SECONDS", 60)
    # The address links in e-mail start with (the request's own host when not set).
    BASE_URL = (os.environ.get("NETWERK_BASE_URL") or "").rstrip("/") or None
    # RQ on Redis when set (worked by `netwerk worker`); otherwise jobs run in the app process.
    REDIS_URL = os.environ.get("NETWERK_REDIS_URL") or None
    JOBS_INLINE = False
    JOBS_IN_PROCESS_TICK = _env_bool("NETWERK_JOBS_IN_PROCESS", True)
    JOB_TICK_SECONDS = _env_int("NETWERK_JOB_TICK_SECONDS", 60)
    JOB_TIMEOUT_SECONDS = _env_int("NETWERK_JOB_TIMEOUT_SECONDS", 1800)
    # How long a claim holds a place for the provider to answer, when its type says nothing.
    HOLD_HOURS = _env_int("NETWERK_HOLD_HOURS", 4)
    # The daily digest goes out from this hour (Europe/Amsterdam).
    DIGEST_HOUR = _env_int("NETWERK_DIGEST_HOUR", 7)
    INVITATION_DAYS = _env_int("NETWERK_INVITATION_DAYS", 7)
    JOIN_LINK_HOURS = _env_int("NETWERK_JOIN_LINK_HOURS", 48)
    # Roles that must sign in with a second step (TOTP); comma separated.
    TOTP_REQUIRED_ROLES = [r.strip() for r in os.environ.get(
        "NETWERK_TOTP_REQUIRED_ROLES", "").split(",") if r.strip()]
    TOTP_ISSUER = os.environ.get("NETWERK_TOTP_ISSUER", "netwerk")
    # Single sign-on over OpenID Connect (Authlib): all three set turn /login/sso on.
    OIDC_ISSUER = os.environ.get("NETWERK_OIDC_ISSUER") or None
    OIDC_CLIENT_ID = os.environ.get("NETWERK_OIDC_CLIENT_ID") or None
    OIDC_CLIENT_SECRET = os.environ.get("NETWERK_OIDC_CLIENT_SECRET") or None
    # Unknown verified e-mail: "weigeren" (no access) or "aanmelden" (a join request when the
    # address belongs to a registered organisation domain).
    OIDC_UNKNOWN_EMAIL = os.environ.get("NETWERK_OIDC_UNKNOWN_EMAIL", "weigeren")
    # Group claim → role, e.g. "groups" and "netwerk-beheer=beheerder,netwerk-coord=coordinator".
    OIDC_GROUPS_CLAIM = os.environ.get("NETWERK_OIDC_GROUPS_CLAIM", "groups")
    OIDC_ROLE_MAP = dict(
        pair.split("=", 1) for pair in os.environ.get("NETWERK_OIDC_ROLE_MAP", "").split(",")
        if "=" in pair)
    # Mail providers whose addresses never join by domain (added to the kept list).
    PERSONAL_MAIL_DOMAINS_EXTRA = [d.strip().lower() for d in os.environ.get(
        "NETWERK_PERSONAL_MAIL_DOMAINS", "").split(",") if d.strip()]


class TestConfig(Config):
    """Settings for the test suite: a throw-away database and no secrets on disk."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = os.environ.get("NETWERK_TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    JOBS_INLINE = True  # jobs run right after the commit, in the test's thread
    REDIS_URL = None
    MAIL_URL = None
    BASE_URL = "http://netwerk.test"
    LOGIN_RATE_LIMIT = LOGIN_IP_RATE_LIMIT = "1000 per minute"  # tests that check it lower it
    SEARCH_RATE_LIMIT = "1000 per minute"
    REPORT_RATE_LIMIT = "1000 per minute"
    SERVER_NAME = None
