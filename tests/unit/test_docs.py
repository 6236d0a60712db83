"""The documents name only files that exist: every repository path in README.md and docs/*.md
(``netwerk/…``, ``templates/…``, ``tests/…``, ``bench/…`` and the other top-level folders)
is a file or folder of the checkout, so the docs cannot drift from the code unnoticed
(``static/…`` is the app's ``netwerk/static/…``).

A path may be a pattern (``migrations/versions/…_0014_search.py``, ``/personen/<id>``-style
placeholders, ``*``), a module with an attribute (``netwerk/web/forms.Form``: the attribute
must be defined in the module), or a path the build or the tests make and git ignores
(``netwerk/_data/``, ``.ci/node``, ``tests/e2e/screenshots/``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
PATH = re.compile(
    r"(?<![\w/.@-])((?:netwerk|templates|tests|bench|migrations|seed_data|docs|static|\.ci)"
    r"/[\w./*<>{}…-]*[\w/*>}…])")
PLACEHOLDER = re.compile(r"<[^>]*>|\{[^}]*\}|…")


def _ignored() -> list[str]:
    """The .gitignore entries that name a place (no wildcard): generated, never committed."""
    lines = (ROOT / ".gitignore").read_text().splitlines()
    return [line.strip().strip("/") for line in lines
            if line.strip() and not line.startswith("#") and "*" not in line]


IGNORED = _ignored()


def _exists(path: str) -> bool:
    path = path.rstrip(".")
    if path.startswith("static/"):
        path = "netwerk/" + path
    if PLACEHOLDER.search(path) or "*" in path:
        return any(ROOT.glob(PLACEHOLDER.sub("*", path).rstrip("/")))
    if (ROOT / path).exists():
        return True
    if any(path.rstrip("/") == i or path.startswith(i + "/") for i in IGNORED):
        return True
    module, _, attribute = path.rpartition(".")
    source = ROOT / f"{module}.py"
    return bool(module) and source.is_file() and re.search(
        rf"^\s*(?:def|class|async def)?\s*{re.escape(attribute)}\b", source.read_text(),
        re.MULTILINE) is not None


def named_paths(document: Path) -> list[tuple[int, str]]:
    return [(number, match.group(1))
            for number, line in enumerate(document.read_text().splitlines(), 1)
            for match in PATH.finditer(line)]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.relative_to(ROOT).as_posix())
def test_every_path_a_document_names_exists(document):
    missing = [f"{document.name}:{number}: {path}" for number, path in named_paths(document)
               if not _exists(path)]
    assert missing == []


def test_the_check_finds_paths_and_refuses_a_missing_one(tmp_path):
    """The check itself: it sees the kinds of paths the documents use, and a missing file,
    a missing attribute or a pattern nothing matches fails it."""
    text = ("see `netwerk/db.py`, netwerk/web/forms.Form, (tests/unit/test_docs.py), "
            "`static/js/search.js` and `migrations/versions/…_0014_search.py`; not "
            "`netwerk/nothing.py`")
    document = tmp_path / "example.md"
    document.write_text(text)
    found = [path for _, path in named_paths(document)]
    assert found == ["netwerk/db.py", "netwerk/web/forms.Form", "tests/unit/test_docs.py",
                     "static/js/search.js", "migrations/versions/…_0014_search.py",
                     "netwerk/nothing.py"]
    assert [_exists(p) for p in found] == [True, True, True, True, True, False]
    assert not _exists("netwerk/web/forms.NoSuchForm")
    assert not _exists("migrations/versions/…_9999_nothing.py")
    assert _exists("netwerk/_data/")  # made by the wheel build, ignored by git
