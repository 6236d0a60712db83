"""One table of queries and the results people expect first, run on SQLite and PostgreSQL alike
(every test using ``app`` runs on both engines when NETWERK_TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import pytest

from netwerk.directory.search import search
from netwerk.models import Sector


@pytest.fixture
def world(make, session):
    wijk = make.area("Batau-Noord")
    altrecht = make.organisation("Altrecht", sector=Sector.GGZ, phone="+31302200000")
    geynwijs = make.organisation("Geynwijs", sector=Sector.WELZIJN, phone="+31306006000")
    buurtteam = make.organisation("Buurtteam Oost", sector=Sector.WELZIJN, phone="+31612000000")
    make.professional("Kees Willems", organisation=geynwijs, mobile="0611110001")
    make.professional("Mehmet Öztürk", organisation=geynwijs, mobile="0611110002",
                      languages=["nl", "tr"])
    make.professional("Fatima el Amrani", organisation=buurtteam, mobile="0611110003",
                      languages=["nl", "ar", "fr"])
    make.professional("Joost Huisman", organisation=altrecht, mobile="0611112345",
                      landline="+31302201234")
    make.professional("Sanne de Boer", organisation=altrecht, mobile="0611110005")
    gone = make.professional("Piet Huisman", organisation=altrecht, mobile="0611119999")
    gone.active = False
    make.professional("Anna Jansen", organisation=buurtteam, mobile="0611116000").areas = [wijk]
    session.commit()


def first(result) -> str:
    """The first result as a page shows it: an organisation when it ranks first."""
    if result.organisations_first or not result.people:
        return result.organisations[0].name if result.organisations else ""
    return result.people[0].name


def people(result) -> set[str]:
    return {h.name for h in result.people}


# query → (first result, people who must be among the results, people who must not)
TABLE = [
    ("willems", "Kees Willems", {"Kees Willems"}, set()),
    ("wlilems", "Kees Willems", {"Kees Willems"}, set()),          # two letters swapped
    ("Hiusman", "Joost Huisman", {"Joost Huisman"}, {"Piet Huisman"}),
    ("ozturk", "Mehmet Öztürk", {"Mehmet Öztürk"}, set()),
    ("altrect", "Altrecht", {"Joost Huisman", "Sanne de Boer"}, set()),  # typo: its people too
    ("altrecht", "Altrecht", {"Joost Huisman", "Sanne de Boer"}, set()),
    ("geyn", "Geynwijs", {"Kees Willems", "Mehmet Öztürk"}, set()),
    ("geynwijs", "Geynwijs", {"Kees Willems", "Mehmet Öztürk"}, set()),
    ("turks", "Mehmet Öztürk", {"Mehmet Öztürk"}, {"Fatima el Amrani", "Kees Willems"}),
    ("arabisch", "Fatima el Amrani", {"Fatima el Amrani"}, {"Mehmet Öztürk"}),
    ("Frans", "Fatima el Amrani", {"Fatima el Amrani"}, {"Mehmet Öztürk"}),
    ("turkstalig", "Mehmet Öztürk", {"Mehmet Öztürk"}, set()),
    ("turks geynwijs", "Mehmet Öztürk", {"Mehmet Öztürk"}, {"Kees Willems"}),
    ("2345", "Joost Huisman", {"Joost Huisman"}, set()),            # last digits of a mobile
    ("1234", "Joost Huisman", {"Joost Huisman"}, set()),            # … of a landline
    ("12345", "Joost Huisman", {"Joost Huisman"}, set()),
    ("9999", "", set(), {"Piet Huisman"}),                          # not active: not found
    ("0000", "Altrecht", set(), set()),                             # an organisation's number
    ("06-11112345", "Joost Huisman", {"Joost Huisman"}, set()),
]


@pytest.mark.parametrize(("query", "expected", "present", "absent"), TABLE,
                         ids=[row[0] for row in TABLE])
def test_query_table(app, session, world, query, expected, present, absent):
    result = search(session, query)
    assert first(result) == expected
    assert present <= people(result)
    assert not (absent & people(result))


def test_four_digits_alone_find_every_owner_of_that_ending(app, session, world):
    result = search(session, "6000")
    assert {o.name for o in result.organisations} == {"Geynwijs"}
    assert people(result) == {"Anna Jansen"}
    assert all(h.match == "nummer" for h in [*result.organisations, *result.people])
    assert search(session, "123").organisations == [] and search(session, "123").people == []


def test_languages_follow_a_change(app, session, world):
    from sqlalchemy import select

    from netwerk.models import Professional

    kees = session.scalar(select(Professional).where(Professional.name == "Kees Willems"))
    kees.languages = ["nl", "tr"]
    session.commit()
    assert "Kees Willems" in people(search(session, "turks"))


def test_messages_only_for_mobile_numbers(app, session, world):
    orgs = {o.name: o for o in search(session, "welzijn").organisations}
    assert orgs["Geynwijs"].messaging is False          # a switchboard number
    assert orgs["Buurtteam Oost"].messaging is True     # an 06 number
    assert search(session, "altrecht").organisations[0].as_json()["messaging"] is False
    assert all(h.messaging for h in search(session, "geynwijs").people)
