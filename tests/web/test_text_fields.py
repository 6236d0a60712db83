"""Control characters in any text field are refused (finding 15), in forms and in the import,
so the GraphML/GEXF exports stay valid XML; a deeply nested JSON import is a problem line, not
a 500 (finding 16)."""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from flask_wtf import FlaskForm
from sqlalchemy import select

import netwerk
from netwerk.models import Area, Organisation, Professional
from netwerk.text import bad_character
from netwerk.web.forms import Form

CONTROL = ["\x0b", "\x1b", "\x7f", "\x85", "\x0c", "\x01"]


def test_every_form_of_the_app_is_built_on_the_kit_form():
    """A new form cannot forget the control-character rule: it must derive from Form."""
    forms = []
    for info in pkgutil.walk_packages(netwerk.__path__, "netwerk."):
        if not info.name.endswith(".forms"):
            continue
        module = importlib.import_module(info.name)
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, FlaskForm) and obj.__module__ == module.__name__:
                forms.append(obj)
                assert issubclass(obj, Form), f"{obj.__module__}.{obj.__name__}"
    assert len(forms) >= 15


def test_bad_character_rules():
    assert bad_character("regel 1\nregel 2\tmet tab") is None
    assert bad_character("regel 1\nregel 2", multiline=False) == "\n"
    for char in CONTROL:
        assert bad_character(f"Anouk{char}Verbeek") == char
    assert bad_character("’t Goy, Zoë, Ĳsselstein 😀") is None


@pytest.mark.parametrize("char", CONTROL)
def test_own_name_with_a_control_character_is_refused_and_the_export_parses(
        char, seeded, session, make, client, auth):
    anouk = session.scalar(select(Professional).where(Professional.name == "Anouk Verbeek"))
    user = make.user(professional=anouk)
    session.commit()
    auth.login(user)
    response = client.post(f"/personen/{anouk.id}/bewerken", data={
        "name": f"Anouk{char}Verbeek", "role": anouk.role, "mobile": "0612345001",
        "landline": "", "email": "", "languages": "nl"})
    assert response.status_code == 400
    assert "Ongeldig teken" in response.get_data(as_text=True)
    session.expire_all()
    assert anouk.name == "Anouk Verbeek"
    area = session.scalar(select(Area).where(Area.name == "Nieuwegein"))
    for ext in ("graphml", "gexf"):
        body = client.get(f"/netwerk/export.{ext}?gebied={area.id}&niveau=professionals").data
        ET.fromstring(body)  # valid XML
    graph = nx.read_graphml(io.BytesIO(
        client.get(f"/netwerk/export.graphml?gebied={area.id}&niveau=professionals").data))
    assert "Anouk Verbeek" in {d.get("label") for _n, d in graph.nodes(data=True)}


def test_a_text_area_keeps_its_line_breaks_but_refuses_escape(seeded, session, make, client,
                                                               auth, users):
    from tests.web.access import build_world

    world = build_world(session, make)
    auth.login(world.users["coordinator"])
    case_id = world.ids["case"]
    paul = world.ids["paul"]
    bad = client.post(f"/casussen/{case_id}/besluit",
                      data={"lead_id": str(paul), "reason": "omdat\x1b[31m rood"})
    assert bad.status_code in (200, 400)
    assert "Ongeldig teken" in bad.get_data(as_text=True)


def _upload(client, name: str, body: bytes):
    return client.post("/import", data={"files": [(io.BytesIO(body), name)]},
                       content_type="multipart/form-data", follow_redirects=True)


def test_import_refuses_control_characters_in_a_cell(client, auth, users, session):
    auth.login(users["beheerder"])
    body = b"key;name;sector\r\norg-ctl;Stichting\x0bNoord;welzijn\r\n"
    page = _upload(client, "organisaties.csv", body)
    assert page.status_code < 500
    assert "ongeldig teken (U+000B)" in page.get_data(as_text=True)
    assert session.scalar(select(Organisation).where(Organisation.external_id == "org-ctl")) \
        is None
    lone = b'[{"key": "org-s", "name": "Stichting \\ud800", "sector": "welzijn"}]'
    page = _upload(client, "organisaties.json", lone)
    assert page.status_code < 500 and "ongeldig teken (U+D800)" in page.get_data(as_text=True)


@pytest.mark.parametrize("body", [b"[" * 100_000 + b"]" * 100_000,
                                  b'[{"key": ' + b"[" * 5000 + b"]" * 5000 + b"}]",
                                  b'{"a":' * 3000 + b"1" + b"}" * 3000])
def test_deeply_nested_json_import_is_a_problem_line(body, client, auth, users, session):
    auth.login(users["beheerder"])
    before = session.scalar(select(Organisation.id).order_by(Organisation.id.desc()))
    page = _upload(client, "organisaties.json", body)
    assert page.status_code < 500
    assert "te diep genest" in page.get_data(as_text=True)
    assert session.scalar(select(Organisation.id).order_by(Organisation.id.desc())) == before
