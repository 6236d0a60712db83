"""Stored XSS in real Chromium: a live server whose database holds the 50 payloads of
tests/xss_payloads.py in every free-text field. On every page that shows them: no dialog, no
request to another host, no CSP violation, no event-handler attribute or inline script that we
did not serve, ``window.__xss`` (set by every payload that would run) stays undefined, and the
payload is on the page as text.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import PHONE, Visitor, demo_server
from tests.xss_payloads import PAYLOADS, insert_payloads, pages

pytestmark = pytest.mark.e2e

INJECTED_JS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.toLowerCase().startsWith('on')) found.push(el.tagName + ' ' + attr.name);
    }
  }
  for (const el of document.querySelectorAll(
      'script:not([src]):not([type="application/json"]), iframe, object, embed, base, meta[http-equiv], math, style'))
    found.push(el.tagName);
  for (const el of document.querySelectorAll('[href], [src], [action], [formaction]')) {
    for (const name of ['href', 'src', 'action', 'formaction']) {
      const v = (el.getAttribute(name) || '').replace(/\\s/g, '').toLowerCase();
      if (v.startsWith('javascript:') || v.startsWith('data:text')) found.push(el.tagName + ' ' + name);
    }
  }
  return {found, sentinel: typeof window.__xss, text: document.body.innerText};
}"""


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory, sqlite_seeded_template):
    """``netwerk demo`` on a database that holds the demo seed plus every payload."""
    import shutil

    from netwerk.app import create_app
    from netwerk.db import db
    from netwerk.seed import ensure_demo_users
    from tests.conftest import ROOT

    db_path = tmp_path_factory.mktemp("xss") / "netwerk.sqlite3"
    url = f"sqlite:///{db_path}"
    shutil.copy(sqlite_seeded_template[0], db_path)  # migrated and seeded once per session
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "xss-secret"})
    with app.app_context():
        ensure_demo_users(db.session, ROOT / "seed_data")
        db.session.commit()
        world = insert_payloads(db.session)
        world.rules = {r.rule for r in app.url_map.iter_rules()}  # later capabilities' pages
        db.session.remove()
        db.engine.dispose()

    with demo_server(db_path, "xss-secret") as base:
        yield base, world


@pytest.fixture
def xss_visitor(browser, xss_server):
    base, _ = xss_server
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="nl-NL")
    page = context.new_page()
    visitor = Visitor(page, base)
    yield visitor
    context.close()
    assert visitor.foreign_requests == [], f"requests to other hosts: {visitor.foreign_requests}"
    assert visitor.dialogs == [], f"dialogs opened: {visitor.dialogs}"


def _browser_pages(world) -> list[tuple[str, list[int]]]:
    """Every list page with all payloads; every payload's person and case page; the other
    pages of one record kind in turn (all kinds are opened by the fast test in tests/web)."""
    chosen = []
    for path, shown in pages(world, world.rules):
        kind = path.split("/")[1].split("?")[0]
        if len(shown) != 1 or kind == "werksessies":
            chosen.append((path, shown))
            continue
        i = shown[0]
        always = path in (f"/personen/{world.people[i]}", f"/casussen/{world.cases[i]}")
        if always or kind == ["organisaties", "wijken", "plek", "smoelenboek"][i % 4]:
            chosen.append((path, shown))
    return chosen


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_no_payload_runs_in_the_browser(xss_visitor, xss_server):
    _, world = xss_server
    visitor = xss_visitor
    visitor.login("beheerder")
    problems = []
    checked = 0
    for path, shown in _browser_pages(world):
        response = visitor.goto(path)
        if response.status != 200:
            problems.append(f"{path}: status {response.status}")
            continue
        result = visitor.page.evaluate(INJECTED_JS)
        checked += 1
        if result["found"]:
            problems.append(f"{path}: injected {result['found']}")
        if result["sentinel"] != "undefined":
            problems.append(f"{path}: window.__xss was set")
        text = _norm(result["text"])
        for i in shown:
            if _norm(world.values[i]).replace("\u202e", "").replace("\u202c", "") not in \
                    text.replace("\u202e", "").replace("\u202c", ""):
                problems.append(f"{path}: payload {i} not visible as text ({PAYLOADS[i]!r})")
    csp = [m for m in visitor.console_errors if "Content Security Policy" in m]
    assert checked > 100
    assert not csp, f"CSP had to block something: {csp[:5]}"
    assert not problems, "\n".join(problems[:40])
    visitor.goto(f"/personen/{world.people[0]}")
    visitor.screenshot("xss-person-360")
    visitor.goto(f"/casussen/{world.cases[1]}")
    visitor.screenshot("xss-case-360")


def test_payload_typed_into_a_form_is_shown_as_text(xss_visitor, xss_server):
    """The whole path a user takes: type a payload into one's own details, save, look."""
    _, world = xss_server
    visitor = xss_visitor
    visitor.login("medewerker")
    visitor.goto("/")
    me = visitor.page.locator("a.whoami")  # the name in the top bar (hidden on a phone)
    assert me.count() == 1
    visitor.goto("/zoeken?q=Anouk")
    visitor.page.locator("a[href^='/personen/']").first.click()
    person_url = visitor.page.url
    visitor.goto(person_url.replace(visitor.base, "") + "/bewerken")
    payload = f'Ambulant "><img src=x onerror="{PAYLOADS[1]}"><script>window.__xss=1</script>'
    visitor.page.fill("#role", payload[:120])
    visitor.page.click("form.edit-form button[type=submit]")
    visitor.page.wait_for_url(person_url)
    result = visitor.page.evaluate(INJECTED_JS)
    assert result["found"] == [] and result["sentinel"] == "undefined"
    assert _norm(payload[:120]) in _norm(result["text"])
    visitor.screenshot("xss-typed-role-360")
