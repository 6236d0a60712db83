"""Radicale storage plugin (``[storage] type = netwerk.carddav.storage``): netwerk's data as
read-only address books. Runs inside the Flask request that carries the CardDAV request
(netwerk/carddav/views.py), so it reads through that request's database session.

Paths (after ``/carddav``): ``/`` the root, ``/<e-mail>/`` the account's principal, and
``/<e-mail>/mijn-wijken/`` and ``/<e-mail>/favorieten/`` its two books, whose items are
``<professional id>.vcf``. Only the signed-in account's own paths exist here (the rights plugin
refuses the others before storage is asked): another account's path is simply not found.
Every write raises: the books are derived from the directory and change only there.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from hashlib import sha256

from flask import g
from radicale import item as radicale_item
from radicale import pathutils, storage

from netwerk.carddav.books import BOOKS, Card, book_cards, http_date
from netwerk.db import db

SYNC_PREFIX = "http://netwerk.invalid/ns/sync/"


class ReadOnly(PermissionError):
    """The address books are read-only."""


def _current_user():
    """The account the auth plugin accepted for this request (None: anonymous)."""
    return g.get("carddav_user")


def _cards(slug: str) -> list[Card]:
    """The book's cards, built once per request (Radicale asks for a collection several times)."""
    cache = g.setdefault("carddav_cards", {})
    if slug not in cache:
        cache[slug] = book_cards(db.session, _current_user(), slug)
    return cache[slug]


class Collection(storage.BaseCollection):
    """The root, a principal, or one address book (``slug``)."""

    def __init__(self, path: str, slug: str | None = None) -> None:
        self._path = path
        self._slug = slug

    @property
    def path(self) -> str:
        return self._path

    # --- reading -------------------------------------------------------------------------
    def _items(self) -> list[radicale_item.Item]:
        if self._slug is None:
            return []
        return [radicale_item.Item(collection=self, href=c.href, text=c.text, etag=c.etag,
                                   uid=c.uid, name="VCARD", component_name="VCARD",
                                   last_modified=c.last_modified)
                for c in _cards(self._slug)]

    def get_all(self) -> Iterable[radicale_item.Item]:
        return self._items()

    def get_multi(self, hrefs: Iterable[str]):
        by_href = {i.href: i for i in self._items()}
        for href in hrefs:
            yield href, by_href.get(href)

    def has_uid(self, uid: str) -> bool:
        return any(i.uid == uid for i in self._items())

    def get_meta(self, key: str | None = None):
        meta: dict[str, str] = {}
        if self._slug is not None:
            book = BOOKS[self._slug]
            meta = {"tag": "VADDRESSBOOK", "D:displayname": book.title,
                    "CR:addressbook-description": book.description}
        return meta if key is None else meta.get(key)

    @property
    def etag(self) -> str:
        digest = sha256(self._path.encode())
        for item in self._items():
            digest.update(f"{item.href}/{item.etag}".encode())
        return f'"{digest.hexdigest()}"'

    @property
    def last_modified(self) -> str:
        stamps = [i.last_modified for i in self._items() if i.last_modified]
        if not stamps:
            return http_date(datetime(2026, 1, 1, tzinfo=UTC))
        from email.utils import parsedate_to_datetime

        return http_date(max(parsedate_to_datetime(s) for s in stamps))

    def sync(self, old_token: str = "") -> tuple[str, Iterable[str]]:
        """A sync token is the book's ETag: an unchanged book answers "nothing changed"; after
        any change the old token is refused, and the client lists the book again by ETag
        (RFC 6578 allows this: the server keeps no history)."""
        token = SYNC_PREFIX + self.etag.strip('"')
        if not old_token:
            return token, [i.href for i in self._items() if i.href]
        if old_token == token:
            return token, []
        raise ValueError("sync token no longer valid")

    # --- writing: refused -----------------------------------------------------------------
    def upload(self, href: str, item: radicale_item.Item):
        raise ReadOnly("read-only address book")

    def delete(self, href: str | None = None) -> None:
        raise ReadOnly("read-only address book")

    def set_meta(self, props: Mapping[str, str]) -> None:
        raise ReadOnly("read-only address book")


class Storage(storage.BaseStorage):
    _supports_unicode = False

    def discover(self, path: str, depth: str = "0", child_context_manager=None,
                 user_groups=frozenset()) -> Iterator:
        parts = [p for p in pathutils.strip_path(path).split("/") if p]
        user = _current_user()
        if not parts:
            yield Collection("")
            if depth != "0" and user is not None:
                yield Collection(user.email)
            return
        if user is None or parts[0] != user.email:
            return  # another account's path (the rights plugin refuses it first)
        if len(parts) == 1:
            yield Collection(user.email)
            if depth != "0":
                for slug in BOOKS:
                    yield Collection(f"{user.email}/{slug}", slug)
            return
        slug = parts[1]
        if slug not in BOOKS:
            return
        book = Collection(f"{user.email}/{slug}", slug)
        if len(parts) == 2:
            yield book
            if depth != "0":
                yield from book.get_all()
            return
        if len(parts) == 3:
            found = dict(book.get_multi([parts[2]]))[parts[2]]
            if found is not None:
                yield found

    def move(self, item, to_collection, to_href) -> None:
        raise ReadOnly("read-only address book")

    def create_collection(self, href, items=None, props=None):
        raise ReadOnly("read-only address book")

    @contextlib.contextmanager
    def acquire_lock(self, mode: str, user: str = "", *args, **kwargs) -> Iterator[None]:
        # Nothing to lock: every read is one database snapshot, nothing is written here.
        yield

    def verify(self) -> bool:
        return True
