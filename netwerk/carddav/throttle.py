"""Throttling failed CardDAV sign-ins (the rules of netwerk/auth/throttle.py, own keys).

- per account, from everywhere: after ``LOGIN_SLOWDOWN_AFTER`` failures within
  ``LOGIN_SLOWDOWN_WINDOW`` seconds each further attempt waits, doubling up to
  ``LOGIN_SLOWDOWN_MAX`` (netwerk.auth.throttle.slowdown_seconds) — a wait, never a block. The
  count is CardDAV's own: a phone retrying a revoked app password never slows its owner's web
  sign-in;
- per client address: after ``CARDDAV_ADDRESS_FAILURE_LIMIT`` failures within the window the
  address gets 429 until the window has passed (netwerk/carddav/views.py).
Counts live in the limiter's storage (Redis in production); if it is unreachable, CardDAV
still works.
"""

from __future__ import annotations

import time

from flask import current_app, request

from netwerk.auth import throttle

SCOPE = "carddav"
_sleep = time.sleep  # one name for the wait, so a test can watch it


def _address_key() -> str:
    return f"carddav-address-failures:{request.remote_addr or '-'}"


def wait_before_attempt(email: str) -> float:
    """Sleep as long as the account's recent CardDAV failures ask; the seconds waited."""
    return throttle.wait_before_attempt(email, SCOPE, sleep=lambda seconds: _sleep(seconds))


def record_failure(email: str) -> None:
    throttle.record_failure(email, SCOPE)
    throttle.bump(_address_key())


def address_blocked() -> bool:
    """Whether this client address has failed too often within the window."""
    return throttle.count(_address_key()) >= int(current_app.config["CARDDAV_ADDRESS_FAILURE_LIMIT"])
