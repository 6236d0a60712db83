"""The network blueprint (``/netwerk``, ``/werksessies``). Its routes live in views.py (the
map) and worksession_views.py (work sessions); both import ``bp`` from here, so neither
imports the other."""

from __future__ import annotations

from flask import Blueprint

from netwerk.network import wording

bp = Blueprint("network", __name__)


@bp.context_processor
def _wording() -> dict:
    """The sentences made from analysis facts, for the network templates."""
    return wording.template_helpers()
