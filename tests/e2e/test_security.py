"""The account page on a phone: change one's password, sign out everywhere.

Runs on its own live server (the one of test_xss.py, started again for this module): the
shared demo server throttles sign-ins per address (10 a minute) and the other browser tests
already sign in often.
"""

import pytest

from tests.e2e.test_xss import xss_server, xss_visitor  # noqa: F401 - fixtures

pytestmark = pytest.mark.e2e


def test_password_page_fits_a_phone(xss_visitor):  # noqa: F811 - the fixture above
    visitor = xss_visitor
    visitor.login("facilitator")
    visitor.goto("/account/wachtwoord")
    page = visitor.page
    assert page.locator("h1").inner_text() == "Wachtwoord wijzigen"
    assert page.locator("#current").get_attribute("autocomplete") == "current-password"
    assert page.locator("#new").get_attribute("autocomplete") == "new-password"
    # A short new password: the Dutch message names the field, nothing changes.
    page.fill("#current", "demo-facilitator")
    page.fill("#new", "kort")
    page.fill("#again", "kort")
    page.click("main form button[type=submit]")
    assert "Nieuw wachtwoord:" in page.locator(".field-error").first.inner_text()
    page.wait_for_load_state("load")  # the width below is measured with the stylesheets applied
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    visitor.screenshot("account-password-360")
    # The refused form answers 400, which Chromium logs; nothing else may be logged.
    assert [m for m in visitor.console_errors if "status of 400" not in m] == []
