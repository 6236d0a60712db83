"""The network's cache: graphs and analyses built once per data version.

A ``GraphCache`` is a small bounded LRU map from a key made of plain parameters (what was
asked: ``("map_view", area_id, level, ...)``) plus the data version of what it was built from
(see ``netwerk.network.graph.data_version``). A value is only served while the version it was
built under is the current one, so a change made by another process (another worker, the CLI,
an import) is seen at the next request. ``invalidate()`` empties it at once: the network's
operations call it after every change they make, so this process does not even ask.

There is one cache per database engine (``cache_for(session)``), so two databases in one
process (the test suite runs SQLite and PostgreSQL) never share an entry.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")

DEFAULT_SIZE = 64


class GraphCache:
    """A bounded, thread-safe map from (key, version) to a built value."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[Hashable, Hashable], Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: Hashable, build: Callable[[], T]) -> T:
        """The value for ``key`` built under ``version``, calling ``build()`` once if absent."""
        full = (key, version)
        with self._lock:
            if full in self._entries:
                self._entries.move_to_end(full)
                return self._entries[full]
        value = build()
        with self._lock:
            self._entries[full] = value
            self._entries.move_to_end(full)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def invalidate(self) -> None:
        """Forget everything (after a change this process made)."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


_caches: weakref.WeakKeyDictionary[Any, GraphCache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def cache_for(session: Session) -> GraphCache:
    """The cache of the database ``session`` is bound to."""
    engine = session.get_bind()
    engine = getattr(engine, "engine", engine)  # a Connection answers with its Engine
    with _caches_lock:
        cache = _caches.get(engine)
        if cache is None:
            cache = _caches[engine] = GraphCache()
        return cache


def invalidate(session: Session) -> None:
    """Forget the cached graphs of ``session``'s database (call after a change to people,
    ties, work sessions, attendance, services or areas)."""
    cache_for(session).invalidate()


def clear_all() -> None:
    """Forget every cache (benchmarks: measure a cold start)."""
    with _caches_lock:
        caches = list(_caches.values())
    for cache in caches:
        cache.invalidate()
