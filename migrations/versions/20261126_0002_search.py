"""search index for the directory

The directory's search index: full-text and trigram tables kept in sync with professionals and
organisations by triggers (so rows written by the seed loader, the bench generator or plain SQL
are indexed too). Every object is named ``search_…`` so autogenerate leaves it alone
(netwerk.migrate.include_object).

SQLite: FTS5 ``search_people`` / ``search_orgs`` (unicode61 remove_diacritics 2: accent-insensitive
words and prefixes) and trigram FTS5 ``search_people_tri`` / ``search_orgs_tri`` over a normalised
key (accents stripped in SQL, lower case) for typo tolerance. rowid = the professional's or
organisation's id.

PostgreSQL: tables ``search_people`` / ``search_orgs`` with a normalised ``doc`` (all searchable
words, `` word word ``) and ``key`` (the name), both through the IMMUTABLE ``search_norm()``
(unaccent + lower + non-alphanumerics to spaces), with pg_trgm GIN indexes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 04:10:00
"""

from __future__ import annotations

import unicodedata

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Accented letters folded in SQLite's SQL (no custom function, so any writer keeps the index
# right). Python's side (netwerk.directory.search.normalise) folds the same letters.
_ACCENTED = "áàâäãåāéèêëēėęíìîïīóòôöõøōúùûüūýÿçćčñńšśžźżğşıłÁÀÂÄÃÅĀÉÈÊËĒĖĘÍÌÎÏĪÓÒÔÖÕØŌÚÙÛÜŪÝŸÇĆČÑŃŠŚŽŹŻĞŞİŁ"
_SPECIAL = {"ø": "o", "Ø": "o", "ı": "i", "ł": "l", "Ł": "l"}
_PLAIN = "".join(
    _SPECIAL.get(c) or unicodedata.normalize("NFKD", c)[0].lower() for c in _ACCENTED
)

PEOPLE_TRIGGERS = [
    "search_prof_ai", "search_prof_au", "search_prof_ad",
    "search_parea_ai", "search_parea_ad", "search_pdom_ai", "search_pdom_ad",
    "search_org_ai", "search_org_au", "search_org_ad",
    "search_area_au", "search_domain_au",
]


def _fold_chunks(expr: str) -> list[str]:
    """Expressions folding accents in chunks of 20 letters: SQLite's parser refuses deeper
    nesting of ``replace()`` (about 25 levels). The first chunk wraps ``expr`` and lower-cases."""
    pairs = list(zip(_ACCENTED, _PLAIN, strict=True))
    chunks = []
    for start in range(0, len(pairs), 20):
        chunk = f"lower({expr})" if not start else "key"
        for accented, plain in pairs[start : start + 20]:
            chunk = f"replace({chunk}, '{accented}', '{plain}')"
        chunks.append(chunk)
    return chunks


def _sqlite_fill_key(table: str, select_id_name: str) -> str:
    """Insert (id, folded name) rows from ``select_id_name`` (columns ``id``, ``name``) into
    trigram ``table``; names with letters outside ASCII get the further folding passes."""
    first, *rest = _fold_chunks("name")
    statements = [
        f"INSERT INTO {table}(rowid, key) SELECT id, {first} FROM ({select_id_name})"
    ]
    for chunk in rest:
        statements.append(
            f"UPDATE {table} SET key = {chunk} WHERE rowid IN (SELECT id FROM ({select_id_name}))"
            " AND key GLOB '*[^ -~]*'"
        )
    return ";\n".join(statements) + ";\n"


# Letters that unicode61's remove_diacritics leaves alone (they are letters of their own, not
# letters with a mark): folded by hand in the FTS text so "yilmaz" finds Yılmaz exactly.
_OWN_LETTERS = {"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O"}


def _sqlite_fold_own_letters(table: str, columns: list[str], ids: str) -> str:
    def fold(column: str) -> str:
        for letter, plain in _OWN_LETTERS.items():
            column = f"replace({column}, '{letter}', '{plain}')"
        return column

    sets = ", ".join(f"{c} = {fold(c)}" for c in columns)
    letters = "".join(_OWN_LETTERS)
    matches = " OR ".join(f"{c} GLOB '*[{letters}]*'" for c in columns)
    return f"UPDATE {table} SET {sets} WHERE rowid IN ({ids}) AND ({matches});\n"


def _sqlite_refresh_people(where: str) -> str:
    """Statements that re-index the professionals matching ``where`` (over alias ``p``)."""
    ids = f"SELECT p.id FROM professionals p WHERE {where}"
    return f"""
        DELETE FROM search_people WHERE rowid IN ({ids});
        DELETE FROM search_people_tri WHERE rowid IN ({ids});
        INSERT INTO search_people(rowid, name, role, org, areas, domains)
          SELECT p.id, p.name, p.role, o.name,
            coalesce((SELECT group_concat(a.name || ' ' || coalesce(g.name, ''), ' ')
                      FROM professional_areas pa JOIN areas a ON a.id = pa.area_id
                      LEFT JOIN areas g ON g.id = a.parent_id
                      WHERE pa.professional_id = p.id), ''),
            coalesce((SELECT group_concat(d.name || ' ' || d.slug, ' ')
                      FROM professional_domains pd JOIN domains d ON d.id = pd.domain_id
                      WHERE pd.professional_id = p.id), '')
          FROM professionals p JOIN organisations o ON o.id = p.organisation_id
          WHERE ({where}) AND p.active;
    """ + _sqlite_fold_own_letters(
        "search_people", ["name", "org", "areas"], ids
    ) + _sqlite_fill_key(
        "search_people_tri",
        f"SELECT p.id AS id, p.name AS name FROM professionals p WHERE ({where}) AND p.active",
    )


def _sqlite_refresh_org(where: str) -> str:
    ids = f"SELECT o.id FROM organisations o WHERE {where}"
    return f"""
        DELETE FROM search_orgs WHERE rowid IN ({ids});
        DELETE FROM search_orgs_tri WHERE rowid IN ({ids});
        INSERT INTO search_orgs(rowid, name, sector)
          SELECT o.id, o.name, replace(o.sector, '_', ' ') FROM organisations o WHERE {where};
    """ + _sqlite_fold_own_letters("search_orgs", ["name"], ids) + _sqlite_fill_key(
        "search_orgs_tri",
        f"SELECT o.id AS id, o.name AS name FROM organisations o WHERE {where}",
    )


def _upgrade_sqlite() -> None:
    unicode61 = "tokenize = \"unicode61 remove_diacritics 2\""
    op.execute(
        f"CREATE VIRTUAL TABLE search_people USING fts5(name, role, org, areas, domains, {unicode61})"
    )
    op.execute(f"CREATE VIRTUAL TABLE search_orgs USING fts5(name, sector, {unicode61})")
    op.execute("CREATE VIRTUAL TABLE search_people_tri USING fts5(key, tokenize = \"trigram\")")
    op.execute("CREATE VIRTUAL TABLE search_orgs_tri USING fts5(key, tokenize = \"trigram\")")

    triggers = {
        "search_prof_ai": ("AFTER INSERT ON professionals", _sqlite_refresh_people("p.id = NEW.id")),
        "search_prof_au": (
            "AFTER UPDATE OF name, role, organisation_id, active ON professionals",
            _sqlite_refresh_people("p.id = NEW.id"),
        ),
        "search_prof_ad": (
            "AFTER DELETE ON professionals",
            "DELETE FROM search_people WHERE rowid = OLD.id;"
            " DELETE FROM search_people_tri WHERE rowid = OLD.id;",
        ),
        "search_parea_ai": (
            "AFTER INSERT ON professional_areas",
            _sqlite_refresh_people("p.id = NEW.professional_id"),
        ),
        "search_parea_ad": (
            "AFTER DELETE ON professional_areas",
            _sqlite_refresh_people("p.id = OLD.professional_id"),
        ),
        "search_pdom_ai": (
            "AFTER INSERT ON professional_domains",
            _sqlite_refresh_people("p.id = NEW.professional_id"),
        ),
        "search_pdom_ad": (
            "AFTER DELETE ON professional_domains",
            _sqlite_refresh_people("p.id = OLD.professional_id"),
        ),
        "search_org_ai": ("AFTER INSERT ON organisations", _sqlite_refresh_org("o.id = NEW.id")),
        "search_org_au": (
            "AFTER UPDATE OF name, sector ON organisations",
            _sqlite_refresh_org("o.id = NEW.id")
            + _sqlite_refresh_people("p.organisation_id = NEW.id"),
        ),
        "search_org_ad": (
            "AFTER DELETE ON organisations",
            "DELETE FROM search_orgs WHERE rowid = OLD.id;"
            " DELETE FROM search_orgs_tri WHERE rowid = OLD.id;",
        ),
        "search_area_au": (
            "AFTER UPDATE OF name ON areas",
            _sqlite_refresh_people(
                "p.id IN (SELECT pa.professional_id FROM professional_areas pa"
                " JOIN areas a ON a.id = pa.area_id WHERE a.id = NEW.id OR a.parent_id = NEW.id)"
            ),
        ),
        "search_domain_au": (
            "AFTER UPDATE OF name, slug ON domains",
            _sqlite_refresh_people(
                "p.id IN (SELECT professional_id FROM professional_domains"
                " WHERE domain_id = NEW.id)"
            ),
        ),
    }
    for name, (when, body) in triggers.items():
        op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW BEGIN {body} END")

    # Index what is already there.
    for statement in (_sqlite_refresh_org("1 = 1") + _sqlite_refresh_people("1 = 1")).split(";"):
        if statement.strip():
            op.execute(statement)
    op.execute("CREATE INDEX search_ix_professionals_landline ON professionals (landline)")
    op.execute("CREATE INDEX search_ix_organisations_phone ON organisations (phone)")
    op.execute("CREATE INDEX search_ix_organisations_crisis_phone ON organisations (crisis_phone)")


_PG_FUNCTIONS = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE OR REPLACE FUNCTION search_norm(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS
$$ SELECT trim(regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, $1)),
                              '[^a-z0-9]+', ' ', 'g')) $$;

CREATE TABLE search_people (
  professional_id integer PRIMARY KEY REFERENCES professionals (id) ON DELETE CASCADE,
  doc text NOT NULL,
  key text NOT NULL
);
CREATE TABLE search_orgs (
  organisation_id integer PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
  doc text NOT NULL,
  key text NOT NULL
);
CREATE INDEX search_people_doc_trgm ON search_people USING gin (doc gin_trgm_ops);
CREATE INDEX search_people_key_trgm ON search_people USING gin (key gin_trgm_ops);
CREATE INDEX search_orgs_doc_trgm ON search_orgs USING gin (doc gin_trgm_ops);
CREATE INDEX search_orgs_key_trgm ON search_orgs USING gin (key gin_trgm_ops);
CREATE INDEX search_ix_professionals_landline ON professionals (landline);
CREATE INDEX search_ix_organisations_phone ON organisations (phone);
CREATE INDEX search_ix_organisations_crisis_phone ON organisations (crisis_phone);

CREATE OR REPLACE FUNCTION search_refresh_people(ids integer[]) RETURNS void
  LANGUAGE sql VOLATILE AS
$$
  DELETE FROM search_people WHERE professional_id = ANY(ids);
  INSERT INTO search_people (professional_id, doc, key)
  SELECT p.id,
         ' ' || search_norm(concat_ws(' ', p.name, p.role, o.name,
           (SELECT string_agg(a.name || ' ' || coalesce(g.name, ''), ' ')
              FROM professional_areas pa JOIN areas a ON a.id = pa.area_id
              LEFT JOIN areas g ON g.id = a.parent_id
             WHERE pa.professional_id = p.id),
           (SELECT string_agg(d.name || ' ' || d.slug, ' ')
              FROM professional_domains pd JOIN domains d ON d.id = pd.domain_id
             WHERE pd.professional_id = p.id))) || ' ',
         search_norm(p.name)
    FROM professionals p JOIN organisations o ON o.id = p.organisation_id
   WHERE p.id = ANY(ids) AND p.active;
$$;

CREATE OR REPLACE FUNCTION search_refresh_org(org_id integer) RETURNS void
  LANGUAGE sql VOLATILE AS
$$
  DELETE FROM search_orgs WHERE organisation_id = org_id;
  INSERT INTO search_orgs (organisation_id, doc, key)
  SELECT o.id, ' ' || search_norm(o.name || ' ' || o.sector) || ' ', search_norm(o.name)
    FROM organisations o WHERE o.id = org_id;
$$;

CREATE OR REPLACE FUNCTION search_trg_professional() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN PERFORM search_refresh_people(ARRAY[NEW.id]); RETURN NULL; END $$;

CREATE OR REPLACE FUNCTION search_trg_link() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN
  IF TG_OP = 'DELETE' THEN PERFORM search_refresh_people(ARRAY[OLD.professional_id]);
  ELSE PERFORM search_refresh_people(ARRAY[NEW.professional_id]); END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION search_trg_organisation() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN
  PERFORM search_refresh_org(NEW.id);
  IF TG_OP = 'UPDATE' THEN
    PERFORM search_refresh_people(ARRAY(SELECT id FROM professionals
                                         WHERE organisation_id = NEW.id));
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION search_trg_area() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN
  PERFORM search_refresh_people(ARRAY(
    SELECT pa.professional_id FROM professional_areas pa JOIN areas a ON a.id = pa.area_id
     WHERE a.id = NEW.id OR a.parent_id = NEW.id));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION search_trg_domain() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN
  PERFORM search_refresh_people(ARRAY(
    SELECT professional_id FROM professional_domains WHERE domain_id = NEW.id));
  RETURN NULL;
END $$;

CREATE TRIGGER search_prof_ai AFTER INSERT ON professionals
  FOR EACH ROW EXECUTE FUNCTION search_trg_professional();
CREATE TRIGGER search_prof_au AFTER UPDATE OF name, role, organisation_id, active ON professionals
  FOR EACH ROW EXECUTE FUNCTION search_trg_professional();
CREATE TRIGGER search_parea_ai AFTER INSERT OR DELETE ON professional_areas
  FOR EACH ROW EXECUTE FUNCTION search_trg_link();
CREATE TRIGGER search_pdom_ai AFTER INSERT OR DELETE ON professional_domains
  FOR EACH ROW EXECUTE FUNCTION search_trg_link();
CREATE TRIGGER search_org_ai AFTER INSERT OR UPDATE OF name, sector ON organisations
  FOR EACH ROW EXECUTE FUNCTION search_trg_organisation();
CREATE TRIGGER search_area_au AFTER UPDATE OF name ON areas
  FOR EACH ROW EXECUTE FUNCTION search_trg_area();
CREATE TRIGGER search_domain_au AFTER UPDATE OF name, slug ON domains
  FOR EACH ROW EXECUTE FUNCTION search_trg_domain();

SELECT search_refresh_org(id) FROM organisations;
SELECT search_refresh_people(ARRAY(SELECT id FROM professionals));
"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _upgrade_sqlite()
    elif dialect == "postgresql":
        op.execute(_PG_FUNCTIONS)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in PEOPLE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for table in ("search_people", "search_orgs", "search_people_tri", "search_orgs_tri"):
            op.execute(f"DROP TABLE IF EXISTS {table}")
    elif dialect == "postgresql":
        for trigger, table in (
            ("search_prof_ai", "professionals"), ("search_prof_au", "professionals"),
            ("search_parea_ai", "professional_areas"), ("search_pdom_ai", "professional_domains"),
            ("search_org_ai", "organisations"), ("search_area_au", "areas"),
            ("search_domain_au", "domains"),
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        op.execute("DROP TABLE IF EXISTS search_people, search_orgs")
        for fn in (
            "search_trg_professional()", "search_trg_link()", "search_trg_organisation()",
            "search_trg_area()", "search_trg_domain()", "search_refresh_people(integer[])",
            "search_refresh_org(integer)", "search_norm(text)",
        ):
            op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    for index in (
        "search_ix_professionals_landline", "search_ix_organisations_phone",
        "search_ix_organisations_crisis_phone",
    ):
        op.execute(f"DROP INDEX IF EXISTS {index}")
