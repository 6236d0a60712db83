"""Redis databases for the tests that flush one (the worker test, the shared sign-in limit).

Each such test file gets its own database number: the one of NETWERK_TEST_REDIS_URL (default
``redis://127.0.0.1:6379/1``) plus the file's offset, so two files running at the same time
(pytest-xdist) never flush each other's keys, also when the variable is set."""

from __future__ import annotations

import os

from redis.connection import parse_url


def redis_url(offset: int) -> str:
    base = os.environ.get("NETWERK_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
    db = int(parse_url(base).get("db", 0)) + offset
    head, _, tail = base.rpartition("/")
    return f"{head}/{db}" if tail.isdigit() else f"{base.rstrip('/')}/{db}"
