"""Directory search over the database index made by migration 0002 (``search_*`` objects).

``search(session, q, ...)`` answers a query with a few small indexed queries:

1. a phone number in any common notation (``06-12345678``, ``+31 6 1234 5678``, ``0031…``) is
   looked up by its E.164 form on the indexed number columns; four or more digits alone
   ("5678", as a missed-call screen shows them) by the last digits of every number (expression
   indexes of migration 0014_search);
2. *exact*: every query word is a whole word of the person's (or organisation's) index text; a
   word naming a language ("turks", "arabisch") also matches the people who speak it;
3. *prefix*: every query word starts a word (as you type);
4. *fuzzy*: only when 2 and 3 found few results, and only for words of five letters or more:
   a candidate set (SQLite: FTS5 trigrams; PostgreSQL: the deletion-neighbourhood keys of
   migration 0014_search), at most ``FUZZY_CANDIDATES`` rows, re-ranked in Python with one edit
   allowed (rapidfuzz); an organisation found by a typo brings its people along.

Ranking: number > exact > prefix > fuzzy; within a tier people who work in one of the searcher's
own wijken come first, then matches on the name, then the index's own order. An organisation
whose own name matches ranks before people who only match through it
(``organisations_first``). No step loads rows beyond the candidate limits.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import OSA
from sqlalchemy import select
from sqlalchemy.orm import Session

from netwerk.db import utcnow
from netwerk.directory.search_index import (
    FEW,
    Word,
    _fuzzy_candidates,
    _index_hits,
    _is_sqlite,
    _number_owners,
    _org_rows_statement,
    _people_rows_statement,
)
from netwerk.directory.search_index import FUZZY_MAX_TRIGRAMS as FUZZY_MAX_TRIGRAMS
from netwerk.directory.search_index import fuzzy_trigrams as fuzzy_trigrams
from netwerk.directory.search_index import typo_keys as typo_keys
from netwerk.models import Professional
from netwerk.models.professional import initials_of
from netwerk.phone import display as _display
from netwerk.phone import offers_messages, try_normalize

PEOPLE_LIMIT = 25
ORG_LIMIT = 10
FUZZY_MIN_LENGTH = 5
# Bounds of the typo step (finding 11: one 200-letter word cost 45x a normal search, as its
# 198 trigrams made ~19,500 OR-ed pairs): no typo search for a longer word (no name is that
# long), and at most FUZZY_MAX_TRIGRAMS trigrams, spread over the word, so at most
# C(12, 2) = 66 pairs; and at most MAX_QUERY_WORDS words are looked up.
FUZZY_MAX_LENGTH = 40
MAX_QUERY_WORDS = 8
# Digits alone: at least this many are looked up as the end of a number.
SUFFIX_MIN_DIGITS = 4
_DIGITS_ONLY = re.compile(r"^[0-9 ()./+-]+$")

TIER_NUMBER, TIER_EXACT, TIER_PREFIX, TIER_FUZZY = "nummer", "exact", "prefix", "fuzzy"
_TIER_ORDER = {TIER_NUMBER: 0, TIER_EXACT: 1, TIER_PREFIX: 2, TIER_FUZZY: 3}

# Letters NFKD does not take apart; the migration folds the same set in SQL.
_SPECIAL = str.maketrans({"ø": "o", "Ø": "o", "ı": "i", "ł": "l", "Ł": "l", "ß": "ss"})
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=100_000)
def display(e164: str | None) -> str:
    """netwerk.phone.display, remembered (phonenumbers' parse is slow: ~1 ms)."""
    return _display(e164)


@lru_cache(maxsize=100_000)
def _offers_messages(e164: str | None, personal_mobile: bool) -> bool:
    """netwerk.phone.offers_messages, remembered (it parses the number too)."""
    return offers_messages(e164, personal_mobile=personal_mobile)


def normalise(value: str) -> str:
    """Fold accents and case: ``"Öztürk"`` → ``"ozturk"``, ``"Chantál"`` → ``"chantal"``."""
    decomposed = unicodedata.normalize("NFKD", value.translate(_SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(value: str) -> list[str]:
    """The normalised words of ``value`` (letters and digits only)."""
    return _WORD.findall(normalise(value))


@dataclass
class PersonHit:
    id: int
    name: str
    role: str
    organisation: str
    organisation_id: int
    wijken: list[str]
    mobile: str | None
    landline: str | None
    email: str | None
    verified_at: datetime
    stale: bool
    match: str
    own_wijk: bool
    initials: str = ""
    photo_updated_at: datetime | None = None
    on_name: bool = True

    @property
    def messaging(self) -> bool:
        """Sms and WhatsApp are offered: the person's mobile number is a mobile number."""
        return _offers_messages(self.mobile, True)

    def as_json(self) -> dict:
        # Built by hand: dataclasses.asdict deep-copies every field (a third of a live
        # search's Python time for 25 people).
        return {
            "id": self.id, "name": self.name, "role": self.role,
            "organisation": self.organisation, "organisation_id": self.organisation_id,
            "wijken": list(self.wijken), "mobile": self.mobile, "landline": self.landline,
            "email": self.email, "verified_at": self.verified_at.date().isoformat(),
            "stale": self.stale, "match": self.match, "own_wijk": self.own_wijk,
            "initials": self.initials, "has_photo": self.photo_updated_at is not None,
            "mobile_display": display(self.mobile), "messaging": self.messaging,
        }


@dataclass
class OrganisationHit:
    id: int
    name: str
    sector: str
    phone: str | None
    crisis_phone: str | None
    match: str

    @property
    def messaging(self) -> bool:
        """Never for a switchboard: only a number in the 06 range."""
        return _offers_messages(self.phone, False)

    def as_json(self) -> dict:
        return {
            "id": self.id, "name": self.name, "sector": self.sector, "phone": self.phone,
            "crisis_phone": self.crisis_phone, "match": self.match,
            "phone_display": display(self.phone), "messaging": self.messaging,
        }


@dataclass
class SearchResult:
    query: str
    number: str | None = None
    people: list[PersonHit] = field(default_factory=list)
    organisations: list[OrganisationHit] = field(default_factory=list)
    # The best organisation matches on its own name at least as well as the best person
    # (who does not match on their own name): show organisations first.
    organisations_first: bool = False

    def as_json(self) -> dict:
        return {
            "query": self.query,
            "number": self.number,
            "people": [h.as_json() for h in self.people],
            "organisations": [h.as_json() for h in self.organisations],
            "organisations_first": self.organisations_first,
        }


# --- query words -------------------------------------------------------------------------------


def query_words(q: str) -> list[Word]:
    return [Word.of(w) for w in words(q)[:MAX_QUERY_WORDS]]


def digits_suffix(q: str) -> str | None:
    """The digits of ``q`` when it is only digits (and separators), at least four of them."""
    if not _DIGITS_ONLY.match(q):
        return None
    digits = "".join(c for c in q if c.isdigit())
    return digits if len(digits) >= SUFFIX_MIN_DIGITS else None


# --- the search --------------------------------------------------------------------------------


@lru_cache(maxsize=200_000)
def name_words_of(name: str) -> tuple[str, ...]:
    """``words(name)``, remembered between searches (the same names come back as hits and typo
    candidates; folding them is most of the Python time of a search)."""
    return tuple(words(name))


def _one_typo_away(query_words: list[str], name: str) -> bool:
    """Every query word is a word of ``name``, a prefix of one, or (five letters or more) one
    edit away from a word or a same-length prefix of one."""
    name_words = name_words_of(name)
    for q in query_words:
        ok = any(w == q or w.startswith(q) for w in name_words)
        if not ok and len(q) >= FUZZY_MIN_LENGTH:
            ok = any(
                OSA.distance(q, w, score_cutoff=1) <= 1
                or OSA.distance(q, w[: len(q)], score_cutoff=1) <= 1
                for w in name_words
            )
        if not ok:
            return False
    return True


def search(
    session: Session,
    q: str,
    *,
    viewer_area_ids: set[int] | frozenset[int] = frozenset(),
    viewer_id: int | None = None,
    stale_after_days: int = 180,
    now: datetime | None = None,
    people_limit: int = PEOPLE_LIMIT,
    org_limit: int = ORG_LIMIT,
) -> SearchResult:
    """Find professionals and organisations for ``q``; see the module docstring.

    The searcher's own wijken: ``viewer_id`` (a professional's id; their wijken are compared in
    the statement that loads the hits, no statement of their own) or ``viewer_area_ids``."""
    q = (q or "").strip()[:200]
    result = SearchResult(query=q)
    if not q:
        return result
    now = now or utcnow()
    stale_before = now - timedelta(days=stale_after_days)

    people: dict[int, str] = {}
    orgs: dict[int, str] = {}
    # PostgreSQL: the words' statement brings the rows of its hits along (search_index.py).
    prefetched: dict[str, dict] | None = (
        None if _is_sqlite(session) else {"people": {}, "orgs": {}})

    number = try_normalize(q)
    suffix = None if number else digits_suffix(q)
    if number or suffix:
        result.number = number
        for kind, found_id in _number_owners(session, number, suffix, prefetched, viewer_id):
            (people if kind == "people" else orgs).setdefault(found_id, TIER_NUMBER)

    words_ = [] if (number or suffix) else query_words(q)
    plain = [w.text for w in words_]
    if words_:
        longest = max(plain, key=len)
        typo_word = longest if FUZZY_MIN_LENGTH <= len(longest) <= FUZZY_MAX_LENGTH else None
        people_hits, org_hits, candidates = _index_hits(
            session, words_, people_limit, org_limit, typo_word, prefetched, viewer_id
        )
        for i, tier in people_hits:
            people.setdefault(i, tier)
        for i, tier in org_hits:
            orgs.setdefault(i, tier)
        if typo_word and len(people) + len(orgs) < FEW:
            if candidates is None:
                candidates = _fuzzy_candidates(session, typo_word, ("people", "orgs"))
            for kind, found, limit in (("people", people, people_limit), ("orgs", orgs, org_limit)):
                for i, key in candidates[kind]:
                    if i not in found and len(found) < limit and _one_typo_away(plain, key):
                        found[i] = TIER_FUZZY
            # An organisation found by its name with a typo ("altrect") brings its people.
            typo_orgs = [i for i, tier in orgs.items() if tier == TIER_FUZZY]
            if typo_orgs and len(people) < people_limit:
                for (pid,) in session.execute(
                    select(Professional.id)
                    .where(Professional.organisation_id.in_(typo_orgs), Professional.active)
                    .order_by(Professional.name, Professional.id)
                    .limit(people_limit - len(people))
                ):
                    people.setdefault(pid, TIER_FUZZY)

    loaded = prefetched or {"people": {}, "orgs": {}}
    result.people = _people_hits(
        session, people, plain, viewer_area_ids, viewer_id, stale_before, loaded["people"]
    )
    result.organisations = _org_hits(session, orgs, plain, loaded["orgs"])
    result.organisations_first = _organisations_first(result, plain)
    return result


def _name_matches(query_words: list[str], name: str) -> bool:
    """Every query word starts a word of ``name`` (or, five letters or more, is a typo of one)."""
    return bool(query_words) and _one_typo_away(query_words, name)


def _organisations_first(result: SearchResult, query_words: list[str]) -> bool:
    if not result.organisations:
        return False
    top = result.organisations[0]
    if top.match == TIER_NUMBER:
        return not result.people or result.people[0].match != TIER_NUMBER
    if not _name_matches(query_words, top.name):
        return False
    if not result.people:
        return True
    person = result.people[0]
    org_tier, person_tier = _TIER_ORDER[top.match], _TIER_ORDER[person.match]
    return org_tier < person_tier or (org_tier == person_tier and not person.on_name)


def _parse_areas(value: str | None) -> list[tuple[int, str]]:
    if not value:
        return []
    pairs = []
    for item in value.split("\x1e"):
        area_id, _, name = item.partition("\x1f")
        pairs.append((int(area_id), name))
    return sorted(pairs, key=lambda pair: (pair[1], pair[0]))


def _hit_rows(tiers: dict[int, str], loaded: dict[int, Any],
              read: Callable[[list[int]], Sequence[Any]]) -> list[Any]:
    """The rows of the hits ``tiers`` names: those ``loaded`` already (by the statement that
    found them), then ``read(ids)`` of the others, in one statement and only when there are any."""
    rows = [loaded[hit_id] for hit_id in tiers if hit_id in loaded]
    missing = [hit_id for hit_id in tiers if hit_id not in loaded]
    if missing:
        rows += read(missing)
    return rows


def _people_hits(
    session: Session,
    tiers: dict[int, str],
    query_words: list[str],
    viewer_area_ids: set[int] | frozenset[int],
    viewer_id: int | None,
    stale_before: datetime,
    loaded: dict[int, tuple],
) -> list[PersonHit]:
    """The hits' rows, wijken and whether they share a wijk with the viewer in one statement
    (only for those not ``loaded`` already), sorted."""
    statement = _people_rows_statement(_is_sqlite(session), viewer_id is not None)
    viewer = {"viewer": viewer_id} if viewer_id is not None else {}
    rows = _hit_rows(tiers, loaded,
                     lambda ids: session.execute(statement, {"ids": ids, **viewer}).all())
    order = {pid: n for n, pid in enumerate(tiers)}
    hits = []
    for (pid, name, role, org_id, org_name, mobile, landline, email, verified, photo_at, wijken,
         shares) in rows:
        name_words = name_words_of(name)
        on_name = all(any(w.startswith(q) for w in name_words) for q in query_words)
        mine = _parse_areas(wijken)
        own = bool(shares) or any(area_id in viewer_area_ids for area_id, _ in mine)
        hits.append(
            (
                (_TIER_ORDER[tiers[pid]], not own, not on_name, order[pid]),
                PersonHit(
                    id=pid,
                    name=name,
                    role=role,
                    organisation=org_name,
                    organisation_id=org_id,
                    wijken=[area_name for _, area_name in mine],
                    mobile=mobile,
                    landline=landline,
                    email=email,
                    verified_at=verified,
                    stale=verified < stale_before,
                    match=tiers[pid],
                    own_wijk=own,
                    initials=initials(name),
                    photo_updated_at=photo_at,
                    on_name=on_name,
                ),
            )
        )
    return [hit for _, hit in sorted(hits, key=lambda pair: pair[0])]


def initials(name: str) -> str:
    """The same initials a Professional shows (avatar without a photo)."""
    return initials_of(name)


def _org_hits(
    session: Session, tiers: dict[int, str], query_words: list[str], loaded: dict[int, Any]
) -> list[OrganisationHit]:
    """Within a tier, organisations whose own name matches come first (a sector match after);
    rows not ``loaded`` already are read in one statement."""
    statement = _org_rows_statement(_is_sqlite(session))
    order = {oid: n for n, oid in enumerate(tiers)}
    rows = sorted(
        _hit_rows(tiers, loaded, lambda ids: session.execute(statement, {"ids": ids}).all()),
        key=lambda o: (
            _TIER_ORDER[tiers[o.id]], not _name_matches(query_words, o.name), order[o.id]
        ),
    )
    return [
        OrganisationHit(
            id=o.id,
            name=o.name,
            sector=str(getattr(o.sector, "value", o.sector)),
            phone=o.phone,
            crisis_phone=o.crisis_phone,
            match=tiers[o.id],
        )
        for o in rows
    ]
