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
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import combinations

from rapidfuzz.distance import OSA
from sqlalchemy import bindparam, exists, literal_column, select, text
from sqlalchemy.orm import Session

from netwerk.db import utcnow
from netwerk.directory.languages import index_word, language_code
from netwerk.models import Organisation, Professional, professional_areas
from netwerk.models.professional import initials_of
from netwerk.phone import display as _display
from netwerk.phone import offers_messages, try_normalize

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


@dataclass(frozen=True)
class Word:
    """A normalised query word and, when it names a language, the index word of that language."""

    text: str
    language: str | None = None

    @classmethod
    def of(cls, word: str) -> Word:
        code = language_code(word)
        return cls(word, index_word(code) if code else None)


def query_words(q: str) -> list[Word]:
    return [Word.of(w) for w in words(q)[:MAX_QUERY_WORDS]]


def digits_suffix(q: str) -> str | None:
    """The digits of ``q`` when it is only digits (and separators), at least four of them."""
    if not _DIGITS_ONLY.match(q):
        return None
    digits = "".join(c for c in q if c.isdigit())
    return digits if len(digits) >= SUFFIX_MIN_DIGITS else None


# --- index queries, one implementation per engine ----------------------------------------------


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _fts_term(w: Word, prefix: bool) -> str:
    term = f'"{w.text}"' + ("*" if prefix else "")
    return f'({term} OR "{w.language}")' if w.language else term


def _fts_phrase(words_: list[Word], prefix: bool) -> str:
    return " AND ".join(_fts_term(w, prefix) for w in words_)


def _ranked(words_: list[Word], prefix: bool) -> bool:
    # A one- or two-letter beginning matches a large share of all rows: ranking them all
    # costs more than it tells, so those come in index order (the next letter narrows it).
    return not prefix or min(len(w.text) for w in words_) >= SHORT_PREFIX


def _index_ids(session: Session, kind: str, words_: list[Word], prefix: bool, limit: int) -> list[int]:
    """SQLite: ids (best first) whose index text holds every word (``prefix``: a word starting
    with it)."""
    if not words_:
        return []
    table = "search_people" if kind == "people" else "search_orgs"
    weights = "10.0, 3.0, 3.0, 2.0, 1.0" if kind == "people" else "10.0, 1.0"
    order = f"ORDER BY bm25({table}, {weights}) " if _ranked(words_, prefix) else ""
    rows = session.execute(
        text(f"SELECT rowid FROM {table} WHERE {table} MATCH :m {order}LIMIT :n"),
        {"m": _fts_phrase(words_, prefix), "n": limit},
    )
    return [r[0] for r in rows]


_PG_TABLES = {"people": ("search_people", "professional_id"), "orgs": ("search_orgs", "organisation_id")}


def _pg_index_select(kind: str, words_: list[Word], limit: int, params: dict) -> str:
    """One engine-side query over the prefix matches that flags the exact ones and puts them
    first; its parameters go into ``params`` (prefixed by ``kind``)."""
    table, id_col = _PG_TABLES[kind]
    k = kind[0]
    params[f"{k}n"], params[f"{k}first"] = limit, f"{words_[0].text}%"
    prefix_conditions, exact_conditions = [], []
    for i, w in enumerate(words_):
        params[f"{k}p{i}"], params[f"{k}e{i}"] = f"% {w.text}%", f"% {w.text} %"
        language = ""
        if w.language:
            params[f"{k}l{i}"] = f"% {w.language} %"
            language = f" OR doc LIKE :{k}l{i}"
        prefix_conditions.append(f"(doc LIKE :{k}p{i}{language})")
        exact_conditions.append(f"(doc LIKE :{k}e{i}{language})")
    exact = " AND ".join(exact_conditions)
    order = (
        f"ORDER BY ({exact}) DESC, (key LIKE :{k}first) DESC, length(key) "
        if _ranked(words_, True) else ""
    )
    return (
        f"SELECT '{k}' AS kind, {id_col} AS id, ({exact}) AS exact FROM {table} "
        f"WHERE {' AND '.join(prefix_conditions)} {order}LIMIT :{k}n"
    )


def _index_hits(
    session: Session, words_: list[Word], people_limit: int, org_limit: int,
    typo_word: str | None = None,
) -> tuple[list[tuple[int, str]], list[tuple[int, str]], dict[str, list[tuple[int, str]]] | None]:
    """(id, tier) of the exact matches, then the prefix matches, best first, for people and for
    organisations; and the typo candidates of ``typo_word`` when they were looked up too.

    SQLite: FTS5 queries per kind (whole words; beginnings only when they left room); the typo
    step is the caller's (None).
    PostgreSQL: one statement for both kinds (a round trip is the cost there) and, for
    ``typo_word``, the typo step in the same statement, run by the server only when the words
    found fewer than ``FEW`` (the same rule as the caller's).
    """
    if _is_sqlite(session):
        out = []
        for kind, limit in (("people", people_limit), ("orgs", org_limit)):
            hits = [(i, TIER_EXACT) for i in _index_ids(session, kind, words_, False, limit)]
            if len(hits) < limit:
                seen = {i for i, _ in hits}
                hits += [
                    (i, TIER_PREFIX)
                    for i in _index_ids(session, kind, words_, True, limit)
                    if i not in seen
                ]
            out.append(hits[:limit])
        return out[0], out[1], None
    params: dict = {}
    statement = (
        f"WITH hits AS MATERIALIZED (({_pg_index_select('people', words_, people_limit, params)})"
        f" UNION ALL ({_pg_index_select('orgs', words_, org_limit, params)}))"
        " SELECT kind, id, exact, NULL AS key FROM hits"
    )
    if typo_word:
        params["few"] = FEW
        statement += " UNION ALL " + _pg_typo_select(
            ("people", "orgs"), typo_word, params, gate="(SELECT count(*) FROM hits) < :few"
        )
    people: list[tuple[int, str]] = []
    orgs: list[tuple[int, str]] = []
    candidates: dict[str, list[tuple[int, str]]] | None = (
        {"people": [], "orgs": []} if typo_word else None
    )
    for kind, found_id, exact, key in session.execute(text(statement), params):
        if kind == "p":
            people.append((found_id, TIER_EXACT if exact else TIER_PREFIX))
        elif kind == "o":
            orgs.append((found_id, TIER_EXACT if exact else TIER_PREFIX))
        elif candidates is not None:
            candidates[kind].append((found_id, key))
    return people, orgs, candidates


def fuzzy_trigrams(word: str) -> list[str]:
    """The distinct trigrams of ``word``, at most FUZZY_MAX_TRIGRAMS of them evenly spread
    (first and last kept): a typo changes at most three neighbouring ones."""
    grams = list(dict.fromkeys(word[i : i + 3] for i in range(len(word) - 2)))
    if len(grams) <= FUZZY_MAX_TRIGRAMS:
        return grams
    step = (len(grams) - 1) / (FUZZY_MAX_TRIGRAMS - 1)
    return list(dict.fromkeys(grams[round(i * step)] for i in range(FUZZY_MAX_TRIGRAMS)))


def typo_keys(word: str) -> list[str]:
    """The word and every string one letter shorter (its deletion neighbourhood): two words one
    edit apart share one of these (PostgreSQL's ``search_typo_keys()`` indexes the same keys of
    every beginning of five letters or more of a name's words)."""
    return list(dict.fromkeys([word] + [word[:i] + word[i + 1 :] for i in range(len(word))]))


def _fuzzy_candidates(
    session: Session, word: str, kinds: tuple[str, ...], limit: int = FUZZY_CANDIDATES
) -> dict[str, list[tuple[int, str]]]:
    """Per kind, (id, normalised name) of rows that may be one typo away from ``word``: a small
    candidate set for the typo check.

    SQLite: rows sharing two of the word's trigrams (one typo leaves most of them intact); if
    none, rows sharing one. No ranking (bm25 over every row holding a common trigram costs
    more than re-ranking a few hundred names in Python).
    PostgreSQL: rows sharing a deletion key with the word (GIN on ``typo_keys``), both kinds in
    one statement.
    """
    out: dict[str, list[tuple[int, str]]] = {k: [] for k in kinds}
    if _is_sqlite(session):
        grams = fuzzy_trigrams(word)
        pairs = " OR ".join(f'("{a}" AND "{b}")' for a, b in combinations(grams, 2))
        for kind in kinds:
            table = "search_people_tri" if kind == "people" else "search_orgs_tri"
            query = text(f"SELECT rowid, key FROM {table} WHERE {table} MATCH :m LIMIT :n")
            rows = list(session.execute(query, {"m": pairs, "n": limit})) if pairs else []
            if not rows:
                any_gram = " OR ".join(f'"{g}"' for g in grams)
                rows = list(session.execute(query, {"m": any_gram, "n": limit}))
            out[kind] = [(r[0], r[1]) for r in rows]
        return out
    params: dict = {}
    for kind, found_id, key in session.execute(
        text(_pg_typo_select(kinds, word, params, limit=limit)), params
    ):
        out[kind].append((found_id, key))
    return out


def _pg_typo_select(
    kinds: tuple[str, ...], word: str, params: dict, gate: str = "",
    limit: int = FUZZY_CANDIDATES,
) -> str:
    """PostgreSQL: (kind, id, NULL, key) of the rows sharing a deletion key with ``word``
    (``typo_keys && keys``), at most ``limit`` per kind; with ``gate``, only when that SQL
    condition holds (a one-time filter: nothing is read otherwise).

    The keys come through a subquery the planner cannot see into: given the literal keys it
    estimates from the column's statistics that thousands of rows share one (a name's every
    beginning is a key), and with the LIMIT it then reads the table in order, hoping to stop
    early, which for a real typo means all of it (100,000 rows, each array compared: ~0.5 s).
    Not seeing them, it takes the default of a few rows, so the GIN index.
    """
    params["typo_keys"], params["typo_n"] = typo_keys(word), limit
    where = "typo_keys && (SELECT CAST(:typo_keys AS text[]))" + (f" AND {gate}" if gate else "")
    return " UNION ALL ".join(
        f"(SELECT '{kind}' AS kind, {_PG_TABLES[kind][1]} AS id, NULL AS exact, key "
        f"FROM {_PG_TABLES[kind][0]} WHERE {where} LIMIT :typo_n)"
        for kind in kinds
    )


def _number_owners(session: Session, number: str | None, suffix: str | None) -> list[tuple[str, int]]:
    """(kind, id) of the active people and organisations with this number (E.164) or a number
    ending in these digits: one statement over the indexed number columns."""
    sqlite = _is_sqlite(session)
    parts, params = [], {}
    for kind, table, column, extra in (
        ("people", "professionals", "mobile", " AND active"),
        ("people", "professionals", "landline", " AND active"),
        ("orgs", "organisations", "phone", ""),
        ("orgs", "organisations", "crisis_phone", ""),
    ):
        if number:
            # One equality per indexed column (an OR over two columns is a full scan in
            # SQLite). SQLite's planner may judge a mostly-empty column's index useless after
            # ANALYZE and scan instead: the hints name the indexes of migration 0002.
            hint = f" INDEXED BY search_ix_{table}_{column}" if sqlite and column != "mobile" else ""
            condition = f"{column} = :number"
            params["number"] = number
        else:
            # The last four digits through the expression index of migration 0014, the rest of
            # the typed digits checked on those few rows.
            assert suffix is not None  # the caller passes a number or the typed digits
            last4 = f"substr({column}, -4)" if sqlite else f"right({column}, 4)"
            hint = f" INDEXED BY search_ix_{table}_{column}_last4" if sqlite else ""
            condition = f"{last4} = :last4 AND {column} LIKE :ending"
            params["last4"], params["ending"] = suffix[-4:], f"%{suffix}"
        parts.append(
            f"SELECT '{kind}' AS kind, id FROM {table}{hint} WHERE {condition}{extra}"
        )
    statement = " UNION ALL ".join(f"SELECT * FROM ({p})" if sqlite else f"({p})" for p in parts)
    return [(kind, found_id) for kind, found_id in session.execute(text(statement), params)]


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

    number = try_normalize(q)
    suffix = None if number else digits_suffix(q)
    if number or suffix:
        result.number = number
        for kind, found_id in _number_owners(session, number, suffix):
            (people if kind == "people" else orgs).setdefault(found_id, TIER_NUMBER)

    words_ = [] if (number or suffix) else query_words(q)
    plain = [w.text for w in words_]
    if words_:
        longest = max(plain, key=len)
        typo_word = longest if FUZZY_MIN_LENGTH <= len(longest) <= FUZZY_MAX_LENGTH else None
        people_hits, org_hits, candidates = _index_hits(
            session, words_, people_limit, org_limit, typo_word
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

    result.people = _people_hits(
        session, people, plain, viewer_area_ids, viewer_id, stale_before
    )
    result.organisations = _org_hits(session, orgs, plain)
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


def _areas_column(session: Session):
    """The wijken of each professional as one text column: ``id<US>name<RS>id<US>name``."""
    aggregate = (
        "group_concat(a.id || char(31) || a.name, char(30))" if _is_sqlite(session)
        else "string_agg(a.id || chr(31) || a.name, chr(30))"
    )
    return literal_column(
        f"(SELECT {aggregate} FROM professional_areas pa JOIN areas a ON a.id = pa.area_id"
        " WHERE pa.professional_id = professionals.id)"
    ).label("wijken")


def _shares_wijk_column(viewer_id: int | None):
    """Whether the hit works in one of the viewer's wijken (false without a viewer)."""
    if viewer_id is None:
        return literal_column("0").label("shares")
    hit, viewer = professional_areas.alias("hp"), professional_areas.alias("vp")
    return exists().where(
        hit.c.professional_id == Professional.id,
        viewer.c.professional_id == viewer_id,
        viewer.c.area_id == hit.c.area_id,
    ).label("shares")


def _parse_areas(value: str | None) -> list[tuple[int, str]]:
    if not value:
        return []
    pairs = []
    for item in value.split("\x1e"):
        area_id, _, name = item.partition("\x1f")
        pairs.append((int(area_id), name))
    return sorted(pairs, key=lambda pair: (pair[1], pair[0]))


def _people_hits(
    session: Session,
    tiers: dict[int, str],
    query_words: list[str],
    viewer_area_ids: set[int] | frozenset[int],
    viewer_id: int | None,
    stale_before: datetime,
) -> list[PersonHit]:
    """The hits' rows, wijken and whether they share a wijk with the viewer in one statement,
    sorted."""
    if not tiers:
        return []
    order = {pid: n for n, pid in enumerate(tiers)}
    rows = session.execute(
        select(
            Professional.id, Professional.name, Professional.role, Professional.organisation_id,
            Organisation.name, Professional.mobile, Professional.landline, Professional.email,
            Professional.verified_at, Professional.photo_updated_at, _areas_column(session),
            _shares_wijk_column(viewer_id),
        )
        .join(Organisation, Organisation.id == Professional.organisation_id)
        .where(Professional.id.in_(bindparam("ids", list(tiers), expanding=True)))
    ).all()
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


def _org_hits(session: Session, tiers: dict[int, str], query_words: list[str]) -> list[OrganisationHit]:
    """Within a tier, organisations whose own name matches come first (a sector match after)."""
    if not tiers:
        return []
    order = {oid: n for n, oid in enumerate(tiers)}
    rows = session.execute(
        select(
            Organisation.id, Organisation.name, Organisation.sector, Organisation.phone,
            Organisation.crisis_phone,
        ).where(Organisation.id.in_(list(tiers)))
    ).all()
    rows = sorted(
        rows,
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
