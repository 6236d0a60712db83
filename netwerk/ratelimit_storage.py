"""The rate limiter's in-process storage without a timer thread per request.

limits' ``memory://`` storage starts a ``threading.Timer`` (10 ms) on every counted request
whose previous timer has finished, to drop expired counters: with requests further apart than
that, a new thread per search (a few milliseconds each on a loaded machine). Its counters do not
need it to be correct: reading a counter (``get``, which ``incr`` calls first) already drops it
once its window has passed, and a moving window is read by time. The timer only frees memory.

``netwerk-memory://`` (the default of ``NETWERK_RATELIMIT_STORAGE_URL``) is the same storage
that frees that memory inline instead, at most once every ``SWEEP_SECONDS``, in the request
that happens to count then. Like ``memory://`` it is per process: several workers need
``redis://…``.
"""

from __future__ import annotations

import time

from limits.storage import MemoryStorage

SWEEP_SECONDS = 10.0


class InlineExpiryMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = ["netwerk-memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._next_sweep = time.monotonic() + SWEEP_SECONDS

    # MemoryStorage calls its private ``__schedule_expiry`` before each count; this replaces it
    # (the name as Python mangles it) with an occasional sweep in the calling thread.
    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + SWEEP_SECONDS
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]
