"""The pure modules import no Flask: they can be used (and tested, and benchmarked) without it.

Each import runs in a fresh interpreter, so modules already loaded by the test session do not
hide an import of Flask.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

PURE_MODULES = [
    "netwerk",
    "netwerk.matching.model",
    "netwerk.matching.eligibility",
    "netwerk.matching.scoring",
    "netwerk.matching.back_pocket",
    "netwerk.matching.missing",
    "netwerk.matching.engine",
    "netwerk.privacy",
    "netwerk.phone",
    "netwerk.i18n",
    "netwerk.settings",
    "netwerk.network.analysis",
    "netwerk.network.centrality",
]


def _loads_flask(module: str) -> subprocess.CompletedProcess:
    code = (f"import {module}, sys; "
            "loaded = sorted(m for m in sys.modules if m == 'flask' or m.startswith('flask')); "
            "print(loaded); sys.exit(1 if loaded else 0)")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize("module", PURE_MODULES)
def test_module_imports_no_flask(module):
    result = _loads_flask(module)
    assert result.returncode == 0, f"{module} loads {result.stdout.strip()} {result.stderr[-500:]}"


def test_the_check_sees_flask_when_it_is_loaded():
    assert _loads_flask("netwerk.app").returncode == 1
