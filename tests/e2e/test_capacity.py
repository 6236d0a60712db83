"""Waar is plek? On a phone: find a count, update it as its organisation, see it in the overview."""

import pytest

pytestmark = pytest.mark.e2e


def _row(page, organisation: str, service: str):
    return page.locator("li.cap-row").filter(has_text=organisation).filter(has_text=service)


def test_update_a_count_and_see_it_in_the_overview(visitor):
    visitor.login("medewerker")  # Anouk Verbeek, Lister: works in Batau-Noord
    visitor.goto("/plek")
    page = visitor.page
    assert page.locator("#wijk option:checked").inner_text().strip() == "Batau-Noord"
    assert "wijk Batau-Noord → gemeente Nieuwegein → regio Lekstroom" in page.inner_text(".cap-near")
    # The first section is the noodplek, with the crisis line as a one-tap link.
    assert page.locator("section.cap-type h2").first.inner_text().startswith("Noodplek")
    noodplek = _row(page, "De Tussenvoorzieningen", "Noodplekken")
    # Nearest first: the gemeente's count, then the region's, which is old and greyed.
    assert noodplek.count() == 2
    assert "gemeente Nieuwegein" in noodplek.first.inner_text()
    assert noodplek.first.locator("a.call").get_attribute("href").startswith("tel:+31")
    assert "cap-stale" not in noodplek.first.get_attribute("class")
    assert "cap-stale" in noodplek.nth(1).get_attribute("class")
    assert "verouderd" in noodplek.nth(1).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    visitor.screenshot("plek-overview-360")

    lister = _row(page, "Lister", "Ambulante begeleiding")
    lister.locator("a.button").click()
    page.wait_for_url("**/plek/*")
    page.fill("#available", "7")
    page.fill("#maximum", "60")
    page.fill("#counts-note", "twee cliënten uitgestroomd")
    page.click("form.cap-counts button[type=submit]")
    page.wait_for_selector(".flash-success")
    assert "Telling opgeslagen" in page.inner_text(".flash-success")
    history = page.locator(".cap-history li").first.inner_text()
    assert "Bijgewerkt" in history and "Anouk Verbeek" in history and "7 van 60 vrij" in history
    assert "twee cliënten uitgestroomd" in history
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    visitor.screenshot("plek-detail-360")

    visitor.goto("/plek?soort=thuisbegeleiding")
    row = _row(page, "Lister", "Ambulante begeleiding")
    assert row.locator(".cap-free").inner_text() == "7"
    assert row.locator(".cap-max").inner_text() == "60"
    assert "door Anouk Verbeek" in row.inner_text()
    assert visitor.console_errors == []


def test_a_wrong_count_gets_a_dutch_message(visitor):
    visitor.login("beheerder")  # may update any count
    visitor.goto("/plek?soort=noodplek")
    page = visitor.page
    _row(page, "De Tussenvoorzieningen", "Noodplekken").first.locator("a.button").click()
    page.wait_for_url("**/plek/*")
    before = page.inner_text(".cap-summary .cap-count")
    page.fill("#available", "9")
    page.fill("#maximum", "6")
    page.click("form.cap-counts button[type=submit]")
    assert "Vrij (9) kan niet meer zijn dan het totaal (6)" in page.inner_text(".flash-error")
    assert page.inner_text(".cap-summary .cap-count") == before
    visitor.screenshot("plek-error-360")


def test_add_a_count_form_fits_a_phone(visitor):
    visitor.login("beheerder")
    visitor.goto("/plek")
    page = visitor.page
    page.click("text=Telling toevoegen")
    page.wait_for_url("**/plek/nieuw")
    assert page.locator("#type_slug option").count() == 6
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    visitor.screenshot("plek-nieuw-360")
