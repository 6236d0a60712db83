"""Sign-in throttling that a stranger cannot turn against someone else (docs/security.md).

Three layers, each in one function the login view names:

- per (account, client address): ``LOGIN_RATE_LIMIT`` attempts, then 429 — for that address
  only. Someone who knows a colleague's e-mail can block their own attempts, not hers from her
  own laptop or phone;
- per client address, any account: ``LOGIN_IP_RATE_LIMIT`` (higher: an office shares one
  address; behind a reverse proxy set ``NETWERK_TRUSTED_PROXIES`` so the address is the
  client's, not the proxy's);
- per account, from everywhere: after ``LOGIN_SLOWDOWN_AFTER`` failed attempts within
  ``LOGIN_SLOWDOWN_WINDOW`` seconds each further attempt waits, doubling from 0.25 s up to
  ``LOGIN_SLOWDOWN_MAX`` seconds. That slows a guesser spread over many addresses to a crawl
  without ever refusing the account's owner: a wait, never a block.

The code step of two-step sign-in counts in all three, against the account whose password was
given; single sign-on (``/login/sso`` and its callback) counts per client address.

Counts live in the limiter's storage (Redis in production, shared by every worker).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from flask import current_app, request

from netwerk.extensions import limiter


def submitted_email() -> str:
    """The account a sign-in attempt is for; the code step (netwerk/accounts/signin.py)
    counts against the account whose password was just given — whatever ``email`` the code
    step's form carries, or a guesser could spread the codes over made-up addresses."""
    if "code" in request.form:
        from netwerk.accounts import signin

        return signin.pending_email().strip().lower()
    return (request.form.get("email") or "").strip().lower()


def account_and_address_key() -> str:
    """The key of the per-account limit: the account together with the client's address."""
    return f"login:{submitted_email()}|{request.remote_addr or '-'}"


def window() -> int:
    """How long a failure counts, in seconds (``LOGIN_SLOWDOWN_WINDOW``)."""
    return int(current_app.config.get("LOGIN_SLOWDOWN_WINDOW", 900))


def count(key: str) -> int:
    """The failures counted under ``key`` in the window (0 when the storage is unreachable:
    throttling must not take sign-in down)."""
    try:
        return int(limiter.storage.get(key) or 0)
    except Exception:
        return 0


def bump(key: str) -> None:
    """Count one failure under ``key`` for the window (nothing when the storage is down)."""
    with contextlib.suppress(Exception):
        limiter.storage.incr(key, window())


def _failure_key(email: str, scope: str) -> str:
    return f"{scope}-failures:{email}"


def failed_attempts(email: str, scope: str = "login") -> int:
    """Recent failures of the account; ``scope`` keeps separate counts per way in (the web
    sign-in ``login``, the address books ``carddav``)."""
    return count(_failure_key(email, scope))


def slowdown_seconds(failures: int) -> float:
    """How long an attempt waits after ``failures`` recent failures of its account."""
    config = current_app.config
    over = failures - int(config.get("LOGIN_SLOWDOWN_AFTER", 20))
    if over < 0:
        return 0.0
    return min(0.25 * 2 ** min(over, 16), float(config.get("LOGIN_SLOWDOWN_MAX", 4.0)))


def wait_before_attempt(email: str, scope: str = "login",
                        sleep: Callable[[float], object] | None = None) -> float:
    """Sleep as long as the account's recent failures ask; returns the seconds waited."""
    delay = slowdown_seconds(failed_attempts(email, scope))
    if delay > 0:
        (sleep or time.sleep)(delay)
    return delay


def record_failure(email: str, scope: str = "login") -> None:
    bump(_failure_key(email, scope))
