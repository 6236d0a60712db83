"""netwerk: the local care-and-support network of a sociale wijkteam, as data.

The package root is deliberately empty: importing ``netwerk`` (or a pure module such as
``netwerk.matching.engine``) loads no Flask. The application factory lives in ``netwerk.app``;
``netwerk.create_app`` stays available for ``netwerk:create_app()`` (gunicorn) and
``flask --app netwerk``, loaded on first use.
"""

from __future__ import annotations

from typing import Any

_FROM_APP = {"create_app", "ConfigurationError", "PUBLIC_ENDPOINTS",
             "SELF_AUTHENTICATING_BLUEPRINTS"}


def __getattr__(name: str) -> Any:
    if name in _FROM_APP:
        from netwerk import app

        return getattr(app, name)
    raise AttributeError(f"module 'netwerk' has no attribute {name!r}")
