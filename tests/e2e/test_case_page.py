"""The case page decides in one phone screen (issue 13, point 5) and carries the markers of
DESIGN.md "Stable interfaces" (case page markers), on the seed 000 demo case NWG-2026-0003: a
crisis, a household threatened with eviction, the housing corporation marked opposing."""

import pytest

pytestmark = pytest.mark.e2e

SCREEN = 740  # the first phone screen: 360 × 740


def _open_seed_000(visitor):
    visitor.login("coordinator")
    visitor.goto("/casussen")
    visitor.page.click("a.name:text('NWG-2026-0003')")
    visitor.page.wait_for_url("**/casussen/*")
    return visitor.page


def _inside_first_screen(page, selector):
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    assert box["y"] >= 0 and box["y"] + box["height"] <= SCREEN, (selector, box)
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, (selector, box)
    return box


def test_the_case_page_decides_in_one_phone_screen(visitor):
    page = _open_seed_000(visitor)
    assert page.viewport_size == {"width": 360, "height": SCREEN}
    assert page.evaluate("window.scrollY") == 0
    # N → 1 + k: the picture, the lead (here the coordinator herself, told so instead of a
    # button to call her own number), the top three reasons in words, Bevestigen and Iemand
    # anders kiezen: all within the first 740 px.
    _inside_first_screen(page, "svg#voordeur")
    assert "Zonder afstemming" in page.text_content("#voordeur-titel")
    _inside_first_screen(page, "#beslissing-kop")
    _inside_first_screen(page, "#frontsoldaat .lead-name a")
    _inside_first_screen(page, "#frontsoldaat .you")
    assert page.locator("#frontsoldaat a.call-lead").count() == 0
    reasons = page.locator("#frontsoldaat .reasons li[data-term]")
    assert 1 <= reasons.count() <= 3
    for i in range(reasons.count()):
        box = reasons.nth(i).bounding_box()
        assert box["y"] + box["height"] <= SCREEN
        text = reasons.nth(i).inner_text()
        assert text and not any(ch.isdigit() for ch in text), text  # words, not points
    confirm = page.locator("form.confirm button[type=submit].primary")
    assert confirm.inner_text().strip() in ("Bevestigen", "Opnieuw bevestigen")
    box = confirm.bounding_box()
    assert box["y"] + box["height"] <= SCREEN, box
    _inside_first_screen(page, "form.confirm a.button[href='#anders']")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    visitor.screenshot("case-seed-000-360", full_page=False)


def test_a_lead_who_is_someone_else_is_called_with_one_tap(visitor):
    visitor.login("coordinator")
    visitor.goto("/casussen")
    page = visitor.page
    links = [a.get_attribute("href") for a in page.locator("a.name[href^='/casussen/']").all()]
    for href in links:
        visitor.goto(href)
        if page.locator("#frontsoldaat a.call-lead").count():
            break
    else:
        pytest.fail("no case of the coordinator's has a lead other than herself")
    call = page.locator("#frontsoldaat a.call-lead").bounding_box()
    assert call["height"] >= 44 and call["x"] + call["width"] <= 360  # a tap target
    assert page.get_attribute("#frontsoldaat a.call-lead", "href").startswith("tel:+31")


def test_the_case_page_markers_on_seed_000(visitor):
    page = _open_seed_000(visitor)
    lead = page.get_attribute("#frontsoldaat", "data-professional-id")
    assert lead and lead.isdigit()
    # The corporation that evicts never leads; its worker is excluded for that reason.
    assert "Jutphaas Wonen" not in page.inner_text("#frontsoldaat .lead-name")
    opposing = page.locator("li[data-professional-id]:has([data-rule-kind='opposing_interest'])")
    assert opposing.count() >= 1
    names = opposing.all_text_contents()
    assert any("Fatma Yıldız" in n and "huurachterstanden" in n for n in names), names
    assert all(lead != opposing.nth(i).get_attribute("data-professional-id")
               for i in range(opposing.count()))
    # Every back-pocket, why-not and excluded entry names its professional.
    for section in ("#broekzak ul.list", "#waarom-niet ul.why-not",
                    "#waarom-niet ul.excluded-list"):
        entries = page.locator(f"{section} > li")
        for i in range(entries.count()):
            pid = entries.nth(i).get_attribute("data-professional-id")
            assert pid and pid.isdigit(), (section, i)
    assert page.locator("#broekzak li[data-professional-id]").count() >= 1
    # Each score term with its points.
    terms = page.locator("#waarom table.why tr[data-term]")
    assert terms.count() >= 6
    for i in range(terms.count()):
        float(terms.nth(i).get_attribute("data-points"))
    # A missing need names its domain, each organisation outside the area its id.
    for i in range(page.locator("#ontbrekend li[data-domain]").count()):
        assert page.locator("#ontbrekend li[data-domain]").nth(i).get_attribute("data-domain")
    for i in range(page.locator("#ontbrekend li[data-organisation-id]").count()):
        assert page.locator("#ontbrekend li[data-organisation-id]").nth(i).get_attribute(
            "data-organisation-id").isdigit()
    # Who is in the case is in on a recorded basis (finding 20).
    assert page.locator("#casus li[data-professional-id] [data-basis-kind='toestemming']") \
        .count() >= 1
    visitor.screenshot("case-seed-000-360-full")
