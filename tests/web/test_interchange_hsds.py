"""HSDS 3 export validates against the spec's JSON schemas; HSDS import brings organisations in."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import select

from netwerk.interchange.hsds import export_hsds, hsds_id
from netwerk.interchange.importer import Source, run_import
from netwerk.models import EligibilityRule, Organisation, Service

SCHEMAS = Path(__file__).resolve().parent.parent / "fixtures" / "hsds"


def _retrieve(uri: str) -> Resource:
    path = SCHEMAS / uri.rsplit("/", 1)[-1]
    if not path.exists():
        raise NoSuchResource(ref=uri)
    # The HSDS files name no $schema: read them as JSON Schema 2020-12. Their $id points at
    # raw.githubusercontent.com/…/3.2/schema/<file>; the file itself is taken from this folder.
    return Resource.from_contents(json.loads(path.read_text(encoding="utf-8")),
                                  default_specification=DRAFT202012)


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, registry=Registry(retrieve=_retrieve),
                                format_checker=FormatChecker())


def errors(name: str, instance) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator(name).iter_errors(instance)]


@pytest.fixture
def exported(seeded, session):
    return export_hsds(session, personal_contacts=True)


def test_default_export_holds_no_personal_contacts(seeded, session, client, make, users):
    """Finding 19: by default organisations, services, areas, capacities and public numbers
    only; named professionals only with the explicit option, said in the file's metadata."""
    from netwerk.models import Professional

    public = export_hsds(session)
    assert public["meta"]["personal_contacts"] is False
    assert all(o["contacts"] == [] for o in public["organizations"])
    text = json.dumps(public, ensure_ascii=False)
    for person in session.query(Professional).filter(Professional.active):
        assert person.mobile not in text, person.name
    assert any(o["phones"] for o in public["organizations"])  # public numbers stay
    assert public["services"] and any(s["capacities"] for s in public["services"])
    full = export_hsds(session, personal_contacts=True)
    assert full["meta"]["personal_contacts"] is True
    assert any(o["contacts"] for o in full["organizations"])
    # The beheerder's download: the same default, the option by ?contactpersonen=1.
    client.post("/login", data={"email": users["beheerder"].email,
                                "password": "correct horse battery staple"})
    assert client.get("/export/hsds.json").json["meta"]["personal_contacts"] is False
    assert client.get("/export/hsds.json?contactpersonen=1").json["meta"]["personal_contacts"]
    assert client.get("/export/hsds.json?contactpersonen=ja").status_code == 400


def test_cli_export_personal_contacts_only_with_the_flag(seeded, runner, tmp_path):
    out = tmp_path / "open.json"
    assert runner.invoke(args=["export", str(out)]).exit_code == 0
    assert json.loads(out.read_text())["meta"]["personal_contacts"] is False
    out2 = tmp_path / "intern.json"
    assert runner.invoke(args=["export", "--with-personal-contacts", str(out2)]).exit_code == 0
    data = json.loads(out2.read_text())
    assert data["meta"]["personal_contacts"] is True
    assert any(o["contacts"] for o in data["organizations"])


def test_export_validates_against_the_hsds_schemas(exported):
    assert len(exported["organizations"]) >= 25
    assert len(exported["services"]) >= 50
    for org in exported["organizations"]:
        assert errors("organization.json", org) == [], org["name"]
    for service in exported["services"]:
        # service.json refers to service_capacity.json (and unit.json) for "capacities".
        assert errors("service.json", service) == [], service["name"]
    capacities = [c for s in exported["services"] for c in s["capacities"]]
    assert capacities
    broken = {**exported["services"][0], "capacities": [{"id": hsds_id("x", 1), "available": 1}]}
    assert errors("service.json", broken), "a capacity without unit must be refused"


def test_the_validator_really_checks(exported):
    """A broken record is refused, so a green test means something."""
    org = dict(exported["organizations"][0])
    del org["description"]
    assert errors("organization.json", org)
    service = exported["services"][0]
    assert errors("service.json", {**service, "status": "open"})
    assert errors("service.json", {**service, "id": "niet-een-uuid"})  # formats are checked
    cap = {"id": "x", "available": 1}
    assert errors("service_capacity.json", cap)


def test_contacts_have_cell_phones_and_services_carry_areas_capacity_and_eligibility(exported):
    contacts = [c for o in exported["organizations"] for c in o["contacts"]]
    assert contacts and all(p["type"] in {"cell", "voice"} for c in contacts for p in c["phones"])
    assert any(p["type"] == "cell" and p["number"].startswith("+31970")
               for c in contacts for p in c["phones"])
    services = exported["services"]
    assert any(s["service_areas"] for s in services)
    capacities = [c for s in services for c in s["capacities"]]
    assert capacities and {c["unit"]["identifier"] for c in capacities} <= {
        "bed", "plek", "uur_per_week"}
    eligibility = [a for s in services for a in s["attributes"] if a["link_type"] == "eligibility"]
    assert any(a["value"] == "requires_fixed_address" for a in eligibility)


def test_export_ids_are_stable(exported, session):
    assert export_hsds(session)["organizations"][0]["id"] == exported["organizations"][0]["id"]


def test_hsds_round_trip_import(exported, session, tmp_path):
    """An HSDS document (netwerk's own export) imports: organisations, services, phones, ages."""
    # A fresh set of ids so that the import creates rather than clashing by name.
    for org in exported["organizations"]:
        org["name"] = org["name"] + " (HSDS)"
    data = json.dumps(exported).encode()
    report = run_import(session, [Source("hsds.json", data)])
    assert report.ok, [str(p) for p in report.problems[:5]]
    session.commit()
    org_id = exported["organizations"][0]["id"]
    org = session.scalar(select(Organisation).where(Organisation.external_id == org_id))
    assert org is not None and org.name.endswith("(HSDS)")
    source = exported["organizations"][0]
    voice = [p["number"] for p in source["phones"] if p["description"] == "algemeen nummer"]
    assert org.phone == (voice[0] if voice else None)
    assert session.scalar(select(Service).where(Service.organisation_id == org.id)) is not None
    again = run_import(session, [Source("hsds.json", data)])
    assert again.ok and again.created["organisations"] == 0


def test_hsds_import_of_a_foreign_service_list(session):
    payload = [{"id": "svc-1", "name": "Schuldhulp", "status": "active", "minimum_age": 18,
                "organization": {"id": "org-1", "name": "Stichting Rond", "description": "",
                                 "phones": [{"id": "ph", "number": "030 123 4567"}]}}]
    report = run_import(session, [Source("dienst.json", json.dumps(payload).encode())])
    assert report.ok, [str(p) for p in report.problems]
    session.commit()
    org = session.scalar(select(Organisation).where(Organisation.external_id == "org-1"))
    assert org.phone == "+31301234567" and org.sector.value == "welzijn"
    rule = session.scalar(select(EligibilityRule))
    assert rule.kind.value == "min_age" and rule.int_value == 18


def test_hsds_import_reports_a_bad_phone_and_changes_nothing(session):
    payload = {"organizations": [{"id": "org-1", "name": "X", "description": "",
                                  "phones": [{"id": "p", "number": "12"}]}]}
    report = run_import(session, [Source("hsds.json", json.dumps(payload).encode())])
    assert [str(p) for p in report.problems] == [
        "hsds.json (organizations), rij 1, telefoon: '12' is geen geldig telefoonnummer"]
    assert session.scalar(select(Organisation)) is None
