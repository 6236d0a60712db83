"""The matching answer kept per case and data version, so a page view matches once at most.

The data version of what matching reads is one row (``network_counter``,
netwerk/models/table.py, the same the network map asks): the database's network counter, raised by triggers on every change to people
(availability, caseload, languages, may-coordinate, active), their wijken and domains,
organisations (may-coordinate), services and the areas they serve at any level (wijk,
gemeente, regio, elsewhere), their domains, ties and areas (migration 0016), the eligibility
rules and the domains (0021). A change made anywhere, by any process, changes the version; the
next view matches again.

A version is only trusted when this transaction has not itself changed what the counter
watches: its uncommitted change raised the counter, and after a rollback another change may
raise it to the same number. Such a transaction (and a database without the counter row)
matches without the cache.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from netwerk.models.table import network_counter
from netwerk.network.cache import GraphCache

T = TypeVar("T")

# The tables whose changes raise the network counter (migrations 0016 and 0021).
WATCHED = frozenset({
    "ties", "work_sessions", "attendances", "invitations", "professionals", "organisations",
    "professional_areas", "professional_domains", "services", "service_areas",
    "service_domains", "areas", "area_sector_checklist", "eligibility_rules", "domains",
})
WROTE = "netwerk.matching.wrote_network"
ANALYSIS_CACHE_SIZE = 256

_caches: weakref.WeakKeyDictionary[Any, GraphCache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def analysis_cache(session: Session) -> GraphCache:
    """The cache of case analyses of ``session``'s database (one per engine)."""
    engine = session.get_bind()
    engine = getattr(engine, "engine", engine)
    with _caches_lock:
        cache = _caches.get(engine)
        if cache is None:
            cache = _caches[engine] = GraphCache(ANALYSIS_CACHE_SIZE)
        return cache


def clear() -> None:
    """Forget every cached analysis (benchmarks: measure a cold start)."""
    with _caches_lock:
        caches = list(_caches.values())
    for cache in caches:
        cache.invalidate()


def matching_version(session: Session) -> int | None:
    """The data version of everything matching reads, or None when it cannot be trusted in
    this transaction (it changed watched data itself, or the counter row is missing)."""
    if session.info.get(WROTE):
        return None
    return network_counter(session)


def cached(session: Session, key: Hashable, build: Callable[[], T]) -> T:
    """``build()``'s value for ``key`` under the current data version: from the cache when it
    was built under this version, else built (and kept, when the version can be trusted). The
    version is read before ``build`` reads anything, so a value is never older than the
    version it is kept under."""
    version = matching_version(session)
    if version is None:
        return build()
    return analysis_cache(session).get(key, version, build)


def _tables(instances) -> set[str]:
    found = set()
    for obj in instances:
        table = getattr(type(obj), "__tablename__", None)
        if table:
            found.add(table)
    return found


@event.listens_for(Session, "after_flush")
def _remember_watched_write(session: Session, _context) -> None:
    if session.info.get(WROTE):
        return
    dirty = (obj for obj in session.dirty if session.is_modified(obj))
    changed = _tables(session.new) | _tables(dirty) | _tables(session.deleted)
    if changed & WATCHED:
        session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _remember_watched_statement(state) -> None:
    if state.is_select or state.session.info.get(WROTE):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None) or getattr(
        getattr(table, "__table__", None), "name", None)
    if name is None or name in WATCHED:  # an unknown target: assume it is watched
        state.session.info[WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_watched_write(session: Session, transaction) -> None:
    # The outermost transaction ended (committed, rolled back or closed): its changes are
    # either in the counter for everyone or gone.
    if transaction.parent is None:
        session.info.pop(WROTE, None)
