"""The network's GraphCache: one value per (key, version), bounded, emptied on demand."""

from __future__ import annotations

from netwerk.network.cache import GraphCache


def test_a_value_is_built_once_per_key_and_version():
    cache = GraphCache()
    calls = []

    def build(value):
        calls.append(value)
        return value

    assert cache.get(("map", 1), (5,), lambda: build("a")) == "a"
    assert cache.get(("map", 1), (5,), lambda: build("b")) == "a"  # cached
    assert cache.get(("map", 1), (6,), lambda: build("c")) == "c"  # the data changed
    assert cache.get(("map", 2), (6,), lambda: build("d")) == "d"  # another question
    assert calls == ["a", "c", "d"]


def test_invalidate_forgets_everything():
    cache = GraphCache()
    cache.get("k", 1, lambda: "old")
    cache.invalidate()
    assert len(cache) == 0
    assert cache.get("k", 1, lambda: "new") == "new"


def test_the_cache_is_bounded_least_recently_used_first():
    cache = GraphCache(size=2)
    cache.get("a", 0, lambda: 1)
    cache.get("b", 0, lambda: 2)
    cache.get("a", 0, lambda: 0)  # a is used again
    cache.get("c", 0, lambda: 3)  # b goes
    assert len(cache) == 2
    assert cache.get("a", 0, lambda: "rebuilt") == 1
    assert cache.get("b", 0, lambda: "rebuilt") == "rebuilt"
