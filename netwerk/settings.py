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
    """Settings for a running netwerk; each one can be overridden by its environment variable."""

    # Without NETWERK_SECRET_KEY, create_app keeps a random key in the instance folder.
    SECRET_KEY = os.environ.get("NETWERK_SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "NETWERK_DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'netwerk.sqlite3'}"
    )

    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    # Sessions and cookies (Flask-Login's remember cookie is set explicitly: its defaults are lax).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("NETWERK_SECURE_COOKIES", False)
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 14
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12

    # Sign-in throttling (Flask-Limiter): memory:// is per process; give every worker the same
    # redis://… in production so the limit holds across workers and machines.
    RATELIMIT_STORAGE_URI = os.environ.get("NETWERK_RATELIMIT_STORAGE_URL", "memory://")
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = False
    # Per account, and per client address (higher: an office shares one address).
    LOGIN_RATE_LIMIT = os.environ.get("NETWERK_LOGIN_RATE_LIMIT", "10 per minute")
    LOGIN_IP_RATE_LIMIT = os.environ.get("NETWERK_LOGIN_IP_RATE_LIMIT", "60 per minute")

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


class TestConfig(Config):
    """Settings for the test suite: a throw-away database and no secrets on disk."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = os.environ.get("NETWERK_TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    LOGIN_RATE_LIMIT = LOGIN_IP_RATE_LIMIT = "1000 per minute"  # tests that check it lower it
    SERVER_NAME = None
