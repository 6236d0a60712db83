"""What the address books hold (reads; no Flask, no Radicale).

Two books per account:

- ``mijn-wijken``, "Mijn wijken": every active professional working in one of the areas of the
  professional the account is linked to (the same people as the ``/wijken/<id>.vcf`` download of
  each of those wijken), without the user themself. An account that is not linked to a
  professional, or whose professional has no wijken, gets the book empty: the phone's account
  still works and fills as soon as wijken are set;
- ``favorieten``, "Favorieten": the user's favourites (``POST /personen/<id>/favoriet``) that are
  still active.

A person who is deactivated, deleted, moves out of the wijk or is unfavourited is no longer in
the book, so the next sync removes the card from the phone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from hashlib import sha256

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from netwerk.directory import cards
from netwerk.directory.queries import favourites_of
from netwerk.models import Professional, User, professional_areas


@dataclass(frozen=True)
class Card:
    """One vCard as the server hands it out."""

    href: str  # "<professional id>.vcf"
    uid: str
    text: str
    etag: str  # quoted, changes whenever the card's text changes
    last_modified: str  # HTTP date


def _load(query):
    return query.where(Professional.active.is_(True)).options(
        joinedload(Professional.organisation), selectinload(Professional.areas)
    ).order_by(Professional.name, Professional.id)


def wijk_people(session: Session, user: User) -> list[Professional]:
    """The active professionals working in the areas of the user's own professional."""
    own = user.professional_id
    if own is None:
        return []
    own_areas = select(professional_areas.c.area_id).where(
        professional_areas.c.professional_id == own)
    in_those = select(professional_areas.c.professional_id).where(
        professional_areas.c.area_id.in_(own_areas))
    return list(session.scalars(_load(
        select(Professional).where(Professional.id.in_(in_those), Professional.id != own))))


def favourite_people(session: Session, user: User) -> list[Professional]:
    """The user's favourites that are still active (a phone's book holds only people one can
    call): the same list as the home page."""
    return favourites_of(session, user.id, selectinload(Professional.areas))


@dataclass(frozen=True)
class Book:
    slug: str
    title: str  # Dutch; the phone shows it as the group / account name
    description: str
    people: Callable[[Session, User], list[Professional]]


BOOKS: dict[str, Book] = {
    "mijn-wijken": Book("mijn-wijken", "Mijn wijken",
                        "Iedereen die in jouw wijken werkt (netwerk)", wijk_people),
    "favorieten": Book("favorieten", "Favorieten", "Jouw favorieten (netwerk)", favourite_people),
}


def http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


# Serialising a vCard (vobject) is the costly part of a sync: ~1–5 ms a card. A card is a
# function of the fields below, so the text is kept per process under exactly those fields; an
# unchanged book of 500 people is then answered from the rows alone. A change in any field
# makes a new key (a new text, a new ETag); old keys age out.
_CARD_CACHE: dict[tuple, Card] = {}
CARD_CACHE_SIZE = 50_000


def _fingerprint(p: Professional) -> tuple:
    return (p.id, p.name, p.role, p.organisation.name, p.mobile, p.landline, p.email,
            tuple(a.name for a in p.areas), p.updated_at)


def card_for(professional: Professional) -> Card:
    """The professional's vCard (netwerk/directory/cards.py, without photo: a book of 500
    people stays small) with its ETag, a hash of the text."""
    key = _fingerprint(professional)
    found = _CARD_CACHE.get(key)
    if found is not None:
        return found
    text = cards.vcard(professional).serialize()
    card = Card(href=f"{professional.id}.vcf", uid=cards.card_uid(professional), text=text,
                etag=f'"{sha256(text.encode()).hexdigest()}"',
                last_modified=http_date(professional.updated_at))
    if len(_CARD_CACHE) >= CARD_CACHE_SIZE:
        _CARD_CACHE.clear()
    _CARD_CACHE[key] = card
    return card


def book_cards(session: Session, user: User, slug: str) -> list[Card]:
    """The cards of one of the user's books, by name; KeyError for an unknown book."""
    return [card_for(p) for p in BOOKS[slug].people(session, user)]
