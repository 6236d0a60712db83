"""The directory search's index queries, one implementation per engine (netwerk.directory.search
is the search itself: the steps, the ranking, the hits).

- SQLite: FTS5 over ``search_people`` / ``search_orgs`` (migration 0002), trigram FTS5 tables
  for typo candidates;
- PostgreSQL: ``LIKE`` over the normalised ``doc`` with pg_trgm GIN indexes, the words and the
  typo step (``typo_keys`` of migration 0014, GIN) in one statement;
- both: the number lookup over the indexed number columns, and the statements that load the
  hits' rows (built once, not per search).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from functools import lru_cache
from itertools import combinations

from sqlalchemy import Integer, any_, bindparam, exists, literal_column, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from netwerk.directory.languages import index_word, language_code
from netwerk.models import Organisation, Professional, professional_areas

FUZZY_CANDIDATES = 200
SHORT_PREFIX = 3
FUZZY_MAX_TRIGRAMS = 12
FEW = 5
TIER_EXACT, TIER_PREFIX = "exact", "prefix"


@dataclass(frozen=True)
class Word:
    """A normalised query word and, when it names a language, the index word of that language."""

    text: str
    language: str | None = None

    @classmethod
    def of(cls, word: str) -> Word:
        code = language_code(word)
        return cls(word, index_word(code) if code else None)


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


# PostgreSQL: the hits' rows in the words' statement (one round trip fewer per search), in the
# shape of _people_rows_statement's and _org_rows_statement's rows. ``OFFSET 0`` keeps each a
# subquery run per hit (a nested loop over the hits, so in their order), not a join the planner
# may reorder.
_PG_HIT_ROWS = """
 LEFT JOIN LATERAL (SELECT p.name, p.role, p.organisation_id, po.name AS organisation_name,
   p.mobile, p.landline, p.email, p.verified_at, p.photo_updated_at,
   (SELECT string_agg(a.id || chr(31) || a.name, chr(30)) FROM professional_areas pa
     JOIN areas a ON a.id = pa.area_id WHERE pa.professional_id = p.id) AS wijken,
   {shares} AS shares
  FROM professionals p JOIN organisations po ON po.id = p.organisation_id
  WHERE hits.kind = 'p' AND p.id = hits.id OFFSET 0) pr ON true
 LEFT JOIN LATERAL (SELECT o.name, o.sector, o.phone, o.crisis_phone FROM organisations o
  WHERE hits.kind = 'o' AND o.id = hits.id OFFSET 0) orow ON true"""
_PG_SHARES = (
    "EXISTS (SELECT 1 FROM professional_areas hp JOIN professional_areas vp"
    " ON vp.area_id = hp.area_id WHERE hp.professional_id = p.id AND vp.professional_id = :viewer)"
)
_PG_ROW_COLUMNS = (
    "pr.name, pr.role, pr.organisation_id, pr.organisation_name, pr.mobile, pr.landline, "
    "pr.email, pr.verified_at, pr.photo_updated_at, pr.wijken, pr.shares, "
    "orow.name, orow.sector, orow.phone, orow.crisis_phone"
)
_PG_NO_ROW_COLUMNS = ", ".join(["NULL"] * 15)


@dataclass(frozen=True)
class OrgRow:
    """An organisation hit's row, as _org_rows_statement gives it."""

    id: int
    name: str
    sector: str
    phone: str | None
    crisis_phone: str | None


def _keep_row(rows: dict[str, dict], kind: str, found_id: int, row: list) -> None:
    """Keep a hit's row from the columns of _PG_ROW_COLUMNS (kind "p" or "o")."""
    if kind == "p" and row[0] is not None:
        rows["people"][found_id] = (found_id, *row[:7], row[7].astimezone(UTC),
                                    row[8] and row[8].astimezone(UTC), row[9], row[10])
    elif kind == "o" and row[11] is not None:
        rows["orgs"][found_id] = OrgRow(found_id, *row[11:15])


def _pg_with_rows(hits: str, viewer_id: int | None, params: dict) -> str:
    """``hits`` (a query of kind "p"/"o" and id) with the rows of its hits (_PG_ROW_COLUMNS)."""
    if viewer_id is not None:
        params["viewer"] = viewer_id
    return (
        f"WITH hits AS MATERIALIZED ({hits}) SELECT kind, id, {_PG_ROW_COLUMNS} FROM hits"
        + _PG_HIT_ROWS.format(shares=_PG_SHARES if viewer_id is not None else "false")
    )


def _index_hits(
    session: Session, words_: list[Word], people_limit: int, org_limit: int,
    typo_word: str | None = None, rows: dict[str, dict] | None = None,
    viewer_id: int | None = None,
) -> tuple[list[tuple[int, str]], list[tuple[int, str]], dict[str, list[tuple[int, str]]] | None]:
    """(id, tier) of the exact matches, then the prefix matches, best first, for people and for
    organisations; and the typo candidates of ``typo_word`` when they were looked up too.

    SQLite: FTS5 queries per kind (whole words; beginnings only when they left room); the typo
    step is the caller's (None).
    PostgreSQL: one statement for both kinds (a round trip is the cost there) and, for
    ``typo_word``, the typo step in the same statement, run by the server only when the words
    found fewer than ``FEW`` (the same rule as the caller's); with ``rows`` ({"people": {},
    "orgs": {}}), the hits' rows too (as _people_rows_statement with ``viewer_id`` gives them,
    and OrgRow), by id.
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
        " SELECT kind, id, exact, NULL AS key"
    )
    if rows is not None:
        statement += ", " + _PG_ROW_COLUMNS + " FROM hits" + _PG_HIT_ROWS.format(
            shares=_PG_SHARES if viewer_id is not None else "false")
        if viewer_id is not None:
            params["viewer"] = viewer_id
    else:
        statement += " FROM hits"
    if typo_word:
        params["few"] = FEW
        statement += " UNION ALL " + _pg_typo_select(
            ("people", "orgs"), typo_word, params, gate="(SELECT count(*) FROM hits) < :few",
            padding=rows is not None,
        )
    people: list[tuple[int, str]] = []
    orgs: list[tuple[int, str]] = []
    candidates: dict[str, list[tuple[int, str]]] | None = (
        {"people": [], "orgs": []} if typo_word else None
    )
    for kind, found_id, exact, key, *row in session.execute(text(statement), params):
        if kind == "p":
            people.append((found_id, TIER_EXACT if exact else TIER_PREFIX))
            if rows is not None:
                _keep_row(rows, kind, found_id, row)
        elif kind == "o":
            orgs.append((found_id, TIER_EXACT if exact else TIER_PREFIX))
            if rows is not None:
                _keep_row(rows, kind, found_id, row)
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
    limit: int = FUZZY_CANDIDATES, padding: bool = False,
) -> str:
    """PostgreSQL: (kind, id, NULL, key) of the rows sharing a deletion key with ``word``
    (``typo_keys && keys``), at most ``limit`` per kind; with ``gate``, only when that SQL
    condition holds (a one-time filter: nothing is read otherwise).

    The keys come through a subquery the planner cannot see into: given the literal keys it
    estimates from the column's statistics that thousands of rows share one (a name's every
    beginning is a key), and with the LIMIT it then reads the table in order, hoping to stop
    early, which for a real typo means all of it (100,000 rows, each array compared: ~0.5 s).
    Not seeing them, it takes the default of a few rows, so the GIN index. ``padding``: NULLs
    where the words' statement has the hits' row columns.
    """
    params["typo_keys"], params["typo_n"] = typo_keys(word), limit
    where = "typo_keys && (SELECT CAST(:typo_keys AS text[]))" + (f" AND {gate}" if gate else "")
    return " UNION ALL ".join(
        f"(SELECT '{kind}' AS kind, {_PG_TABLES[kind][1]} AS id, NULL AS exact, key"
        f"{', ' + _PG_NO_ROW_COLUMNS if padding else ''} "
        f"FROM {_PG_TABLES[kind][0]} WHERE {where} LIMIT :typo_n)"
        for kind in kinds
    )


def _number_owners(
    session: Session, number: str | None, suffix: str | None,
    rows: dict[str, dict] | None = None, viewer_id: int | None = None,
) -> list[tuple[str, int]]:
    """(kind, id) of the active people and organisations with this number (E.164) or a number
    ending in these digits: one statement over the indexed number columns; with ``rows``
    (PostgreSQL), their rows in the same statement, as _index_hits gives them."""
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
    if rows is None or sqlite:
        return [(kind, found_id) for kind, found_id in session.execute(text(statement), params)]
    statement = _pg_with_rows(
        f"SELECT left(kind, 1) AS kind, id FROM ({statement}) owners", viewer_id, params)
    out = []
    for kind, found_id, *row in session.execute(text(statement), params):
        _keep_row(rows, kind, found_id, row)
        out.append(("people" if kind == "p" else "orgs", found_id))
    return out


def _areas_column(sqlite: bool):
    """The wijken of each professional as one text column: ``id<US>name<RS>id<US>name``."""
    aggregate = (
        "group_concat(a.id || char(31) || a.name, char(30))" if sqlite
        else "string_agg(a.id || chr(31) || a.name, chr(30))"
    )
    return literal_column(
        f"(SELECT {aggregate} FROM professional_areas pa JOIN areas a ON a.id = pa.area_id"
        " WHERE pa.professional_id = professionals.id)"
    ).label("wijken")


def _shares_wijk_column(with_viewer: bool):
    """Whether the hit works in one of the viewer's wijken (``:viewer``; false without one)."""
    if not with_viewer:
        return literal_column("0").label("shares")
    hit, viewer = professional_areas.alias("hp"), professional_areas.alias("vp")
    return exists().where(
        hit.c.professional_id == Professional.id,
        viewer.c.professional_id == bindparam("viewer"),
        viewer.c.area_id == hit.c.area_id,
    ).label("shares")


def _ids_in(column, sqlite: bool):
    """``column IN (:ids)``; on PostgreSQL ``= ANY(:ids)`` with one array parameter, so the
    statement's text is the same for any number of ids (psycopg prepares a statement it sees
    again: no planning per search)."""
    if sqlite:
        return column.in_(bindparam("ids", expanding=True))
    return column == any_(bindparam("ids", type_=postgresql.ARRAY(Integer)))


@lru_cache(maxsize=8)
def _people_rows_statement(sqlite: bool, with_viewer: bool):
    """The hits' rows (built once per engine and kind of viewer, not per search)."""
    return (
        select(
            Professional.id, Professional.name, Professional.role, Professional.organisation_id,
            Organisation.name, Professional.mobile, Professional.landline, Professional.email,
            Professional.verified_at, Professional.photo_updated_at, _areas_column(sqlite),
            _shares_wijk_column(with_viewer),
        )
        .join(Organisation, Organisation.id == Professional.organisation_id)
        .where(_ids_in(Professional.id, sqlite))
    )


@lru_cache(maxsize=4)
def _org_rows_statement(sqlite: bool):
    return select(
        Organisation.id, Organisation.name, Organisation.sector, Organisation.phone,
        Organisation.crisis_phone,
    ).where(_ids_in(Organisation.id, sqlite))
