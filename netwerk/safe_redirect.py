"""Where a ``next=`` may send a user: only to a path on this site."""

from __future__ import annotations

from urllib.parse import urlsplit


def local_path(target: str | None) -> str | None:
    """``target`` when it is a path on this site, else None.

    Refused: absolute and protocol-relative URLs (``//host``), and backslashes and control
    characters, which browsers turn into ``//host`` (``/\\evil.example`` is an open redirect).
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
