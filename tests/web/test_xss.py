"""Stored XSS, fast and without a browser: every payload of tests/xss_payloads.py is stored in
every free-text field, and every page, JSON answer and vCard that shows it must show it as
data. The same world is opened in real Chromium by tests/e2e/test_xss.py.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
import vobject

from tests.xss_payloads import PAYLOADS, insert_payloads, pages, vcards

FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "math", "animate", "isindex", "style",
                  "noscript", "frame", "frameset", "applet"}
URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}


class Scan(HTMLParser):
    """Markup a payload could have injected, and the text and attribute values a page shows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.shown: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def _check(self, tag, attrs):
        names = {k for k, _ in attrs}
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element")
        if tag == "script" and "src" not in names:
            self.problems.append("inline <script>")
        if tag == "meta" and "http-equiv" in names:
            self.problems.append("<meta http-equiv>")
        if tag == "link" and not dict(attrs).get("href", "").startswith("/static/"):
            self.problems.append(f"<link> to {dict(attrs).get('href')!r}")
        for key, value in attrs:
            value = value or ""
            self.shown.append(value)
            if key.startswith("on"):
                self.problems.append(f"<{tag} {key}=…> event handler")
            if key == "style":
                self.problems.append(f"<{tag} style=…>")
            squeezed = "".join(value.split()).lower()
            if key in URL_ATTRS and (squeezed.startswith(("javascript:", "vbscript:"))
                                     or squeezed.startswith("data:text")):
                self.problems.append(f"<{tag} {key}={value!r}>")
            if key in URL_ATTRS and squeezed.startswith("//"):
                self.problems.append(f"<{tag} {key}={value!r}> (another host)")

    def handle_data(self, data):
        self.shown.append(data)


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def payload_world(session, seeded):
    return insert_payloads(session)


@pytest.fixture
def beheerder_client(client, users, auth):
    auth.login(users["beheerder"])
    return client


def test_there_are_at_least_forty_payloads():
    assert len(PAYLOADS) >= 40
    assert len(set(PAYLOADS)) == len(PAYLOADS)


def test_case_text_filter_lets_payloads_through():
    """Payloads are no client identifiers: the case's situation text accepts them, so they
    reach the pages (the filter is not what protects against XSS)."""
    from netwerk.privacy import find_identifiers

    assert [p for p in PAYLOADS if find_identifiers(p)] == []


def test_every_page_shows_payloads_as_data(payload_world, beheerder_client):
    problems = []
    for path, shown in pages(payload_world):
        response = beheerder_client.get(path)
        if response.status_code != 200:
            problems.append(f"{path}: status {response.status_code}")
            continue
        scan = Scan()
        scan.feed(response.get_data(as_text=True))
        scan.close()
        problems += [f"{path}: {p}" for p in scan.problems]
        visible = _norm(" ".join(scan.shown))
        for i in shown:
            if _norm(payload_world.values[i]) not in visible:
                problems.append(f"{path}: payload {i} not shown as text ({PAYLOADS[i]!r})")
    assert not problems, "\n".join(problems[:40])


def test_search_json_carries_payloads_as_plain_strings(payload_world, beheerder_client):
    response = beheerder_client.get("/zoeken?q=Xss&format=json")
    assert response.mimetype == "application/json"
    data = json.loads(response.get_data(as_text=True))
    names = {p["name"] for p in data["people"]} | {o["name"] for o in data["organisations"]}
    assert names, "the search found none of the payload records"
    assert names <= set(payload_world.values)


def test_vcards_hold_payloads_as_values_not_as_cards(payload_world, beheerder_client):
    for path, shown in vcards(payload_world):
        response = beheerder_client.get(path)
        assert response.status_code == 200, path
        cards = list(vobject.readComponents(response.get_data(as_text=True)))
        assert len(cards) == len(shown), f"{path}: a payload made an extra card"
        names = {c.fn.value.replace("\r\n", "\n") for c in cards}
        assert {payload_world.values[i].replace("\r\n", "\n") for i in shown} == names, path
        for card in cards:
            assert card.fn.value != "ingevoegd"
