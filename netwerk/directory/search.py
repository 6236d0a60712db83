"""Directory search over the database index made by migration 0002 (``search_*`` objects).

``search(session, q, ...)`` answers a query in at most four small indexed queries:

1. a phone number in any common notation (``06-12345678``, ``+31 6 1234 5678``, ``0031…``) is
   looked up by its E.164 form on the indexed number columns;
2. *exact*: every query word is a whole word of the person's (or organisation's) index text;
3. *prefix*: every query word starts a word (as you type);
4. *fuzzy*: only when 2 and 3 found few results, and only for words of five letters or more:
   a trigram candidate set (SQLite FTS5 trigram / PostgreSQL pg_trgm), at most
   ``FUZZY_CANDIDATES`` rows, re-ranked in Python with one edit allowed (rapidfuzz).

Ranking: number > exact > prefix > fuzzy; within a tier people who work in one of the searcher's
own wijken come first, then matches on the name, then the index's own order. No step loads rows
beyond the candidate limits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import combinations
from types import SimpleNamespace

from rapidfuzz.distance import OSA
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from netwerk.db import utcnow
from netwerk.models import Area, Organisation, Professional, professional_areas
from netwerk.phone import display as _display
from netwerk.phone import try_normalize

PEOPLE_LIMIT = 25
ORG_LIMIT = 10
FUZZY_CANDIDATES = 200
SHORT_PREFIX = 3
FUZZY_MIN_LENGTH = 5
# Bounds of the typo step (finding 11: one 200-letter word cost 45x a normal search, as its
# 198 trigrams made ~19,500 OR-ed pairs): no typo search for a longer word (no name is that
# long), and at most FUZZY_MAX_TRIGRAMS trigrams, spread over the word, so at most
# C(12, 2) = 66 pairs; and at most MAX_QUERY_WORDS words are looked up.
FUZZY_MAX_LENGTH = 40
FUZZY_MAX_TRIGRAMS = 12
MAX_QUERY_WORDS = 8
FEW = 5

TIER_NUMBER, TIER_EXACT, TIER_PREFIX, TIER_FUZZY = "nummer", "exact", "prefix", "fuzzy"
_TIER_ORDER = {TIER_NUMBER: 0, TIER_EXACT: 1, TIER_PREFIX: 2, TIER_FUZZY: 3}

# Letters NFKD does not take apart; the migration folds the same set in SQL.
_SPECIAL = str.maketrans({"ø": "o", "Ø": "o", "ı": "i", "ł": "l", "Ł": "l", "ß": "ss"})
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=100_000)
def display(e164: str | None) -> str:
    """netwerk.phone.display, remembered (phonenumbers' parse is slow: ~1 ms)."""
    return _display(e164)


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

    def as_json(self) -> dict:
        data = asdict(self)
        data["verified_at"] = self.verified_at.date().isoformat()
        data["has_photo"] = data.pop("photo_updated_at") is not None
        data["mobile_display"] = display(self.mobile)
        return data


@dataclass
class OrganisationHit:
    id: int
    name: str
    sector: str
    phone: str | None
    crisis_phone: str | None
    match: str

    def as_json(self) -> dict:
        data = asdict(self)
        data["phone_display"] = display(self.phone)
        return data


@dataclass
class SearchResult:
    query: str
    number: str | None = None
    people: list[PersonHit] = field(default_factory=list)
    organisations: list[OrganisationHit] = field(default_factory=list)


# --- index queries, one implementation per engine ----------------------------------------------


def _fts_phrase(words_: list[str], prefix: bool) -> str:
    return " AND ".join(f'"{w}"' + ("*" if prefix else "") for w in words_)


def _index_ids(session: Session, kind: str, words_: list[str], prefix: bool, limit: int) -> list[int]:
    """Ids (best first) whose index text holds every word (``prefix``: a word starting with it)."""
    if not words_:
        return []
    # A one- or two-letter beginning matches a large share of all rows: ranking them all
    # costs more than it tells, so those come in index order (the next letter narrows it).
    ranked = not prefix or min(len(w) for w in words_) >= SHORT_PREFIX
    if session.get_bind().dialect.name == "sqlite":
        table = "search_people" if kind == "people" else "search_orgs"
        weights = "10.0, 3.0, 3.0, 2.0, 1.0" if kind == "people" else "10.0, 1.0"
        order = f"ORDER BY bm25({table}, {weights}) " if ranked else ""
        rows = session.execute(
            text(f"SELECT rowid FROM {table} WHERE {table} MATCH :m {order}LIMIT :n"),
            {"m": _fts_phrase(words_, prefix), "n": limit},
        )
        return [r[0] for r in rows]
    table, id_col = (
        ("search_people", "professional_id") if kind == "people" else ("search_orgs", "organisation_id")
    )
    conditions, params = [], {"n": limit}
    for i, w in enumerate(words_):
        params[f"w{i}"] = f"% {w}{'' if prefix else ' '}%"
        conditions.append(f"doc LIKE :w{i}")
    # Matches on the name first: the key is the normalised name.
    params["first"] = f"{words_[0]}%"
    order = "ORDER BY (key LIKE :first) DESC, length(key) " if ranked else ""
    rows = session.execute(
        text(f"SELECT {id_col} FROM {table} WHERE {' AND '.join(conditions)} {order}LIMIT :n"),
        params,
    )
    return [r[0] for r in rows]


def _index_hits(
    session: Session, kind: str, words_: list[str], limit: int
) -> list[tuple[int, str]]:
    """(id, tier) of the exact matches, then the prefix matches, best first, at most ``limit``.

    SQLite: two FTS5 queries (the second only when the first left room). PostgreSQL: one query
    over the prefix matches that flags the exact ones and puts them first (a round trip less).
    """
    if session.get_bind().dialect.name == "sqlite":
        hits = [(i, TIER_EXACT) for i in _index_ids(session, kind, words_, False, limit)]
        if len(hits) < limit:
            hits += [(i, TIER_PREFIX) for i in _index_ids(session, kind, words_, True, limit)]
        return hits
    table, id_col = (
        ("search_people", "professional_id") if kind == "people" else ("search_orgs", "organisation_id")
    )
    params: dict = {"n": limit, "first": f"{words_[0]}%"}
    prefix_conditions, exact_conditions = [], []
    for i, w in enumerate(words_):
        params[f"p{i}"], params[f"e{i}"] = f"% {w}%", f"% {w} %"
        prefix_conditions.append(f"doc LIKE :p{i}")
        exact_conditions.append(f"doc LIKE :e{i}")
    exact = " AND ".join(exact_conditions)
    ranked = min(len(w) for w in words_) >= SHORT_PREFIX
    # One- or two-letter beginnings: no ordering, so the scan stops at ``limit`` rows.
    order = f"ORDER BY ({exact}) DESC, (key LIKE :first) DESC, length(key) " if ranked else ""
    rows = session.execute(
        text(
            f"SELECT {id_col}, ({exact}) FROM {table} "
            f"WHERE {' AND '.join(prefix_conditions)} {order}LIMIT :n"
        ),
        params,
    )
    return [(r[0], TIER_EXACT if r[1] else TIER_PREFIX) for r in rows]


def fuzzy_trigrams(word: str) -> list[str]:
    """The distinct trigrams of ``word``, at most FUZZY_MAX_TRIGRAMS of them evenly spread
    (first and last kept): a typo changes at most three neighbouring ones."""
    grams = list(dict.fromkeys(word[i : i + 3] for i in range(len(word) - 2)))
    if len(grams) <= FUZZY_MAX_TRIGRAMS:
        return grams
    step = (len(grams) - 1) / (FUZZY_MAX_TRIGRAMS - 1)
    return list(dict.fromkeys(grams[round(i * step)] for i in range(FUZZY_MAX_TRIGRAMS)))


def _fuzzy_candidates(session: Session, kind: str, word: str, limit: int) -> list[tuple[int, str]]:
    """(id, normalised name) of rows sharing trigrams with ``word``: a small candidate set for
    the typo check.

    SQLite: rows sharing two of the word's trigrams (one typo leaves most of them intact); if
    none, rows sharing one. No ranking (bm25 over every row holding a common trigram costs
    more than re-ranking a few hundred names in Python).
    """
    if session.get_bind().dialect.name == "sqlite":
        table = "search_people_tri" if kind == "people" else "search_orgs_tri"
        grams = fuzzy_trigrams(word)
        pairs = " OR ".join(f'("{a}" AND "{b}")' for a, b in combinations(grams, 2))
        query = text(f"SELECT rowid, key FROM {table} WHERE {table} MATCH :m LIMIT :n")
        rows = list(session.execute(query, {"m": pairs, "n": limit})) if pairs else []
        if not rows:
            any_gram = " OR ".join(f'"{g}"' for g in grams)
            rows = list(session.execute(query, {"m": any_gram, "n": limit}))
        return [(r[0], r[1]) for r in rows]
    table, id_col = (
        ("search_people", "professional_id") if kind == "people" else ("search_orgs", "organisation_id")
    )
    session.execute(text("SELECT set_config('pg_trgm.word_similarity_threshold', '0.4', true)"))
    rows = session.execute(
        text(
            f"SELECT {id_col}, key FROM {table} WHERE :w <% key "
            f"ORDER BY word_similarity(:w, key) DESC LIMIT :n"
        ),
        {"w": word, "n": limit},
    )
    return [(r[0], r[1]) for r in rows]


# --- the search --------------------------------------------------------------------------------


def _one_typo_away(query_words: list[str], name: str) -> bool:
    """Every query word is a word of ``name``, a prefix of one, or (five letters or more) one
    edit away from a word or a same-length prefix of one."""
    name_words = words(name)
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
    stale_after_days: int = 180,
    now: datetime | None = None,
    people_limit: int = PEOPLE_LIMIT,
    org_limit: int = ORG_LIMIT,
) -> SearchResult:
    """Find professionals and organisations for ``q``; see the module docstring."""
    q = (q or "").strip()[:200]
    result = SearchResult(query=q)
    if not q:
        return result
    now = now or utcnow()
    stale_before = now - timedelta(days=stale_after_days)

    people: dict[int, str] = {}
    orgs: dict[int, str] = {}

    number = try_normalize(q)
    if number:
        result.number = number
        # One equality per indexed column (an OR over two columns is a full scan in SQLite).
        # SQLite's planner may judge a mostly-empty column's index useless after ANALYZE and
        # scan instead: the hints name the indexes of migration 0002.
        for pid in session.scalars(
            select(Professional.id).where(Professional.mobile == number, Professional.active)
        ):
            people[pid] = TIER_NUMBER
        sqlite = session.get_bind().dialect.name == "sqlite"
        for table, column, found, extra in (
            ("professionals", "landline", people, " AND active"),
            ("organisations", "phone", orgs, ""),
            ("organisations", "crisis_phone", orgs, ""),
        ):
            hint = f" INDEXED BY search_ix_{table}_{column}" if sqlite else ""
            for (found_id,) in session.execute(
                text(f"SELECT id FROM {table}{hint} WHERE {column} = :n{extra}"), {"n": number}
            ):
                found[found_id] = TIER_NUMBER

    query_words = words(q)[:MAX_QUERY_WORDS]
    if query_words and not number:
        for kind, found, limit in (("people", people, people_limit), ("orgs", orgs, org_limit)):
            for i, tier in _index_hits(session, kind, query_words, limit):
                found.setdefault(i, tier)
        longest = max(query_words, key=len)
        if FUZZY_MIN_LENGTH <= len(longest) <= FUZZY_MAX_LENGTH:
            for kind, found, limit in (("people", people, people_limit), ("orgs", orgs, org_limit)):
                if len(people) + len(orgs) >= FEW:
                    break
                for i, key in _fuzzy_candidates(session, kind, longest, FUZZY_CANDIDATES):
                    if i not in found and len(found) < limit and _one_typo_away(query_words, key):
                        found[i] = TIER_FUZZY

    result.people = _people_hits(session, people, query_words, viewer_area_ids, stale_before)
    result.organisations = _org_hits(session, orgs)
    return result


def _people_hits(
    session: Session,
    tiers: dict[int, str],
    query_words: list[str],
    viewer_area_ids: set[int] | frozenset[int],
    stale_before: datetime,
) -> list[PersonHit]:
    if not tiers:
        return []
    order = {pid: n for n, pid in enumerate(tiers)}
    ids = list(tiers)
    rows = session.execute(
        select(
            Professional.id, Professional.name, Professional.role, Professional.organisation_id,
            Organisation.name, Professional.mobile, Professional.landline, Professional.email,
            Professional.verified_at, Professional.photo_updated_at,
        )
        .join(Organisation, Organisation.id == Professional.organisation_id)
        .where(Professional.id.in_(ids))
    ).all()
    areas: dict[int, list[tuple[int, str]]] = {}
    for pid, area_id, area_name in session.execute(
        select(professional_areas.c.professional_id, Area.id, Area.name)
        .join(Area, Area.id == professional_areas.c.area_id)
        .where(professional_areas.c.professional_id.in_(ids))
        .order_by(Area.name)
    ):
        areas.setdefault(pid, []).append((area_id, area_name))
    hits = []
    for pid, name, role, org_id, org_name, mobile, landline, email, verified, photo_at in rows:
        name_words = words(name)
        on_name = all(any(w.startswith(q) for w in name_words) for q in query_words)
        mine = areas.get(pid, [])
        own = any(area_id in viewer_area_ids for area_id, _ in mine)
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
                ),
            )
        )
    return [hit for _, hit in sorted(hits, key=lambda pair: pair[0])]


def initials(name: str) -> str:
    """The same initials a Professional shows (avatar without a photo)."""
    return Professional.initials.fget(SimpleNamespace(name=name))


def _org_hits(session: Session, tiers: dict[int, str]) -> list[OrganisationHit]:
    if not tiers:
        return []
    order = {oid: n for n, oid in enumerate(tiers)}
    rows = session.execute(
        select(
            Organisation.id, Organisation.name, Organisation.sector, Organisation.phone,
            Organisation.crisis_phone,
        ).where(Organisation.id.in_(list(tiers)))
    ).all()
    rows = sorted(rows, key=lambda o: (_TIER_ORDER[tiers[o.id]], order[o.id]))
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
