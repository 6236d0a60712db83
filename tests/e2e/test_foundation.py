"""Sign in on a phone and reach the three journeys, with nothing loaded from elsewhere."""

import pytest

pytestmark = pytest.mark.e2e


def test_sign_in_on_a_phone_shows_the_journeys(visitor):
    visitor.goto("/")
    assert "/login" in visitor.page.url
    visitor.screenshot("login-360")
    visitor.login("coordinator")
    page = visitor.page
    assert page.locator(".journey-title").all_inner_texts()[:3] == ["Zoeken", "Netwerk", "Casussen"]
    # Nothing wider than the phone: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    visitor.screenshot("home-360")
    assert visitor.console_errors == []


def test_sign_out_returns_to_sign_in(visitor):
    visitor.login("medewerker")
    visitor.page.click("form.logout button")
    visitor.page.wait_for_url("**/login")
    visitor.goto("/")
    assert "/login" in visitor.page.url
