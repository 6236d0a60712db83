"""Every download: a file name from data never breaks the header (RFC 6266), and every CSV
cell that a spreadsheet would read as a formula is neutralised (findings 13 and 14)."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import unquote

import networkx as nx
import pytest
from sqlalchemy import select

from netwerk.csvsafe import FORMULA_START, rows_to_csv, safe_cell
from netwerk.interchange.kinds import KINDS
from netwerk.models import Area, Organisation
from netwerk.web.download import content_disposition

ODD_NAMES = ["’t Goy", "Ĳsselstein", 'Wijk "Noord"\r\nX-Evil: 1', "Zoë/..\\Hoef", "😀"]


def _utf8_name(header: str) -> str:
    assert "\r" not in header and "\n" not in header
    header.encode("latin-1")  # a header Werkzeug and every server can send
    if "filename*=UTF-8''" in header:
        return unquote(header.split("filename*=UTF-8''", 1)[1])
    return header.split('filename="', 1)[1].rsplit('"', 1)[0]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_content_disposition_keeps_the_name_and_stays_one_quoted_ascii_value(name):
    header = content_disposition(f"netwerk-{name}.csv")
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.isascii() and '"' not in fallback and "\\" not in fallback
    assert header.count('"') == 2  # the fallback's own quotes only: nothing breaks out
    exact = _utf8_name(header)
    assert "/" not in exact and "\\" not in exact
    if "\r" not in name:
        assert name.replace("/", "_").replace("\\", "_") in exact


def test_exports_of_an_area_with_odd_name_are_served(seeded, session, client, auth, users):
    auth.login(users["facilitator"])
    area = session.scalar(select(Area).where(Area.name == "Nieuwegein"))
    area.name = "’t Goy Ĳ \"x\""
    session.commit()
    for path in ("/netwerk/export.graphml", "/netwerk/export.gexf", "/netwerk/ontbrekend.csv"):
        response = client.get(f"{path}?gebied={area.id}")
        assert response.status_code == 200, path
        header = response.headers["Content-Disposition"]
        assert "’t-goy-ĳ" in _utf8_name(header), header
        assert header.count('"') == 2
    graph = nx.read_graphml(io.BytesIO(client.get(f"/netwerk/export.graphml?gebied={area.id}").data))
    assert graph.number_of_nodes() > 0


def test_vcard_of_a_person_with_odd_name_downloads(seeded, session, client, auth, users):
    auth.login(users["medewerker"])
    prof = users["medewerker"].professional
    prof.name = "Ĳsbrand ’t \"Hart\""
    session.commit()
    response = client.get(f"/personen/{prof.id}.vcf")
    assert response.status_code == 200
    assert "sbrand" in _utf8_name(response.headers["Content-Disposition"])


def test_safe_cell_neutralises_every_formula_start():
    for start in FORMULA_START:
        assert safe_cell(f"{start}HYPERLINK(\"http://x\")").startswith("'")
    assert safe_cell("Lister") == "Lister"
    assert safe_cell(-3) == -3 and safe_cell(None) == ""
    text = rows_to_csv([["=1+1", "@SUM(A1)", "ok"]])
    assert next(csv.reader(io.StringIO(text))) == ["'=1+1", "'@SUM(A1)", "ok"]


def _cells(text: str):
    for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
        yield from row


def test_missing_partners_csv_neutralises_formulas_in_names(seeded, session, client, auth,
                                                             users):
    for org in session.scalars(select(Organisation)):
        org.name = f'=HYPERLINK("http://kwaad.example","{org.name}")'
    session.commit()
    auth.login(users["facilitator"])
    area = session.scalar(select(Area).where(Area.name == "Nieuwegein"))
    text = client.get(f"/netwerk/ontbrekend.csv?gebied={area.id}").get_data(as_text=True)
    cells = list(_cells(text))
    assert any("HYPERLINK" in c for c in cells), "the test must see an organisation's name"
    assert not [c for c in cells if c.startswith(FORMULA_START)]


def test_import_templates_hold_no_formula_cells(app, client, auth, users):
    auth.login(users["beheerder"])
    for kind in KINDS:
        response = client.get(f"/import/sjablonen/{kind.name}.csv")
        if response.status_code == 404:
            continue
        assert response.status_code == 200
        assert not [c for c in _cells(response.get_data(as_text=True))
                    if c.startswith(FORMULA_START)], kind.name


def test_hsds_export_download_name(seeded, client, auth, users):
    auth.login(users["beheerder"])
    response = client.get("/export/hsds.json")
    assert response.status_code == 200
    assert 'filename="netwerk-hsds.json"' in response.headers["Content-Disposition"]
    json.loads(response.data)
