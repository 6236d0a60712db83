"""Browser tests: a real netwerk server (``python -m netwerk demo``) and Debian's Chromium.

Chromium is /usr/bin/chromium (Debian's package, never a downloaded browser). Where it is
missing the tests skip, saying why; with CI=true they fail instead. Every request the page makes
to another host is recorded, and ``page`` fails the test if one was made.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("NETWERK_CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"
SCREENSHOTS = Path(__file__).parent / "screenshots"
LOGINS = {
    "medewerker": ("medewerker@netwerk.example", "demo-medewerker"),
    "coordinator": ("coordinator@netwerk.example", "demo-coordinator"),
    "facilitator": ("facilitator@netwerk.example", "demo-facilitator"),
    "beheerder": ("beheerder@netwerk.example", "demo-beheerder"),
}
PHONE = {"width": 360, "height": 740}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def demo_server(db_path: Path, secret: str, **env_extra: str):
    """Run ``python -m netwerk demo`` on a free port with the SQLite file ``db_path``; yield its
    base URL once /healthz answers, stop it afterwards."""
    port = _free_port()
    env = {**os.environ, "NETWERK_DATABASE_URL": f"sqlite:///{db_path}",
           "NETWERK_SECRET_KEY": secret,
           # Every test signs in from 127.0.0.1; the limit itself is tested in tests/web.
           "NETWERK_LOGIN_RATE_LIMIT": "1000 per minute",
           "NETWERK_LOGIN_IP_RATE_LIMIT": "1000 per minute", **env_extra}
    log_path = db_path.with_suffix(".log")
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "netwerk", "demo", "--port", str(port)],
                                stdout=log, stderr=subprocess.STDOUT, env=env)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("netwerk demo did not start: " + log_path.read_text())
            time.sleep(0.2)
        try:
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The demo, served by the real ``netwerk demo`` command on a free port."""
    with demo_server(tmp_path_factory.mktemp("e2e") / "netwerk.sqlite3", "e2e-secret") as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic"],
        )
        yield browser
        browser.close()


class Visitor:
    """A browser tab on the live server, with helpers a test reads like a user's steps."""

    def __init__(self, page, base: str) -> None:
        self.page = page
        self.base = base
        self.foreign_requests: list[str] = []
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []
        host = urlsplit(base).netloc
        page.on("request", lambda r: self._check_request(r.url, host))
        page.on("dialog", self._on_dialog)
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))

    def _check_request(self, url: str, host: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != host:
            self.foreign_requests.append(url)

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def goto(self, path: str):
        return self.page.goto(self.base + path)

    def login(self, role: str) -> None:
        email, password = LOGINS[role]
        self.goto("/login")
        self.page.fill("#email", email)
        self.page.fill("#password", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(self.base + "/**")

    def screenshot(self, name: str, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def visitor(browser, live_server):
    """A phone-sized tab (360×740); fails the test if the page reached for another host."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="nl-NL")
    page = context.new_page()
    v = Visitor(page, live_server)
    yield v
    context.close()
    assert v.foreign_requests == [], f"requests to other hosts: {v.foreign_requests}"
    assert v.dialogs == [], f"unexpected dialogs: {v.dialogs}"


@pytest.fixture
def desktop_visitor(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    v = Visitor(page, live_server)
    yield v
    context.close()
    assert v.foreign_requests == [], f"requests to other hosts: {v.foreign_requests}"
    assert v.dialogs == [], f"unexpected dialogs: {v.dialogs}"
