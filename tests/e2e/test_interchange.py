"""The import upload page and the API token page on a phone (360 px)."""

import pytest

pytestmark = pytest.mark.e2e

BAD = "key;name;sector;phone\norg-nieuw;Stichting Nieuw;welzijn;06-123\n"


def test_beheerder_dry_runs_an_import_on_a_phone(visitor, tmp_path):
    visitor.login("beheerder")
    visitor.goto("/import")
    page = visitor.page
    visitor.screenshot("import-360")
    path = tmp_path / "organisaties.csv"
    path.write_text(BAD, encoding="cp1252")
    page.set_input_files("#files", str(path))
    page.click("main form button.primary")
    page.wait_for_selector(".import-report")
    text = page.inner_text(".import-report")
    assert "rij 2, telefoon: '06-123' is geen geldig telefoonnummer" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    visitor.screenshot("import-report-360")
    assert visitor.console_errors == []


def test_token_page_on_a_phone(visitor):
    visitor.login("medewerker")
    visitor.goto("/api-token")
    visitor.page.click("button[name=create]")
    visitor.page.wait_for_selector("#token")
    assert visitor.page.inner_text("#token").startswith("nw_")
    assert visitor.page.evaluate("document.documentElement.scrollWidth") <= 360
    visitor.screenshot("api-token-360")
