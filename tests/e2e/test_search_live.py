"""The search box in the top bar is live on every page, on a 360×740 phone: results right under
the field, the first "Bel" within thumb's reach (≤ 400 px from the top, where the on-screen
keyboard does not cover it), keyboard use, and the form still works on Enter."""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("NETWERK_SCREENSHOT_DIR", "/tmp/netwerk-screens")


def _shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png")


def _type(page, text: str, scope: str = "#q-panel") -> None:
    """Type ``text`` as a person would and wait until ``scope`` shows the answer to all of it
    (answers to the shorter prefixes come and go while typing)."""
    page.locator("#q").press_sequentially(text, delay=30)
    page.locator(f"{scope}[data-query='{text}']").wait_for()


def _first_call_y(page, scope: str) -> float:
    box = page.locator(f"{scope} a[href^='tel:']").first.bounding_box()
    assert box is not None
    return box["y"]


@pytest.mark.parametrize("path", ["/", "/plek", "/casussen"])
def test_live_results_under_the_field_on_every_page(visitor, path):
    visitor.login("medewerker")
    page = visitor.page
    visitor.goto(path)
    _type(page, "ozturk")
    panel = page.locator("#q-panel")
    panel.locator(".person", has_text="Öztürk").first.wait_for()
    assert page.locator("#q-panel").is_visible()
    assert page.url.endswith(path)                 # no page load
    assert _first_call_y(page, "#q-panel") <= 400
    assert "gevonden" in page.locator("#q-status").inner_text()
    _shot(page, f"search-live{path.replace('/', '-') or '-home'}-360")
    assert visitor.console_errors == []


def test_search_page_first_call_within_reach(visitor):
    visitor.login("coordinator")
    page = visitor.page
    visitor.goto("/zoeken")
    _type(page, "jansen", "#results")
    page.locator("#results .results-people .person").first.wait_for()
    assert _first_call_y(page, "#results") <= 400
    assert page.url.endswith("/zoeken?q=jansen")
    _shot(page, "search-page-360")


def test_keyboard_arrows_and_escape(visitor):
    visitor.login("medewerker")
    page = visitor.page
    visitor.goto("/")
    _type(page, "geyn")
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.textContent")
    assert first == "Geynwijs"                      # an organisation by its name comes first
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')").startswith("tel:")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == "q"
    assert page.locator("#q-panel").is_hidden()
    assert page.locator("#q-panel").is_hidden()


def test_switchboard_numbers_offer_no_messages(visitor):
    visitor.login("medewerker")
    page = visitor.page
    visitor.goto("/")
    _type(page, "geynwijs")
    org = page.locator("#q-panel .results-orgs li").first
    org.wait_for()
    assert org.locator("a[href^='tel:']").count() == 1
    assert org.locator("a[href^='sms:']").count() == 0
    person = page.locator("#q-panel .results-people .person").first
    assert person.locator("a[href^='sms:']").count() == 1   # a person's mobile number
    _shot(page, "search-geynwijs-360")


def test_enter_still_goes_to_the_search_page_and_the_bar_stays(visitor):
    visitor.login("medewerker")
    page = visitor.page
    visitor.goto("/organisaties/1")
    page.fill("#q", "lister")
    page.keyboard.press("Enter")
    page.wait_for_url("**/zoeken?q=lister")
    assert page.locator("#results .results-orgs").count() == 1
    page.mouse.wheel(0, 2000)
    page.wait_for_timeout(200)
    assert page.evaluate("window.scrollY") > 0
    box = page.locator("#q").bounding_box()
    assert 0 <= box["y"] <= 10                      # sticky: still at the top after scrolling
    assert page.locator(".topbar").bounding_box()["height"] <= 64


def test_laptop_layout(desktop_visitor):
    desktop_visitor.login("medewerker")
    page = desktop_visitor.page
    desktop_visitor.goto("/")
    _type(page, "ozturk")
    page.locator("#q-panel .person").first.wait_for()
    page.set_viewport_size({"width": 1366, "height": 768})
    _shot(page, "search-live-1366")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
