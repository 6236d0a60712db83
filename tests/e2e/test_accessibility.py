"""WCAG 2.1 AA in real Chromium: axe-core over every page the app serves, as every principal
of the access matrix that may open it, plus the tap targets (≥ 44 px) axe does not check.

axe-core is a test dependency from the npm registry, installed by .ci/run with
``npm install --prefix .ci/node axe-core@4`` (``NETWERK_AXE`` may point at another
``axe.min.js``). It is read from disk and injected into each page by Playwright before the
page's own scripts run (``add_init_script``: a script tag of our own would be refused by the
app's Content-Security-Policy, and the pages are tested under the policy users get). It never
comes from a CDN. Without it the tests skip, saying why; with CI=true they fail instead.

Which pages: every GET route of the URL map, at the URL and with the ids the access matrix
(tests/web/test_access_matrix.py) uses, opened by each principal the matrix expects to get
200 — so a new route is covered as soon as it has its matrix row. Non-HTML answers (vCards,
CSV, JSON, SVG, static files) are not pages and are left out. One browser, one tab per
principal, at 360×740 (a phone: where tap targets matter most). A page is opened by the first
principal that may open it; the home and account pages (whose top bar differs by role) by
every principal.

``A11Y_DISCOVER=1`` prints every finding instead of failing at the first principal.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.e2e.conftest import IN_CI, PHONE, demo_server

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("NETWERK_AXE", ROOT / ".ci/node/node_modules/axe-core/axe.min.js"))
DISCOVER = os.environ.get("A11Y_DISCOVER") == "1"
# WCAG 2.0/2.1 A and AA: what Dutch public bodies must meet (EN 301 549).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("serious", "critical")
TAP = 44

# Pages only someone signed out sees, or that answer with an error page.
ANONYMOUS_PAGES = ["/login", "/aanmelden", "/toegankelijkheid", "/uitnodiging/onbekend"]
ERROR_PAGES = ["/personen/2147483647", "/beheer/"]  # 404 for all, 403 for most

# Tap targets that must be large: links, buttons and fields in the top bar, the navigation,
# the page's content and the footer. A link inside running text (a sentence with other words
# around it) is excepted, as WCAG 2.5.5 and 2.5.8 except inline targets: its size is set by
# the line of text it sits in. A checkbox or radio button counts with its label (a tap on the
# label ticks it).
TAP_TARGETS_JS = """(tap) => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  const roots = document.querySelectorAll('header, nav, main, footer');
  const seen = new Set(), small = [];
  const visible = (el) => {
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 1 && r.height > 1;
  };
  const inRunningText = (el) => {
    if (getComputedStyle(el).display !== 'inline') return false;
    const block = el.parentElement;
    const own = (el.textContent || '').trim();
    const around = (block.textContent || '').trim();
    return around.length > own.length;
  };
  const describe = (el) => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 40);
    const id = el.id ? '#' + el.id : '';
    const cls = el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    return el.tagName.toLowerCase() + id + cls + ' "' + text + '"';
  };
  for (const root of roots) {
    for (const el of root.querySelectorAll(selector)) {
      if (seen.has(el)) continue;
      seen.add(el);
      if (!visible(el) || el.closest('[hidden], .visually-hidden')) continue;
      if (el.tagName === 'A' && inRunningText(el)) continue;
      let box = el.getBoundingClientRect();
      if (el.type === 'checkbox' || el.type === 'radio') {
        const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
        if (label) box = label.getBoundingClientRect();
      }
      if (box.height < tap - 0.5 || box.width < tap - 0.5)
        small.push(`${describe(el)} ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}"""

AXE_RUN_JS = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' — ' +
                                          (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 200))}));
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        message = (f"axe-core not found at {AXE} (npm install --prefix .ci/node axe-core@4, "
                   "as .ci/run does)")
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def a11y_server(tmp_path_factory, sqlite_seeded_template):
    """``netwerk demo`` on the demo network with the access matrix's world in it: its
    accounts (one per principal, the matrix's password) and the objects its URLs point at."""
    from netwerk.app import create_app
    from netwerk.db import db
    from netwerk.models import User
    from netwerk.seed import ensure_demo_users
    from tests.conftest import ROOT as TESTS_ROOT
    from tests.conftest import Factory
    from tests.web.access import build_world

    db_path = tmp_path_factory.mktemp("a11y") / "netwerk.sqlite3"
    shutil.copy(sqlite_seeded_template[0], db_path)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
                      "SECRET_KEY": "a11y-secret"})
    with app.app_context():
        # `netwerk demo` adds the demo accounts when missing; here they exist, and the
        # matrix's accounts are the ones linked to the seed's people.
        for login in ensure_demo_users(db.session, TESTS_ROOT / "seed_data"):
            db.session.scalar(select(User).where(User.email == login.email)).professional = None
        db.session.flush()
        world = build_world(db.session, Factory(db.session))
        db.session.commit()
        emails = {key: user.email for key, user in world.users.items()}
        rules = {r.endpoint: r for r in app.url_map.iter_rules()}
        db.session.remove()
        db.engine.dispose()
    with demo_server(db_path, "a11y-secret") as base:
        yield base, world.ids, emails, rules


def _pages_for(principal: str, ids: dict, rules: dict) -> list[str]:
    """The matrix's URL of every GET route this principal may open (expected 200)."""
    from tests.web.test_access_matrix import EXTRA_GETS, MATRIX

    urls = []
    for endpoint, row in sorted(MATRIX.items()):
        rule = rules.get(endpoint)
        if rule is None or "GET" not in rule.methods or row.get is None:
            continue
        if endpoint == "static" or endpoint.startswith("api."):
            continue
        if row.get[principal] == 200:
            urls.append(row.url.format(**ids))
    for url, table in EXTRA_GETS.values():
        if table[principal] == 200:
            urls.append(url.format(**ids))
    return urls


def _check_page(page, url: str, axe_source: str) -> list[str]:
    findings = []
    for violation in page.evaluate(AXE_RUN_JS, AXE_TAGS):
        if violation["impact"] in FAILING_IMPACTS or DISCOVER:
            findings.append(f"{url}: axe {violation['impact']} {violation['id']} "
                            f"({violation['help']}): " + " | ".join(violation["nodes"]))
    findings += [f"{url}: tap target {t}" for t in page.evaluate(TAP_TARGETS_JS, TAP)]
    return findings


PRINCIPALS_UNDER_TEST = ["anoniem", "medewerker", "betrokkene", "coordinator", "facilitator",
                         "beheerder", "organisatiebeheerder"]


# Pages whose top bar and navigation differ by role: opened by every principal. Every other
# page is opened by the first principal (in this order) that may open it, which keeps the
# run short — except by the beheerder, who opens every page again: a beheerder is shown every
# control a page has (forms for facilitators, coordinators, organisation staff).
EVERY_ROLE = ("/", "/account/")


@pytest.fixture(scope="module")
def checked_pages() -> set[str]:
    return set()


@pytest.mark.parametrize("principal", PRINCIPALS_UNDER_TEST)
def test_every_page_meets_wcag_aa_and_tap_targets(browser, a11y_server, axe_source, principal,
                                                  checked_pages):
    from tests.conftest import PASSWORD

    base, ids, emails, rules = a11y_server
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="nl-NL")
    context.add_init_script(script=axe_source)
    page = context.new_page()
    csp_errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and "Content Security Policy" in m.text
            and csp_errors.append(m.text))
    try:
        if principal == "anoniem":
            urls = ANONYMOUS_PAGES + ERROR_PAGES[:1]
        else:
            page.goto(base + "/login")
            page.fill("#email", emails[principal])
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(base + "/")
            urls = [u for u in _pages_for(principal, ids, rules) + ERROR_PAGES
                    if u in EVERY_ROLE or u not in checked_pages or principal == "beheerder"]
        findings: list[str] = []
        checked = 0
        for url in urls:
            answer = context.request.get(base + url, max_redirects=0)
            kind = answer.headers.get("content-type", "")
            answer.dispose()
            if not kind.startswith("text/html"):
                continue
            page.goto(base + url)
            page.wait_for_load_state("load")
            findings += _check_page(page, url, axe_source)
            checked += 1
            checked_pages.add(url)
    finally:
        context.close()
    if DISCOVER:
        print(f"\n=== {principal}: {checked} pages")
        print("\n".join(findings))
    assert checked >= (4 if principal == "anoniem" else 2), f"only {checked} pages checked"
    assert not csp_errors, csp_errors[:3]
    assert not findings, f"as {principal}:\n  " + "\n  ".join(findings[:60])


def test_account_link_reachable_on_a_phone(browser, a11y_server):
    """At 360×740 the top bar keeps the link to one's account: visible, inside the screen,
    a full tap target, and it opens /account/."""
    from tests.conftest import PASSWORD

    base, _ids, emails, _rules = a11y_server
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="nl-NL")
    page = context.new_page()
    try:
        page.goto(base + "/login")
        page.fill("#email", emails["coordinator"])
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(base + "/")
        link = page.locator("a.whoami")
        assert link.is_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        assert box["height"] >= TAP and box["width"] >= TAP, box
        logout = page.locator("form.logout button").bounding_box()
        assert logout["x"] >= box["x"] + box["width"], "the account link covers Afmelden"
        # Every page of the menu in sight at once: none behind a sideways scroll.
        items = page.locator("nav.mainnav > a")
        assert items.count() >= 5
        for i in range(items.count()):
            item = items.nth(i).bounding_box()
            assert item["x"] >= 0 and item["x"] + item["width"] <= PHONE["width"], item
            assert item["height"] >= TAP, item
        link.click()
        page.wait_for_url(base + "/account/")
        footer = page.locator("footer a[href='/toegankelijkheid']")
        footer.click()
        page.wait_for_url(base + "/toegankelijkheid")
        assert "WCAG 2.1" in page.inner_text("main")
    finally:
        context.close()
