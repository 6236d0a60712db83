"""The facilitator's network map in a real Chromium: drawn offline, filterable, escaped."""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.e2e


def _drawn(page, selector: str = "#kaart") -> int:
    page.wait_for_selector(f'{selector}[data-drawn="1"]', timeout=15000)
    return int(page.get_attribute(selector, "data-node-count"))


def _island_count(page, island: str = "kaart-data") -> int:
    return page.evaluate(
        f"JSON.parse(document.getElementById('{island}').textContent).nodes.length")


def test_map_draws_offline_and_a_filter_changes_it(desktop_visitor):
    v = desktop_visitor
    v.login("facilitator")
    started = time.monotonic()
    v.goto("/netwerk")
    nodes = _drawn(v.page)
    drawn_in = time.monotonic() - started
    assert nodes == _island_count(v.page) and nodes > 10
    assert v.page.locator("#kaart canvas").count() == 1
    v.screenshot("network-map-desktop", full_page=False)
    v.page.screenshot(path=str(v.screenshot("network-map-desktop-full")))
    print(f"map of {nodes} nodes drawn {drawn_in:.2f} s after navigation")

    # A click on a node shows its people with one-tap numbers.
    box = v.page.locator("#kaart canvas").bounding_box()
    network_pos = v.page.evaluate("""() => {
        const c = document.getElementById('kaart');
        const net = c.netwerkNetwork;
        const data = JSON.parse(document.getElementById('kaart-data').textContent);
        const lister = data.nodes.find(n => n.label === 'Lister');
        return net.canvasToDOM(net.getPositions([lister.id])[lister.id]);
    }""")
    v.page.mouse.click(box["x"] + network_pos["x"], box["y"] + network_pos["y"])
    v.page.wait_for_selector("#paneel .panel-title")
    assert v.page.inner_text("#paneel .panel-title") == "Lister"
    assert v.page.locator('#paneel a.call[href^="tel:+31970"]').count() >= 1
    v.screenshot("network-map-panel", full_page=False)

    # Filter on one sector: fewer nodes, all of that sector.
    v.page.select_option("#niveau", "professionals")
    v.page.click(".sector-filter summary")
    v.page.check('input[name="sector"][value="politie"]')
    v.page.click(".filters button[type=submit]")
    v.page.wait_for_url("**sector=politie**")
    filtered = _drawn(v.page)
    assert 0 < filtered < nodes
    sectors = v.page.evaluate(
        "[...new Set(JSON.parse(document.getElementById('kaart-data').textContent)"
        ".nodes.map(n => n.sector))]")
    assert sectors == ["politie"]
    assert v.console_errors == []


def test_map_on_a_phone_fits_and_growth_shows_three_sessions(visitor):
    visitor.login("medewerker")
    visitor.goto("/netwerk")
    _drawn(visitor.page)
    assert visitor.page.evaluate("document.documentElement.scrollWidth") <= 360
    visitor.screenshot("network-map-360")
    visitor.goto("/werksessies/groei")
    counts = [_drawn(visitor.page, f"#groei-{i}") for i in (1, 2, 3)]
    assert counts == [4, 7, 11]
    assert visitor.page.evaluate("document.documentElement.scrollWidth") <= 360
    visitor.screenshot("network-growth-360")
    assert visitor.console_errors == []


def test_growth_side_by_side_on_desktop(desktop_visitor):
    desktop_visitor.login("facilitator")
    desktop_visitor.goto("/werksessies/groei")
    assert [_drawn(desktop_visitor.page, f"#groei-{i}") for i in (1, 2, 3)] == [4, 7, 11]
    desktop_visitor.screenshot("network-growth-desktop")
    desktop_visitor.goto("/werksessies")
    desktop_visitor.page.click("text=Werksessie 2")
    desktop_visitor.page.wait_for_selector(".came-because")
    desktop_visitor.screenshot("network-session-2")
