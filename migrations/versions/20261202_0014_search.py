"""search: languages, last digits of a number, typos with swapped letters

What migration 0002's index learns here:

- **languages**: a professional's languages (ISO 639-1 codes in ``professionals.languages``) are
  indexed as words ``taal<code>`` (``taaltr``, ``taalar``), so "turks" or "arabisch" finds the
  people who speak them (netwerk.directory.languages maps the Dutch words); the index follows a
  change of languages.
- **last digits**: expression indexes on the last four digits of every number column
  (``substr(col, -4)`` on SQLite, ``right(col, 4)`` on PostgreSQL), so "5678" (as a missed-call
  screen shows it) finds the owner with an index lookup, not a scan.
- **typos on PostgreSQL, swapped letters too**: ``search_typo_keys()`` gives, for every word of
  the name of five letters or more, each of its beginnings of five letters or more and every
  string one letter shorter than such a beginning (a deletion neighbourhood). Two words one edit
  apart (a letter wrong, left out, added, or two neighbours swapped: "wlilems" / "willems" share
  "wllems") always share a key, so the typo step is one GIN lookup (``typo_keys && keys of the
  query word``) in a ``text[]`` column of ``search_people`` / ``search_orgs``: no similarity
  threshold that misses swaps, no scan of all organisations.

Every object is named ``search_…`` (left out of autogenerate).

Revision ID: 0014_search
Revises: 0015_home
Create Date: 2026-12-02 17:30:00
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic import op

revision = "0014_search"
down_revision = "0015_home"
branch_labels = None
depends_on = None

NUMBER_COLUMNS = (
    ("professionals", "mobile"), ("professionals", "landline"),
    ("organisations", "phone"), ("organisations", "crisis_phone"),
)


def _m0002():
    """Migration 0002's module (its SQLite statement builders are reused, not copied)."""
    path = Path(__file__).with_name("20261126_0002_search.py")
    spec = importlib.util.spec_from_file_location("netwerk_migration_0002_search", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- SQLite ------------------------------------------------------------------------------------


def _sqlite_refresh_people(m, where: str, languages: bool) -> str:
    """0002's re-index of the professionals matching ``where``; with ``languages`` the
    ``domains`` column also carries ``taal<code>`` for each language."""
    sql = m._sqlite_refresh_people(where)
    if not languages:
        return sql
    old = "WHERE pd.professional_id = p.id), '')"
    assert sql.count(old) == 1
    return sql.replace(
        old,
        old + " || coalesce((SELECT ' ' || group_concat('taal' || lower(j.value), ' ')"
        " FROM json_each(CASE WHEN json_valid(p.languages) THEN p.languages END) j), '')",
    )


def _sqlite_triggers(m, languages: bool) -> dict[str, tuple[str, str]]:
    def people(where: str) -> str:
        return _sqlite_refresh_people(m, where, languages)

    columns = "name, role, organisation_id, active" + (", languages" if languages else "")
    return {
        "search_prof_ai": ("AFTER INSERT ON professionals", people("p.id = NEW.id")),
        "search_prof_au": (f"AFTER UPDATE OF {columns} ON professionals", people("p.id = NEW.id")),
        "search_prof_ad": (
            "AFTER DELETE ON professionals",
            "DELETE FROM search_people WHERE rowid = OLD.id;"
            " DELETE FROM search_people_tri WHERE rowid = OLD.id;",
        ),
        "search_parea_ai": ("AFTER INSERT ON professional_areas",
                            people("p.id = NEW.professional_id")),
        "search_parea_ad": ("AFTER DELETE ON professional_areas",
                            people("p.id = OLD.professional_id")),
        "search_pdom_ai": ("AFTER INSERT ON professional_domains",
                           people("p.id = NEW.professional_id")),
        "search_pdom_ad": ("AFTER DELETE ON professional_domains",
                           people("p.id = OLD.professional_id")),
        "search_org_ai": ("AFTER INSERT ON organisations", m._sqlite_refresh_org("o.id = NEW.id")),
        "search_org_au": (
            "AFTER UPDATE OF name, sector ON organisations",
            m._sqlite_refresh_org("o.id = NEW.id") + people("p.organisation_id = NEW.id"),
        ),
        "search_org_ad": (
            "AFTER DELETE ON organisations",
            "DELETE FROM search_orgs WHERE rowid = OLD.id;"
            " DELETE FROM search_orgs_tri WHERE rowid = OLD.id;",
        ),
        "search_area_au": (
            "AFTER UPDATE OF name ON areas",
            people(
                "p.id IN (SELECT pa.professional_id FROM professional_areas pa"
                " JOIN areas a ON a.id = pa.area_id WHERE a.id = NEW.id OR a.parent_id = NEW.id)"
            ),
        ),
        "search_domain_au": (
            "AFTER UPDATE OF name, slug ON domains",
            people(
                "p.id IN (SELECT professional_id FROM professional_domains"
                " WHERE domain_id = NEW.id)"
            ),
        ),
    }


def _sqlite_reindex(languages: bool) -> None:
    m = _m0002()
    for name in m.PEOPLE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for name, (when, body) in _sqlite_triggers(m, languages).items():
        op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW BEGIN {body} END")
    for statement in _sqlite_refresh_people(m, "1 = 1", languages).split(";"):
        if statement.strip():
            op.execute(statement)


# --- PostgreSQL --------------------------------------------------------------------------------

_PG_REFRESH_PEOPLE = """
CREATE OR REPLACE FUNCTION search_refresh_people(ids integer[]) RETURNS void
  LANGUAGE sql VOLATILE AS
$$
  DELETE FROM search_people WHERE professional_id = ANY(ids);
  INSERT INTO search_people (professional_id, doc, key{anagram_col})
  SELECT p.id,
         ' ' || search_norm(concat_ws(' ', p.name, p.role, o.name,
           (SELECT string_agg(a.name || ' ' || coalesce(g.name, ''), ' ')
              FROM professional_areas pa JOIN areas a ON a.id = pa.area_id
              LEFT JOIN areas g ON g.id = a.parent_id
             WHERE pa.professional_id = p.id),
           (SELECT string_agg(d.name || ' ' || d.slug, ' ')
              FROM professional_domains pd JOIN domains d ON d.id = pd.domain_id
             WHERE pd.professional_id = p.id){languages})) || ' ',
         search_norm(p.name){anagram_val}
    FROM professionals p JOIN organisations o ON o.id = p.organisation_id
   WHERE p.id = ANY(ids) AND p.active;
$$;
"""

_PG_LANGUAGES = """,
           (SELECT string_agg('taal' || lower(l), ' ')
              FROM json_array_elements_text(
                CASE WHEN json_typeof(p.languages::json) = 'array' THEN p.languages::json
                     ELSE '[]'::json END) l)"""

_PG_REFRESH_ORG = """
CREATE OR REPLACE FUNCTION search_refresh_org(org_id integer) RETURNS void
  LANGUAGE sql VOLATILE AS
$$
  DELETE FROM search_orgs WHERE organisation_id = org_id;
  INSERT INTO search_orgs (organisation_id, doc, key{anagram_col})
  SELECT o.id, ' ' || search_norm(o.name || ' ' || o.sector) || ' ', search_norm(o.name){anagram_val}
    FROM organisations o WHERE o.id = org_id;
$$;
"""

_PG_UP = """
CREATE OR REPLACE FUNCTION search_typo_keys(text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS
$$ SELECT coalesce(array_agg(DISTINCT CASE WHEN i = 0 THEN left(w, n)
                                            ELSE left(w, i - 1) || substr(w, i + 1, n - i) END),
                   '{}')
     FROM unnest(string_to_array(search_norm($1), ' ')) w
          CROSS JOIN LATERAL generate_series(5, length(w)) n
          CROSS JOIN LATERAL generate_series(0, n) i
    WHERE length(w) >= 5 $$;

ALTER TABLE search_people ADD COLUMN typo_keys text[] NOT NULL DEFAULT '{}';
ALTER TABLE search_orgs ADD COLUMN typo_keys text[] NOT NULL DEFAULT '{}';
"""

_PG_UP_AFTER = """
DROP TRIGGER IF EXISTS search_prof_au ON professionals;
CREATE TRIGGER search_prof_au
  AFTER UPDATE OF name, role, organisation_id, active, languages ON professionals
  FOR EACH ROW EXECUTE FUNCTION search_trg_professional();

UPDATE search_orgs s SET typo_keys = search_typo_keys(o.name)
  FROM organisations o WHERE o.id = s.organisation_id;
SELECT search_refresh_people(ARRAY(SELECT id FROM professionals));
CREATE INDEX search_people_typo_keys ON search_people USING gin (typo_keys);
CREATE INDEX search_orgs_typo_keys ON search_orgs USING gin (typo_keys);
ANALYZE search_people;
ANALYZE search_orgs;
"""

_PG_DOWN = """
DROP INDEX IF EXISTS search_people_typo_keys;
DROP INDEX IF EXISTS search_orgs_typo_keys;
DROP TRIGGER IF EXISTS search_prof_au ON professionals;
CREATE TRIGGER search_prof_au AFTER UPDATE OF name, role, organisation_id, active ON professionals
  FOR EACH ROW EXECUTE FUNCTION search_trg_professional();
"""

_PG_DOWN_AFTER = """
ALTER TABLE search_people DROP COLUMN typo_keys;
ALTER TABLE search_orgs DROP COLUMN typo_keys;
DROP FUNCTION IF EXISTS search_typo_keys(text);
SELECT search_refresh_people(ARRAY(SELECT id FROM professionals));
"""


def _pg_functions(new: bool) -> str:
    col = ", typo_keys" if new else ""
    people = _PG_REFRESH_PEOPLE.format(
        anagram_col=col, anagram_val=",\n         search_typo_keys(p.name)" if new else "",
        languages=_PG_LANGUAGES if new else "",
    )
    org = _PG_REFRESH_ORG.format(
        anagram_col=col, anagram_val=", search_typo_keys(o.name)" if new else ""
    )
    return people + org


def _number_index(table: str, column: str, dialect: str) -> str:
    expression = f"substr({column}, -4)" if dialect == "sqlite" else f"right({column}, 4)"
    return f"CREATE INDEX search_ix_{table}_{column}_last4 ON {table} (({expression}))"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_reindex(languages=True)
    elif dialect == "postgresql":
        op.execute(_PG_UP)
        op.execute(_pg_functions(new=True))
        op.execute(_PG_UP_AFTER)
    for table, column in NUMBER_COLUMNS:
        op.execute(_number_index(table, column, dialect))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table, column in NUMBER_COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS search_ix_{table}_{column}_last4")
    if dialect == "sqlite":
        _sqlite_reindex(languages=False)
    elif dialect == "postgresql":
        op.execute(_PG_DOWN)
        op.execute(_pg_functions(new=False))
        op.execute(_PG_DOWN_AFTER)
