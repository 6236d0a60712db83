"""The coordinator's journey on a phone: intake → suggestion with why → confirm → plan."""

from datetime import date

import pytest

pytestmark = pytest.mark.e2e


def test_coordinator_intake_to_plan(visitor):
    visitor.login("coordinator")
    page = visitor.page
    visitor.goto("/casussen/nieuw")
    page.select_option("#area_id", label="Nieuwegein – Vreeswijk")
    page.check("input[name=urgency][value=spoed]")
    for slug in ("thuisbegeleiding", "wonen"):
        page.check(f"#np-{slug}")
    for slug in ("beschermd_wonen", "financien"):
        page.check(f"#ns-{slug}")
    for tag in ("geen_vast_adres", "indicatie_wmo"):
        page.check(f"input[name=constraints][value={tag}]")
    page.fill("#client_age", "66")
    page.fill("#situation", "Bel hem op 06-12345678")
    visitor.screenshot("matching-intake-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("form.intake button[type=submit]")
    # A phone number is refused, the text is kept, nothing is lost.
    assert "een telefoonnummer" in page.inner_text("form.intake")
    assert page.input_value("#situation") == "Bel hem op 06-12345678"
    assert page.is_checked("#np-thuisbegeleiding")
    page.fill("#situation", "Man zonder vaste woonplek; dagelijks iemand nodig die met hem eet.")
    page.click("form.intake button[type=submit]")
    page.wait_for_url("**/casussen/*")
    assert "aangemaakt" in page.inner_text(".flash")
    assert page.locator("#beslissing-kop").inner_text() == "Suggestie: frontsoldaat"
    assert page.locator("#frontsoldaat .reasons li").count() >= 1
    # Every configured score term has its row with its points (and one row for the total).
    assert page.locator("#waarom table.why tr[data-term][data-points]").count() == 7
    assert "Zonder afstemming" in page.locator("#voordeur title").text_content()
    assert "vaste woon" in page.locator("#waarom-niet").text_content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    visitor.screenshot("matching-suggestion-360")
    suggested = page.locator("#frontsoldaat .lead-name a").first.inner_text()
    # Everyone brought in rests on a named basis: the client's consent, given today.
    page.check("#beslissing form.confirm input[name=basis][value=toestemming]")
    page.fill("#bevestig-consent_given_on", date.today().isoformat())
    page.fill("#bevestig-consent_scope", "delen met de frontsoldaat en de broekzak")
    page.click("#beslissing form.confirm button[type=submit]")
    page.wait_for_url("**#plan")
    assert page.locator("#beslissing-kop").inner_text() == "Frontsoldaat"
    assert page.locator("#frontsoldaat .lead-name a").first.inner_text() == suggested
    page.fill("#what", "Dagelijks samen eten regelen")
    page.fill("#due", "2026-12-01")
    page.click(".add-action button[type=submit]")
    page.wait_for_url("**#plan")
    assert "Dagelijks samen eten regelen" in page.inner_text("#plan")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    visitor.screenshot("matching-plan-360")
    visitor.goto("/casussen")
    assert page.locator(".case-item").count() >= 2
    assert page.locator(".case-item a.call").count() >= 1
    visitor.screenshot("matching-mijn-casussen-360")
    # The refused intake answered 400 (on purpose); nothing else went wrong.
    assert [e for e in visitor.console_errors if "400" not in e] == []
