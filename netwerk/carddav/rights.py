"""Radicale rights plugin (``[rights] type = netwerk.carddav.rights``): read-only, and only one's
own books. Radicale's permission letters: ``R`` read a plain collection (the root, one's
principal), ``r`` read an address book and its cards. No ``W``/``w``: every PUT, DELETE, MKCOL,
PROPPATCH and MOVE is refused, and Radicale never tries to create a principal collection."""

from __future__ import annotations

from radicale import pathutils, rights

from netwerk.auth import policy


class Rights(rights.BaseRights):
    def authorization(self, user: str, user_groups: set, path: str) -> str:
        if not user:
            return ""  # anonymous: 401, nothing shown
        parts = [p for p in pathutils.strip_path(path).split("/") if p]
        if not parts:
            return "R"
        if not policy.can_read_address_book(user, parts[0]):
            return ""
        if len(parts) == 1:
            return "R"
        if len(parts) == 2:
            return "r"
        return ""
