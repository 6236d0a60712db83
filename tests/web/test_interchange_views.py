"""Upload page (beheerder only), templates per kind, HSDS download, and the CLI commands."""

import io
import json

from sqlalchemy import func, select

from netwerk.interchange.kinds import KINDS
from netwerk.models import Organisation

ORGS = b"key;name;sector;phone\r\norg-x;Stichting \xe9\xe9n;welzijn;030 123 4567\r\n"


def upload(client, files, dry_run, follow_redirects=True):
    """Upload on /import; the import runs as a job (inline in the tests) and its page at
    /import/<run> shows the report."""
    data = {"files": [(io.BytesIO(body), name) for name, body in files]}
    if dry_run:
        data["dry_run"] = "y"
    return client.post("/import", data=data, content_type="multipart/form-data",
                       follow_redirects=follow_redirects)


def test_only_a_beheerder_may_import_or_export(client, auth, users):
    auth.login(users["coordinator"])
    assert client.get("/import").status_code == 403
    assert client.get("/export/hsds.json").status_code == 403
    auth.logout()
    auth.login(users["beheerder"])
    assert client.get("/import").status_code == 200


def test_upload_dry_run_then_real_run(client, auth, users, session):
    auth.login(users["beheerder"])
    page = upload(client, [("organisaties.csv", ORGS)], dry_run=True)
    assert page.status_code == 200
    assert "Proefimport: geen problemen" in page.text
    imported = select(Organisation.name).where(Organisation.external_id == "org-x")
    assert session.scalar(imported) is None
    page = upload(client, [("organisaties.csv", ORGS)], dry_run=False)
    assert "Import voltooid" in page.text
    assert session.scalar(imported) == "Stichting één"


def test_upload_shows_problems_per_row(client, auth, users, session):
    auth.login(users["beheerder"])
    bad = b"key,name,sector,phone\norg-x,A,welzijn,06-123\n"
    page = upload(client, [("organisations.csv", bad)], dry_run=False)
    assert "organisations.csv, rij 2, telefoon: &#39;06-123&#39; is geen geldig telefoonnummer" \
        in page.text
    assert "Er is niets veranderd" in page.text
    assert session.scalar(select(Organisation).where(Organisation.external_id == "org-x")) is None


def test_templates_have_a_header_and_one_example_row(client, auth, users):
    auth.login(users["medewerker"])
    for kind in KINDS:
        response = client.get(f"/import/sjablonen/{kind.name}.csv")
        assert response.status_code == 200
        lines = response.data.decode("utf-8-sig").strip().splitlines()
        assert lines[0].split(",") == list(kind.columns)
        assert len(lines) == 2
    assert client.get("/import/sjablonen/cases.csv").status_code == 404


def test_hsds_download(client, auth, users, seeded):
    auth.login(users["beheerder"])
    response = client.get("/export/hsds.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert len(json.loads(response.data)["organizations"]) >= 25


def test_cli_import_dry_run_and_export(runner, session, tmp_path):
    (tmp_path / "organisations.csv").write_bytes(ORGS)
    result = runner.invoke(args=["import", str(tmp_path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Proefimport" in result.output
    assert session.scalar(select(func.count()).select_from(Organisation)) == 0
    result = runner.invoke(args=["import", str(tmp_path / "organisations.csv")])
    assert result.exit_code == 0, result.output
    assert session.scalar(select(func.count()).select_from(Organisation)) == 1
    out = tmp_path / "hsds.json"
    result = runner.invoke(args=["export", "--format", "hsds", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["organizations"][0]["name"] == "Stichting één"


def test_cli_import_failure_changes_nothing(runner, session, tmp_path):
    (tmp_path / "organisations.csv").write_bytes(b"key,name\nx,y\n")
    result = runner.invoke(args=["import", str(tmp_path)])
    assert result.exit_code != 0
    assert "kolom ontbreekt: sector" in result.output
    assert "er is niets veranderd" in result.output


def test_too_large_upload_gets_a_dutch_message(app, client, auth, users):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    auth.login(users["beheerder"])
    page = upload(client, [("organisations.csv", b"x" * 4096)], dry_run=True)
    assert page.status_code == 413
    assert "netwerk import PAD" in page.text


def test_policy_import_and_export_are_for_the_beheerder_only(users):
    from netwerk.auth import policy

    for role, user in users.items():
        assert policy.can_import(user) is (role == "beheerder"), role
        assert policy.can_export(user) is (role == "beheerder"), role
        assert policy.can_use_api(user), role
