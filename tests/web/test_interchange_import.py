"""Import: dry-run report per row, all-or-nothing, idempotent, Dutch message per bad input."""

import json

import pytest
from sqlalchemy import func, select

from netwerk.db import Base
from netwerk.interchange.importer import Importer, Source, run_import, sources_from_path
from netwerk.interchange.kinds import KINDS, template_csv
from netwerk.interchange.validate import validate_professional
from netwerk.models import (
    Area,
    Capacity,
    EligibilityRule,
    Organisation,
    Professional,
    Service,
    Tie,
)
from tests.conftest import ROOT

AREAS = "key,kind,name,parent_key\nreg,regio,Lekstroom,\ngem,gemeente,Nieuwegein,reg\nwijk,wijk,Batau,gem\n"
ORGS = "key,name,sector,phone\norg-a,Portaal,wonen,030 123 4567\norg-b,Lister,ggz,\n"
PROFS = ("key,name,organisation_key,mobile,wijken,domains\n"
         "p1,Anna de Vries,org-a,06 1234 5678,wijk,\n"
         "p2,Bram Jansen,org-b,0612345679,wijk,\n")


def csv_source(name: str, text: str, encoding: str = "utf-8") -> Source:
    return Source(name, text.encode(encoding))


def base_sources() -> list[Source]:
    return [csv_source("areas.csv", AREAS), csv_source("organisations.csv", ORGS),
            csv_source("professionals.csv", PROFS)]


def snapshot(session) -> dict:
    result = {}
    for table in Base.metadata.sorted_tables:
        rows = session.execute(select(table)).all()
        result[table.name] = sorted(map(tuple, rows), key=repr)
    return result


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_import_creates_and_reimport_updates_without_duplicates(session):
    report = run_import(session, base_sources())
    assert report.ok, [str(p) for p in report.problems]
    session.commit()
    assert count(session, Professional) == 2
    anna = session.scalar(select(Professional).where(Professional.external_id == "p1"))
    assert anna.mobile == "+31612345678"
    assert [a.name for a in anna.areas] == ["Batau"]
    assert anna.organisation.name == "Portaal"

    changed = PROFS.replace("Anna de Vries", "Anna de Vries-Smit")
    sources = base_sources()[:2] + [csv_source("professionals.csv", changed)]
    report = run_import(session, sources)
    assert report.ok
    session.commit()
    assert report.created["professionals"] == 0
    assert report.updated["professionals"] == 1  # only Anna changed
    assert report.unchanged["professionals"] == 1
    assert count(session, Professional) == 2
    assert count(session, Organisation) == 2
    assert count(session, Area) == 3
    session.expire_all()
    assert session.scalar(select(Professional.name).where(Professional.external_id == "p1")) \
        == "Anna de Vries-Smit"


def test_dry_run_reports_per_row_and_changes_nothing(session):
    bad = PROFS + "p3,Cor,org-a,06-123,wijk,\n"
    before = snapshot(session)
    report = run_import(session, base_sources()[:2] + [csv_source("professionals.csv", bad)],
                        dry_run=True)
    session.commit()
    assert not report.ok
    messages = [str(p) for p in report.problems]
    assert messages == ["professionals.csv, rij 4, mobiel: '06-123' is geen geldig telefoonnummer"]
    assert snapshot(session) == before


def test_clean_dry_run_counts_but_writes_nothing(session):
    before = snapshot(session)
    report = run_import(session, base_sources(), dry_run=True)
    assert report.ok
    assert report.created["professionals"] == 2
    session.commit()
    assert snapshot(session) == before


def test_one_bad_row_means_nothing_is_written(session):
    bad = PROFS + "p3,Cor,org-onbekend,0612345670,wijk,\n"
    before = snapshot(session)
    report = run_import(session, base_sources()[:2] + [csv_source("professionals.csv", bad)])
    assert not report.ok
    assert not report.applied
    session.rollback()
    assert snapshot(session) == before
    assert "rij 4, organisation_key: onbekende sleutel 'org-onbekend'" in str(report.problems[0])


def test_windows_1252_with_semicolons_as_excel_writes_it(session):
    orgs = "key;name;sector\r\norg-a;Stichting Café Ühlenbeck;welzijn\r\n"
    report = run_import(session, [csv_source("organisaties.csv", orgs, "cp1252")])
    assert report.ok, [str(p) for p in report.problems]
    session.commit()
    assert session.scalar(select(Organisation.name)) == "Stichting Café Ühlenbeck"


def test_utf8_with_bom(session):
    orgs = "\ufeffkey,name,sector\norg-a,Zorg à la carte,zorg\n"
    report = run_import(session, [csv_source("organisations.csv", orgs)])
    assert report.ok
    session.commit()
    assert session.scalar(select(Organisation.name)) == "Zorg à la carte"


def test_json_import_with_lists(session):
    payload = {
        "areas": [{"key": "reg", "kind": "regio", "name": "Lekstroom"}],
        "organisations": [{"key": "org-a", "name": "Portaal", "sector": "wonen"}],
        "professionals": [{"key": "p1", "name": "Anna", "organisation_key": "org-a",
                           "mobile": "0612345678", "languages": ["nl", "en"],
                           "available": False, "caseload": 3}],
    }
    report = run_import(session, [Source("netwerk.json", json.dumps(payload).encode())])
    assert report.ok, [str(p) for p in report.problems]
    session.commit()
    anna = session.scalar(select(Professional))
    assert anna.languages == ["nl", "en"] and anna.available is False and anna.caseload == 3



def test_json_import_with_services_is_netwerk_format_not_hsds(session):
    """One object with a list per kind, services included (docs/interchange.md), imports as is;
    it used to be taken for HSDS because of its "services" key and lost its organisations."""
    payload = {
        "areas": [{"key": "reg", "kind": "regio", "name": "Lekstroom"}],
        "domains": [{"key": "wonen", "name": "Wonen"}],
        "organisations": [{"key": "org-a", "name": "Portaal", "sector": "wonen"}],
        "services": [{"key": "s1", "organisation_key": "org-a", "name": "Woonconsulent",
                      "domains": ["wonen"], "areas": ["reg"]}],
    }
    report = run_import(session, [Source("netwerk.json", json.dumps(payload).encode())])
    assert report.ok, [str(p) for p in report.problems]
    session.commit()
    service = session.scalar(select(Service))
    assert service.external_id == "s1" and service.organisation.name == "Portaal"
    assert [d.slug for d in service.domains] == ["wonen"]
    assert [a.external_id for a in service.areas] == ["reg"]
    assert session.scalar(select(Organisation.sector)).value == "wonen"

@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ([("organisations.csv", b"key,name\norg-a,Portaal\n")],
         "organisations.csv: kolom ontbreekt: sector (verplicht voor organisaties)"),
        ([("organisations.csv", b"key,name,sector\norg-a,Portaal,wonen\norg-a,Lister,ggz\n")],
         "organisations.csv, rij 3, key: sleutel 'org-a' komt twee keer voor (ook op rij 2)"),
        ([("organisations.csv", "key,name,sector\norg-a,Portaal,wonen\n".encode("utf-16"))],
         "organisations.csv: het bestand is geen tekst in UTF-8 of Windows-1252"),
        ([("organisations.csv", b"key,name,sector\norg-a,Portaal,wonen,extra\n")],
         "organisations.csv: regel 2 heeft meer velden (4) dan de kopregel kolommen (3)"),
        ([("organisations.csv", b"key,name,sector\n\"org-a,Portaal,wonen\n")],
         "organisations.csv"),
        ([("organisations.json", b"[{\"key\": \"org-a\",")],
         "organisations.json: geen geldige JSON op regel 1"),
        ([("personen.csv", PROFS.encode())],
         "personen.csv, rij 2, organisation_key: onbekende sleutel 'org-a'"),
        ([("organisations.csv", b"key,name,sector\norg-a,Portaal,woningbouw\n")],
         "organisations.csv, rij 2, sector: 'woningbouw' is niet een van: zorg"),
        ([("adressen.csv", b"a,b\n1,2\n")],
         "adressen.csv: uit de bestandsnaam blijkt niet welke soort"),
        ([("organisations.xlsx", b"PK\x03\x04")],
         "organisations.xlsx: onbekend bestandstype"),
    ],
    ids=["missing-column", "duplicate-id", "wrong-encoding", "too-many-fields",
         "malformed-quote", "malformed-json", "unknown-organisation", "bad-choice",
         "unknown-file", "xlsx"],
)
def test_bad_input_gives_a_dutch_message_and_changes_nothing(session, files, expected):
    before = snapshot(session)
    report = run_import(session, [Source(n, d) for n, d in files])
    assert not report.ok
    assert any(str(p).startswith(expected) for p in report.problems), \
        [str(p) for p in report.problems]
    session.rollback()
    assert snapshot(session) == before


def test_mobile_already_someone_elses_is_refused(session, make):
    make.professional(mobile="0612345678")
    session.commit()
    report = run_import(session, base_sources())
    assert not report.ok
    assert "rij 2, mobiel: '+31612345678' is al van een ander record" in str(report.problems[0])


def test_duplicate_mobile_within_the_file(session):
    profs = PROFS.replace("0612345679", "06 12345678")
    report = run_import(session, base_sources()[:2] + [csv_source("professionals.csv", profs)])
    assert [str(p) for p in report.problems] == [
        "professionals.csv, rij 3, mobiel: '+31612345678' staat ook op rij 2"]


def test_wijk_must_hang_under_a_gemeente(session):
    areas = "key,kind,name,parent_key\nreg,regio,Lekstroom,\nwijk,wijk,Batau,reg\n"
    report = run_import(session, [csv_source("areas.csv", areas)])
    assert [str(p) for p in report.problems] == [
        "areas.csv, rij 3, parent_key: een wijk hoort onder een gemeente"]


def test_a_seed_folder_imports_and_reimports_idempotently(session):
    sources = sources_from_path(ROOT / "seed_data")
    report = run_import(session, sources)
    assert report.ok, [str(p) for p in report.problems[:5]]
    session.commit()
    first = snapshot(session)
    counts = {m: count(session, m) for m in (Area, Organisation, Service, EligibilityRule,
                                              Professional, Tie, Capacity)}
    assert counts[Professional] >= 80 and counts[Tie] > 100 and counts[Capacity] > 5
    report = run_import(session, sources_from_path(ROOT / "seed_data"))
    assert report.ok
    session.commit()
    assert sum(report.created.values()) == 0
    assert report.updated["professionals"] == 0
    assert report.unchanged["professionals"] == counts[Professional]
    assert {m: count(session, m) for m in counts} == counts
    second = snapshot(session)
    # Only the bookkeeping columns (updated_at, capacity version) may move.
    assert second["ties"] == first["ties"]
    assert second["professional_areas"] == first["professional_areas"]


def test_templates_import_cleanly_as_a_set(session):
    sources = [Source(f"{k.name}.csv", template_csv(k).encode()) for k in KINDS]
    report = run_import(session, sources, dry_run=True)
    problems = [str(p) for p in report.problems]
    # The tie template refers to a second person not in the template set.
    assert problems == ["ties.csv, rij 2, b_key: onbekende sleutel 'prof-0002' (niet in dit "
                        "bestand en niet in netwerk)"]


def test_one_record_is_checked_with_the_rules_of_the_import(session):
    """Forms reuse the import's validation: one professional, checked on its own."""
    assert run_import(session, [csv_source("organisations.csv", ORGS)]).ok
    session.commit()
    refs = Importer(session, dry_run=True)
    good = {"key": "p9", "name": "Anna", "organisation_key": "org-a", "mobile": "06 1234 5678"}
    assert validate_professional(good, refs) == []
    bad = good | {"organisation_key": "org-x", "mobile": "06-123", "email": "anna",
                  "caseload": "veel"}
    messages = sorted(p.reason for p in validate_professional(bad, refs))
    assert messages == [
        "caseload: 'veel' is geen geheel getal",
        "email: 'anna' is geen e-mailadres",
        "mobiel: '06-123' is geen geldig telefoonnummer",
        "organisation_key: onbekende sleutel 'org-x' (niet in dit bestand en niet in netwerk)",
    ]
    assert count(session, Professional) == 0
