"""A built wheel, installed in a fresh virtual environment, runs netwerk from another directory.

This is what ``pip install netwerk-….whl`` users get: templates, migrations and seed data must be
inside the wheel (not only in the checkout), and no top-level module ``config`` may be installed.
The fresh venv borrows the test venv's dependencies through a ``.pth`` line (no downloads); the
test venv's editable netwerk is not visible there, so every import comes from the wheel.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "netwerk", "templates",
           "migrations", "seed_data")

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # Build from a clean copy: a stale build/ in the checkout must not leak into the wheel.
    src = tmp_path_factory.mktemp("src")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_data", "*.egg-info")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=ignore)
        else:
            shutil.copy2(path, src / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", str(src), "-w", str(out)],
                   check=True, timeout=120, capture_output=True)
    (built,) = out.glob("netwerk-*.whl")
    return built


def test_wheel_carries_data_and_no_top_level_config(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "netwerk/_data/templates/base.html" in names
    assert "netwerk/_data/migrations/alembic.ini" in names
    assert any(n.startswith("netwerk/_data/migrations/versions/") for n in names)
    assert any(n.startswith("netwerk/_data/seed_data/") and n.endswith(".csv") for n in names)
    assert "netwerk/static/css/netwerk.css" in names
    assert not [n for n in names if n in ("config.py",) or not n.split("/")[0].startswith("netwerk")]
    metadata = zipfile.ZipFile(wheel).read("netwerk-0.1.0.dist-info/METADATA").decode()
    assert "License-Expression: EUPL-1.2" in metadata


def test_installed_wheel_runs_init_db_and_demo_from_another_directory(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=60)
    bin_dir = venv / "bin"
    py = bin_dir / "python"
    site = Path(subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    # Dependencies from the test venv, after the fresh venv's own site-packages.
    (site / "_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q",
                    "--no-deps", "--no-index", str(wheel)], check=True, timeout=120,
                   capture_output=True)

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NETWERK_", "PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["NETWERK_DATABASE_URL"] = f"sqlite:///{tmp_path / 'demo.sqlite3'}"

    where = subprocess.run(
        [py, "-c", "import importlib.util, netwerk; print(netwerk.__file__); "
                   "print(importlib.util.find_spec('config'))"],
        cwd=work, env=env, check=True, capture_output=True, text=True, timeout=60).stdout
    assert where.splitlines()[0].startswith(str(venv))
    assert where.splitlines()[1] == "None"  # no top-level module named config

    init = subprocess.run([bin_dir / "netwerk", "init-db"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=120)
    assert init.returncode == 0, init.stderr
    assert "Database bijgewerkt" in init.stdout

    port = _free_port()
    demo = subprocess.Popen([bin_dir / "netwerk", "demo", "--port", str(port)], cwd=work,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        answer = None
        while time.monotonic() < deadline and demo.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    answer = (r.status, r.read().decode().strip())
                    break
            except OSError:
                time.sleep(0.5)
        assert answer == (200, "ok"), demo.stdout.read() if demo.poll() is not None else answer
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as r:
            assert "<form" in r.read().decode()  # templates found inside the wheel
    finally:
        demo.terminate()
        try:
            demo.wait(timeout=10)
        except subprocess.TimeoutExpired:
            demo.kill()
            demo.wait()
        demo.stdout.close()
    # Without NETWERK_SECRET_KEY the demo keeps its key in instance/ under the current directory.
    assert (work / "instance" / "secret_key").is_file()
