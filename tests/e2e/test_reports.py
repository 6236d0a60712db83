"""Numbers people can trust, in Chromium at 360×740: a medewerker reports a dead number from a
profile, the owner sees it in the queue and resolves it; the history shows an edit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import PHONE, Visitor, demo_server

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/netwerk-reports-shots")
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def reports_server(tmp_path_factory):
    """A demo server of its own: this test reports and edits Esther Kuipers' record."""
    with demo_server(tmp_path_factory.mktemp("reports") / "netwerk.sqlite3",
                     "reports-secret") as base:
        yield base


def _visitor(browser, base, viewport):
    context = browser.new_context(viewport=viewport, device_scale_factor=1, locale="nl-NL")
    return context, Visitor(context.new_page(), base)


def _shot(visitor, name):
    SHOTS.mkdir(exist_ok=True)
    visitor.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_dead_number_reported_from_a_profile_is_resolved_by_its_owner(browser, reports_server):
    context, worker = _visitor(browser, reports_server, PHONE)
    worker.login("medewerker")
    worker.goto("/zoeken?q=Esther+Kuipers")
    worker.page.locator("a.name[href^='/personen/']").first.click()
    profile = worker.page.url.replace(reports_server, "")
    # Anouk may not confirm Esther's details: no "Klopt nog", but "Klopt niet?".
    assert worker.page.get_by_role("button", name="Klopt nog").count() == 0
    worker.page.locator("#klopt-niet summary").click()
    worker.page.get_by_label("Nummer werkt niet").check()
    worker.page.fill("#klopt-niet input[name=note]", "Krijg een melding: nummer bestaat niet")
    summary_box = worker.page.locator("#klopt-niet button[type=submit]").bounding_box()
    assert summary_box["height"] >= 44
    worker.page.locator("#klopt-niet button[type=submit]").click()
    worker.page.wait_for_url(reports_server + profile)
    banner = worker.page.locator("#meldingen")
    assert banner.is_visible()
    assert "Gemeld als mogelijk onjuist" in banner.inner_text()
    assert "Nummer werkt niet" in banner.inner_text()
    assert "nummer bestaat niet" not in banner.inner_text()  # the remark is for the owner
    _shot(worker, "profile-reported-medewerker-360")
    assert worker.foreign_requests == [] and worker.dialogs == []
    context.close()

    for viewport, suffix in ((LAPTOP, "1366"), (PHONE, "360")):
        context, owner = _visitor(browser, reports_server, viewport)
        owner.login("coordinator")  # Esther Kuipers herself
        owner.goto(profile)
        assert "nummer bestaat niet" in owner.page.locator("#meldingen").inner_text()
        _shot(owner, f"profile-reported-owner-{suffix}")
        owner.goto("/verifieren")
        owner.page.locator("a[href='/verifieren/meldingen']").first.click()
        owner.page.wait_for_url(reports_server + "/verifieren/meldingen")
        item = owner.page.locator(".report-queue li").first
        assert "Esther Kuipers" in item.inner_text()
        assert "Nummer werkt niet" in item.inner_text()
        _shot(owner, f"queue-{suffix}")
        if suffix == "360":
            item.get_by_role("button", name="Klopt toch").click()
            owner.page.wait_for_url(reports_server + "/verifieren/meldingen")
            assert owner.page.locator(".report-queue li").count() == 0
            assert "Afgehandeld" in owner.page.inner_text("main")
            owner.goto(profile)
            assert owner.page.locator("#meldingen").count() == 0
            # An edit is in the history (the owner sees it; others do not).
            owner.goto(profile + "/bewerken")
            owner.page.fill("#role", "wijkcoördinator sociaal wijkteam")
            owner.page.click("form.edit-form button[type=submit]")
            owner.page.wait_for_url(reports_server + profile)
        assert owner.foreign_requests == [] and owner.dialogs == []
        assert not [m for m in owner.console_errors if "Content Security Policy" in m]
        context.close()

    for viewport, suffix in ((PHONE, "360"), (LAPTOP, "1366")):
        context, owner = _visitor(browser, reports_server, viewport)
        owner.login("coordinator")
        owner.goto(profile)
        history = owner.page.locator("#geschiedenis")
        assert "wijkcoördinator sociaal wijkteam" in history.inner_text()
        assert "Functie" in history.inner_text()
        _shot(owner, f"profile-history-{suffix}")
        context.close()

    # An outsider to the record sees no history and the banner is gone.
    context, worker = _visitor(browser, reports_server, PHONE)
    worker.login("medewerker")
    worker.goto(profile)
    assert worker.page.locator("#geschiedenis").count() == 0
    assert worker.page.locator("#meldingen").count() == 0
    context.close()
