"""On a phone: search as you type, open a person, and the number is one tap away."""

import pytest

pytestmark = pytest.mark.e2e


def _no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_search_open_person_and_call(visitor):
    visitor.login("medewerker")
    page = visitor.page
    page.fill("#q", "ozturk")
    page.keyboard.press("Enter")
    page.wait_for_url("**/zoeken?q=ozturk")
    first = page.locator(".results-people .person").first
    assert "Mehmet Öztürk" in first.inner_text()
    tel = first.locator("a.call")
    assert tel.get_attribute("href").startswith("tel:+31")
    _no_horizontal_scroll(page)
    visitor.screenshot("directory-search-360")

    first.locator("a.name").click()
    page.wait_for_url("**/personen/*")
    assert page.locator("h1").inner_text() == "Mehmet Öztürk"
    assert page.locator("a.call").first.get_attribute("href").startswith("tel:+31")
    assert page.locator("a[href^='sms:']").count() >= 1
    assert page.locator(".qr svg").count() == 1
    _no_horizontal_scroll(page)
    visitor.screenshot("directory-person-360")
    assert visitor.console_errors == []


def test_results_appear_while_typing(visitor):
    visitor.login("coordinator")
    page = visitor.page
    visitor.goto("/zoeken")
    page.locator("#q").press_sequentially("chant", delay=40)
    page.locator("#results[data-query='chant']").wait_for()  # the answer to the whole word
    assert "Chantál" in page.locator(".results-people").inner_text()
    page.locator("#q").fill("")
    page.locator("#q").press_sequentially("oztrk", delay=40)
    page.locator(".results-people .person", has_text="Öztürk").first.wait_for()
    assert visitor.console_errors == []


def test_organisation_wijk_and_smoelenboek_fit_a_phone(visitor):
    visitor.login("coordinator")
    page = visitor.page
    visitor.goto("/zoeken?q=lister")
    page.locator(".results-orgs a.name").first.click()
    page.wait_for_url("**/organisaties/*")
    _no_horizontal_scroll(page)
    visitor.screenshot("directory-organisation-360")
    page.locator(".list a.name").first.click()
    page.wait_for_url("**/personen/*")
    page.locator(".facts a.tag").first.click()
    page.wait_for_url("**/wijken/*")
    _no_horizontal_scroll(page)
    visitor.screenshot("directory-wijk-360")
    page.click("text=Smoelenboek")
    page.wait_for_url("**/smoelenboek")
    _no_horizontal_scroll(page)
    visitor.screenshot("directory-smoelenboek-360")


def test_edit_own_details_on_a_phone(visitor):
    visitor.login("medewerker")
    page = visitor.page
    visitor.goto("/zoeken?q=anouk%20verbeek")
    page.locator(".results-people a.name").first.click()
    page.click("text=Gegevens bewerken")
    page.fill("#mobile", "06-123")
    page.click("button.primary")
    assert "Mobiel nummer:" in page.locator(".flash-error").inner_text()
    _no_horizontal_scroll(page)
    visitor.screenshot("directory-edit-error-360")
