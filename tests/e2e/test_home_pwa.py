"""On a phone: the home page puts a call button in the first screen, the favourite button flips
at once, and the installable app looks numbers up offline — without ever keeping a case."""

from __future__ import annotations

import re
import time

import pytest

pytestmark = pytest.mark.e2e

SCREENS = {"360": {"width": 360, "height": 740}, "1366": {"width": 1366, "height": 768}}


def _caches(page) -> list[str]:
    return page.evaluate("caches.keys()")


def _wait_for_copy(page) -> None:
    """Until the service worker is active and holds the offline directory."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if page.evaluate("""async () => {
              const r = await navigator.serviceWorker.getRegistration('/');
              return !!(r && r.active && await caches.match('/offline/gids.json'));
            }"""):
            return
        time.sleep(0.2)
    raise AssertionError("the service worker kept no copy of the directory")


def test_first_call_button_of_home_is_in_the_first_screen(visitor):
    visitor.login("medewerker")
    page = visitor.page
    visitor.goto("/")
    call = page.locator(".contact a.call[href^='tel:']").first
    box = call.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 740, box
    assert box["height"] >= 44 and box["width"] >= 44
    assert page.locator("h2", has_text="Mijn wijk").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    visitor.screenshot("home-360", full_page=False)
    page.set_viewport_size(SCREENS["1366"])
    visitor.screenshot("home-1366", full_page=False)
    assert visitor.console_errors == []


def test_favourite_flips_in_place_and_lands_on_home(visitor):
    visitor.login("medewerker")
    page = visitor.page
    visitor.goto("/")
    page.locator("section[id^=wijk-] .contact a.name").first.click()
    page.wait_for_url("**/personen/*")
    name = page.locator("h1").inner_text()
    button = page.locator("form.favourite-form button[aria-pressed]")
    if button.get_attribute("aria-pressed") == "true":  # left over: start unmarked
        button.click()
        page.wait_for_function(
            "document.querySelector('form.favourite-form button').getAttribute('aria-pressed') === 'false'")
    page.evaluate("window.__samePage = true")
    button.click()
    page.wait_for_function(
        "document.querySelector('form.favourite-form button').getAttribute('aria-pressed') === 'true'",
        timeout=2000)
    assert page.evaluate("window.__samePage === true")  # no page load: flipped in place
    assert "Favoriet" in button.inner_text()
    page.wait_for_load_state("networkidle")
    visitor.goto("/")
    assert name in page.locator("#favorieten").inner_text()
    # Unmark again, so other tests start from the same home.
    page.locator("#favorieten a.name", has_text=name).first.click()
    page.locator("form.favourite-form button[aria-pressed=true]").click()
    page.wait_for_function(
        "document.querySelector('form.favourite-form button').getAttribute('aria-pressed') === 'false'")
    page.wait_for_load_state("networkidle")
    assert visitor.console_errors == []


def test_offline_lookup_without_case_data_and_sign_out_wipes(visitor, browser, live_server):
    visitor.login("coordinator")
    page = visitor.page
    context = page.context
    _wait_for_copy(page)
    assert set(_caches(page)) == {"netwerk-shell-1", "netwerk-gids"}
    copy = page.evaluate("caches.match('/offline/gids.json').then(r => r.json())")
    me = "Esther Kuipers"
    colleague = next(p for p in copy["people"] if p["name"] != me and p["mobile"])
    # Only directory fields in the kept copy, nothing of a case.
    assert "NWG-2026" not in str(copy) and "situation" not in str(copy)

    # A case page visited online …
    visitor.goto("/casussen")
    page.locator("a[href^='/casussen/']", has_text="NWG-2026-0001").first.click()
    page.wait_for_url(re.compile(r".*/casussen/\d+$"))
    case_url = page.url
    assert "NWG-2026-0001" in page.content()
    page.wait_for_load_state("networkidle")

    context.set_offline(True)
    try:
        page.goto(live_server + "/offline")
        page.wait_for_selector("#offline-q")
        copy_line = page.locator("#offline-copy")
        assert re.search(r"Kopie van \d\d-\d\d-\d{4} \d\d:\d\d", copy_line.inner_text())
        assert "offline" in page.locator("#offline-status").inner_text()
        page.fill("#offline-q", colleague["name"].split()[-1])
        hit = page.locator(f"#offline-results li[data-professional-id='{colleague['id']}']")
        hit.wait_for()
        assert hit.locator("a.call").get_attribute("href") == f"tel:{colleague['mobile']}"
        assert colleague["mobile_display"] in hit.inner_text()
        # The last digits of a number find its owner, as on a missed-call screen.
        page.fill("#offline-q", colleague["mobile"][-6:])
        hit.wait_for()
        page.set_viewport_size(SCREENS["360"])
        visitor.screenshot("offline-360", full_page=False)
        page.set_viewport_size(SCREENS["1366"])
        visitor.screenshot("offline-1366", full_page=False)
        page.set_viewport_size(SCREENS["360"])

        # … is not served offline: the offline page comes instead, without the case.
        page.goto(case_url)
        content = page.content()
        assert "NWG-2026-0001" not in content and "Vermoeden van autisme" not in content
        assert page.locator("h1").inner_text() == "Offline opzoeken"
        # Nothing the worker keeps holds a case either.
        kept = page.evaluate("""async () => {
            const out = [];
            for (const name of await caches.keys()) {
              const cache = await caches.open(name);
              for (const req of await cache.keys()) out.push(new URL(req.url).pathname);
            }
            return out; }""")
        assert kept and not [p for p in kept if p.startswith(("/casussen", "/plek", "/api"))]
    finally:
        context.set_offline(False)

    # Sign-out wipes the copy and the shell.
    visitor.goto("/")
    page.locator("form.logout button[type=submit]").click()
    page.wait_for_url("**/login**")
    page.wait_for_load_state("networkidle")
    assert _caches(page) == []
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
    assert visitor.console_errors == []


def test_a_session_that_ends_elsewhere_wipes_the_copy(visitor, browser, live_server):
    """Sign out everywhere on another device: this phone's worker finds the directory answering
    401 and deletes what it kept."""
    visitor.login("facilitator")
    page = visitor.page
    _wait_for_copy(page)
    other = browser.new_context(viewport=SCREENS["360"], locale="nl-NL")
    try:
        second = other.new_page()
        second.goto(live_server + "/login")
        second.fill("#email", "facilitator@netwerk.example")
        second.fill("#password", "demo-facilitator")
        second.click("button[type=submit]")
        second.wait_for_url(live_server + "/**")
        second.goto(live_server + "/account/wachtwoord")
        second.locator("form[action$='/account/overal-afmelden'] button[type=submit]").click()
        second.wait_for_url("**/login**")
    finally:
        other.close()
    result = page.evaluate("""() => new Promise(resolve => {
        const channel = new MessageChannel();
        channel.port1.onmessage = e => resolve(e.data.result);
        navigator.serviceWorker.ready.then(r => r.active.postMessage(
            {type: 'sync', force: true}, [channel.port2]));
      })""")
    assert result == "signed-out"
    assert _caches(page) == []
