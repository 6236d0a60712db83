"""The facilitator's table in a real Chromium: the projector (1920×1080) shows the map full
screen with readable labels that never overlap; a second browser context on a phone (360×740)
checks in through the QR code's address and appears on the projector without a reload."""

from __future__ import annotations

import re
import time

import pytest

pytestmark = pytest.mark.e2e


def _overlaps(placed: list[dict]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(placed):
        for b in placed[i + 1:]:
            if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and \
                    a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]:
                found.append((a["id"], b["id"]))
    return found


def test_projector_map_labels_readable_and_apart_then_growth_and_showcase(desktop_visitor):
    v = desktop_visitor
    v.page.set_viewport_size({"width": 1920, "height": 1080})
    v.login("facilitator")
    v.goto("/netwerk/tafel")
    v.page.wait_for_selector('#tafel[data-drawn="1"]', timeout=20000)
    svg = v.page.locator("#tafel-kaart").bounding_box()
    assert svg["width"] == 1920 and svg["height"] == 1080  # the map fills the screen
    placed = v.page.evaluate("netwerkTafel.placed")
    assert len(placed) >= 15
    assert min(p["size"] for p in placed) >= 18
    assert _overlaps(placed) == []
    v.screenshot("tafel-1920", full_page=False)
    # find and fly: the node gets its label and the panel opens
    v.page.fill("#tafel-zoekveld", "lister")
    v.page.click("#tafel-treffers button")
    v.page.wait_for_timeout(800)
    assert v.page.locator("#tafel-paneel-naam").text_content() == "Lister"
    # growth: 4 -> 7 -> 11 organisations, nodes do not move
    before = v.page.evaluate("Object.fromEntries(netwerkTafel.nodes.map(n => [n.id, [n.x, n.y]]))")
    counts = []
    for k in range(3):
        v.page.evaluate(f"(() => {{ const s = document.getElementById('tafel-stap'); s.value = {k};"
                        " s.dispatchEvent(new Event('input')); })()")
        v.page.wait_for_timeout(100)
        text = v.page.locator("#tafel-stap-tekst").text_content()
        counts.append(int(re.search(r"(\d+) organisaties", text).group(1)))
    assert counts == [4, 7, 11]
    after = v.page.evaluate("Object.fromEntries(netwerkTafel.nodes.map(n => [n.id, [n.x, n.y]]))")
    assert after == before
    # showcase: the slides step through the analysis and highlight the map
    v.page.click("[data-action=verhaal]")
    titles = []
    for _ in range(4):
        titles.append(v.page.locator("#tafel-verhaal-kop").text_content())
        v.page.click("[data-action=volgende]")
    assert "Wie staat alleen?" in titles and "Als zij wegvalt…" in titles
    assert v.console_errors == []


def test_phone_checks_in_and_appears_on_the_projector(desktop_visitor, visitor):
    table, phone = desktop_visitor, visitor
    table.page.set_viewport_size({"width": 1920, "height": 1080})
    table.login("facilitator")
    # a new session in a wijk of Nieuwegein (the gemeente's growth stays 4 -> 7 -> 11)
    table.goto("/werksessies/nieuw")
    table.page.fill("#title", "Tafel in de wijk")
    table.page.fill("#date", "2026-12-01")
    value = table.page.evaluate(
        "[...document.querySelectorAll('#area_id option')].find(o => /Batau/.test(o.text)).value")
    table.page.select_option("#area_id", value)
    table.page.click("main form button[type=submit]")
    ws_id = int(re.search(r"/werksessies/(\d+)", table.page.url).group(1))
    table.goto(f"/netwerk/tafel?sessie={ws_id}")
    table.page.wait_for_selector('#tafel[data-drawn="1"]', timeout=20000)
    table.page.click("[data-action=qr]")
    address = table.page.locator(".tafel-klein").text_content().strip()
    assert address.endswith(f"/werksessies/{ws_id}/inchecken")
    qr = table.page.locator("#tafel-qr img")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    table.page.evaluate("window.__noReload = true")

    phone.login("coordinator")  # Esther Kuipers, not at any session yet
    phone.page.goto(address)
    phone.page.click("text=Ik ben er")
    phone.page.wait_for_selector(".ingecheckt")
    phone.screenshot("inchecken-360", full_page=True)
    # the projector shows her within a few seconds, without reloading
    started = time.monotonic()
    while not table.page.evaluate(
            "() => netwerkTafel.nodes.some(n => n.label === 'Esther Kuipers')"):
        assert time.monotonic() - started < 15, "the new attendee did not appear"
        table.page.wait_for_timeout(250)
    assert table.page.evaluate("() => window.__noReload === true")  # no reload happened
    assert "Esther Kuipers" in table.page.locator("#tafel-melding").text_content()
    # the typeahead finds an organisation from the search JSON (no long list)
    phone.page.fill("#uitnodiging-organisation_name", "Werk en")
    phone.page.wait_for_selector("#org-treffers button")
    assert phone.page.locator("#org-treffers button").count() <= 8
    phone.page.click("#org-treffers button >> nth=0")
    phone.page.click("text=Uitnodigen voor de volgende sessie")
    phone.page.wait_for_selector("text=Je nodigt")
    table.screenshot("tafel-inchecken-1920", full_page=False)
    assert table.console_errors == [] and phone.console_errors == []
