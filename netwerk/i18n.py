"""The one translation layer: every user-facing string goes through ``_`` or ``_l``.

Message ids are the Dutch texts (the interface speaks Dutch); an English catalogue in
``netwerk/translations/en`` turns the UI English when ``NETWERK_LOCALE=en``.
Outside a request (CLI, domain code) the Dutch text is returned as is.
"""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext, ngettext

_ = gettext
_l = lazy_gettext
_n = ngettext

__all__ = ["_", "_l", "_n"]
