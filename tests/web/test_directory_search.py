"""Search from the box on every page: names, organisations, wijken, domains, numbers, typos."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from netwerk.directory.search import search
from netwerk.models import Domain


@pytest.fixture
def people(make, session):
    wijk = make.area("Batau-Noord")
    other_wijk = make.area("Galecop")
    lister = make.organisation("Lister")
    politie = make.organisation("Politie basisteam Lekstroom", sector="politie")
    ggz = Domain(slug="ggz", name="GGZ")
    session.add(ggz)
    ozturk = make.professional("Mehmet Öztürk", organisation=lister, mobile="06-12345678",
                               role="ambulant begeleider")
    ozturk.areas = [wijk]
    ozturk.domains = [ggz]
    chantal = make.professional("Chantál Wolters", organisation=politie, role="wijkagent",
                                mobile="0687654321")
    chantal.areas = [other_wijk]
    jansen_here = make.professional("Piet Jansen", organisation=lister, mobile="0611111111")
    jansen_here.areas = [wijk]
    jansen_there = make.professional("Anna Jansen", organisation=politie, mobile="0622222222")
    jansen_there.areas = [other_wijk]
    session.commit()
    return {"ozturk": ozturk, "chantal": chantal, "wijk": wijk, "other": other_wijk,
            "piet": jansen_here, "anna": jansen_there, "lister": lister, "politie": politie}


def names(result):
    return [h.name for h in result.people]


def test_accent_insensitive_both_ways(session, people):
    assert names(search(session, "ozturk")) == ["Mehmet Öztürk"]
    assert names(search(session, "Öztürk")) == ["Mehmet Öztürk"]
    assert names(search(session, "chantal")) == ["Chantál Wolters"]


def test_letters_of_their_own_are_folded(session, make):
    make.professional("Mustafa Yılmaz")
    make.professional("Łukasz Wiśniewski")
    session.commit()
    result = search(session, "yilmaz")
    assert names(result) == ["Mustafa Yılmaz"] and result.people[0].match == "exact"
    assert names(search(session, "lukasz wisn")) == ["Łukasz Wiśniewski"]


def test_prefix_as_you_type(session, people):
    assert "Mehmet Öztürk" in names(search(session, "meh"))
    result = search(session, "mehmet ö")
    assert names(result) == ["Mehmet Öztürk"]
    assert result.people[0].match == "prefix"


@pytest.mark.parametrize("typo", ["oztrk", "Ozturc", "Wolterz", "chantla"])
def test_one_typo_in_a_long_name(session, people, typo):
    result = search(session, typo)
    assert result.people, typo
    assert result.people[0].match == "fuzzy"


def test_short_words_are_not_fuzzy(session, people):
    assert names(search(session, "pitt")) == []


@pytest.mark.parametrize(
    "notation", ["06-12345678", "0612345678", "+31 6 1234 5678", "0031612345678", "06 12 34 56 78"]
)
def test_reverse_lookup_by_number(session, people, notation):
    result = search(session, notation)
    assert result.number == "+31612345678"
    assert names(result) == ["Mehmet Öztürk"]
    assert result.people[0].match == "nummer"


def test_by_organisation_role_wijk_and_domain(session, people):
    assert set(names(search(session, "lister"))) == {"Mehmet Öztürk", "Piet Jansen"}
    assert names(search(session, "wijkagent")) == ["Chantál Wolters"]
    assert set(names(search(session, "galecop"))) == {"Chantál Wolters", "Anna Jansen"}
    assert names(search(session, "ggz")) == ["Mehmet Öztürk"]


def test_organisations_by_name_and_sector(session, people):
    assert [o.name for o in search(session, "politie").organisations] == [
        "Politie basisteam Lekstroom"
    ]
    assert [o.name for o in search(session, "basisteam").organisations] == [
        "Politie basisteam Lekstroom"
    ]


def test_ranking_exact_before_prefix_and_own_wijk_first(session, people, make):
    make.professional("Jansje de Vries")
    session.commit()
    plain = search(session, "jansen")
    assert [h.match for h in plain.people][:2] == ["exact", "exact"]
    mine = search(session, "jansen", viewer_area_ids={people["other"].id})
    assert names(mine)[0] == "Anna Jansen"
    theirs = search(session, "jansen", viewer_area_ids={people["wijk"].id})
    assert names(theirs)[0] == "Piet Jansen"
    prefix = search(session, "jans")
    assert names(prefix)[-1] == "Jansje de Vries" or "Jansje de Vries" in names(prefix)


def test_index_follows_every_write(session, people):
    p = people["chantal"]
    p.name = "Chantál Vermeulen"
    session.commit()
    assert names(search(session, "vermeulen")) == ["Chantál Vermeulen"]
    assert names(search(session, "wolters")) == []
    people["politie"].name = "Politie Nieuwegein"
    session.commit()
    assert "Chantál Vermeulen" in names(search(session, "nieuwegein"))
    p.areas = []
    session.commit()
    assert "Chantál Vermeulen" not in names(search(session, "galecop"))
    p.active = False
    session.commit()
    assert names(search(session, "vermeulen")) == []
    session.delete(people["anna"])
    session.commit()
    assert "Anna Jansen" not in names(search(session, "jansen"))


def test_rows_written_with_plain_sql_are_indexed(session, people):
    org_id = people["lister"].id
    session.execute(
        text("INSERT INTO professionals (name, role, organisation_id, languages, caseload, "
             "caseload_max, available, active, verified_at, created_at, updated_at) VALUES "
             "('Zoë Bakker', 'buurtwerker', :o, '[\"nl\"]', 0, 0, true, true, "
             "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
        {"o": org_id},
    )
    session.commit()
    assert names(search(session, "zoe bak")) == ["Zoë Bakker"]


def test_seeded_network_is_searchable(session, seeded):
    assert names(search(session, "ozturk")) == ["Mehmet Öztürk"]
    assert "Lister" in [o.name for o in search(session, "lister").organisations]


def test_search_page_html_and_json(client, auth, users, people):
    auth.login(users["medewerker"])
    page = client.get("/zoeken?q=ozturk")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Mehmet Öztürk" in html
    assert 'href="tel:+31612345678"' in html
    assert 'href="sms:+31612345678"' in html
    assert 'href="https://wa.me/31612345678"' in html
    data = client.get("/zoeken?q=06-12345678&format=json").get_json()
    assert data["number"] == "+31612345678"
    person = data["people"][0]
    assert person["name"] == "Mehmet Öztürk"
    assert person["mobile"] == "+31612345678"
    assert person["organisation"] == "Lister"
    assert person["wijken"] == ["Batau-Noord"]
    assert {"id", "role", "match", "stale", "verified_at", "own_wijk"} <= person.keys()


def test_the_searchers_own_wijk_comes_first_and_is_marked(client, auth, users, people, session):
    """A worker in Galecop searching "jansen" sees Anna Jansen (Galecop) first, marked as their
    wijk, and Piet Jansen (Batau-Noord) after, not marked; a worker elsewhere sees neither
    marked."""
    worker = users["medewerker"]
    worker.professional.areas = [people["other"]]
    session.commit()
    auth.login(worker)
    found = client.get("/zoeken?q=jansen&format=json").get_json()["people"]
    assert [(p["name"], p["own_wijk"]) for p in found] == [
        ("Anna Jansen", True), ("Piet Jansen", False)]
    auth.logout()
    auth.login(users["coordinator"])
    found = client.get("/zoeken?q=jansen&format=json").get_json()["people"]
    assert not any(p["own_wijk"] for p in found)


def test_search_needs_sign_in(client, people):
    response = client.get("/zoeken?q=ozturk&format=json")
    assert response.status_code == 302


def test_fuzzy_step_is_bounded_for_long_words():
    """Finding 11: a 200-letter word no longer turns into ~19,500 OR-ed trigram pairs."""
    from netwerk.directory import search as s

    long_word = "abcdefghijklmnopqrstuvwxyz" * 8
    grams = s.fuzzy_trigrams(long_word)
    assert len(grams) <= s.FUZZY_MAX_TRIGRAMS
    assert grams[0] == "abc" and len(set(grams)) == len(grams)
    assert s.fuzzy_trigrams("kuipres") == ["kui", "uip", "ipr", "pre", "res"]
    assert s.FUZZY_MAX_LENGTH <= 40


def test_a_long_word_skips_the_typo_search(app, session, make):
    """No typo lookup reaches the database for a word longer than any name (the statements
    sent are watched: SQLite's trigram tables, PostgreSQL's deletion keys)."""
    from sqlalchemy import event

    from netwerk.directory import search as s

    make.professional("Esther Kuipers")
    session.commit()
    typo_lookups = []

    def watch(conn, cursor, statement, parameters, context, executemany):
        if "_tri" in statement or "typo_keys &&" in statement:
            typo_lookups.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", watch)
    try:
        s.search(session, "x" * 41)
        s.search(session, "q" * 200)
        assert typo_lookups == []
        assert [h.name for h in s.search(session, "kuipres").people] == ["Esther Kuipers"]
        assert typo_lookups
    finally:
        event.remove(engine, "before_cursor_execute", watch)


def test_search_is_rate_limited_per_user_in_html_and_json(app, client, auth, users):
    app.config["SEARCH_RATE_LIMIT"] = "3 per minute"
    auth.login(users["medewerker"])
    codes = [client.get("/zoeken", query_string={"q": f"naam{i}"}).status_code
             for i in range(3)]
    assert codes == [200, 200, 200]
    html = client.get("/zoeken?q=meer")
    assert html.status_code == 429 and "Je zoekt te vaak" in html.get_data(as_text=True)
    as_json = client.get("/zoeken?q=meer&format=json")
    assert as_json.status_code == 429 and as_json.is_json
    assert "Je zoekt te vaak" in as_json.get_json()["error"]["message"]
    # Another user is not affected: the limit is per user, not per (shared office) address.
    other = app.test_client()
    other.post("/login", data={"email": users["coordinator"].email,
                               "password": "correct horse battery staple"})
    assert other.get("/zoeken?q=ander").status_code == 200
