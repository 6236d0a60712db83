"""netwerk-memory:// (netwerk/ratelimit_storage.py) counts like limits' memory:// storage, frees
expired counters in the request that counts, and starts no thread. It replaces a private method
of limits' MemoryStorage, so a limits release that renames it must fail here, not in a search."""

from __future__ import annotations

import threading
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

from netwerk import ratelimit_storage


def _storage():
    storage = storage_from_string("netwerk-memory://")
    assert isinstance(storage, ratelimit_storage.InlineExpiryMemoryStorage)
    return storage


def test_fixed_and_moving_windows_refuse_the_fourth_of_three():
    for strategy in (FixedWindowRateLimiter, MovingWindowRateLimiter):
        limiter = strategy(_storage())
        limit = parse("3 per second")
        assert [limiter.hit(limit, "search", "203.0.113.9") for _ in range(4)] == [
            True, True, True, False]
        assert limiter.hit(limit, "search", "198.51.100.1")  # another address counts apart
        time.sleep(1.1)
        assert limiter.hit(limit, "search", "203.0.113.9")  # the window has passed


def test_counting_starts_no_thread_and_the_sweep_frees_expired_counters(monkeypatch):
    storage = _storage()  # (limits starts one timer when a storage is made)
    limiter = FixedWindowRateLimiter(storage)
    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda self: started.append(self))
    for i in range(50):
        limiter.hit(parse("1 per second"), "search", f"k{i}")
        time.sleep(0.012)  # longer apart than memory://'s 10 ms timer
    assert started == []
    assert len(storage.storage) >= 50

    time.sleep(1.1)
    monkeypatch.setattr(ratelimit_storage, "SWEEP_SECONDS", 0.0)
    storage._next_sweep = 0.0
    limiter.hit(parse("1 per second"), "search", "after")
    assert len(storage.storage) <= 2  # the 50 expired counters are gone
    assert started == []
